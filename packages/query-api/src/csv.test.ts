import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

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
