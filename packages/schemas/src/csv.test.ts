import { describe, expect, it } from 'vitest';
import { csvHeadingsOf, csvLanguageOf, toCsv } from './csv.ts';

describe('csvLanguageOf', () => {
  it('takes lang= first, then the best-ranked zh or en of Accept-Language, else none', () => {
    expect(csvLanguageOf('en', 'zh-CN')).toBe('en');
    expect(csvLanguageOf(null, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(csvLanguageOf(null, 'fr;q=1, en-GB;q=0.4, zh;q=0.7')).toBe('zh');
    expect(csvLanguageOf(null, 'en-US, zh')).toBe('en');
    expect(csvLanguageOf(null, 'zh;q=0, en;q=0.1')).toBe('en');
    expect(csvLanguageOf(null, 'fr, de')).toBeUndefined();
    expect(csvLanguageOf(null, '*')).toBeUndefined();
    expect(csvLanguageOf(undefined, undefined)).toBeUndefined();
  });
});

describe('csvHeadingsOf', () => {
  it('heads aggregates metric columns by label and leaves other answers alone', () => {
    const heading = csvHeadingsOf({ metrics: ['donated:masks:piece'], rows: [] }, 'zh')!;
    expect(['region', 'name', 'donated:masks:piece', 'other'].map(heading)).toEqual(['区划代码', '区划名称', '口罩（个）', 'other']);
    expect(csvHeadingsOf({ sites: [] }, 'zh')).toBeUndefined();
  });
});

describe('toCsv', () => {
  it('flattens aggregates rows into key and metric columns', () => {
    expect(toCsv([{ key: { region: '410184003', name: '新烟街道' }, values: { people_screened: 12, fever_cases: 0 } }])).toBe(
      'region,name,people_screened,fever_cases\r\n410184003,新烟街道,12,0\r\n',
    );
  });
  it('quotes commas, quotes and newlines, and defuses spreadsheet formulas', () => {
    expect(toCsv([{ a: 'x,y', b: 'say "hi"', c: '=HYPERLINK("evil")', d: -3, e: null }])).toBe(
      'a,b,c,d,e\r\n"x,y","say ""hi""","\'=HYPERLINK(""evil"")",-3,\r\n',
    );
  });
});
