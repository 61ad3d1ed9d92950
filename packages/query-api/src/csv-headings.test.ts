import { describe, expect, it } from 'vitest';
import { csvHeadingsOf, csvLanguageOf } from './csv-headings.ts';

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
