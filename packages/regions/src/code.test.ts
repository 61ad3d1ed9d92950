import { describe, expect, it } from 'vitest';
import { ancestorCodes, keyInSubtree, parseRegionCode, publicCode, regionLevels, syntacticParent } from './code.ts';

describe('parseRegionCode', () => {
  it('reads the level and subtree prefix of each form', () => {
    expect(parseRegionCode('410000')).toEqual({ code: '410000', level: 'province', prefix: '41', key12: '410000000000' });
    expect(parseRegionCode('410100')).toEqual({ code: '410100', level: 'city', prefix: '4101', key12: '410100000000' });
    expect(parseRegionCode('410184')).toEqual({ code: '410184', level: 'county', prefix: '410184', key12: '410184000000' });
    expect(parseRegionCode('410184003')).toEqual({ code: '410184003', level: 'town', prefix: '410184003', key12: '410184003000' });
    expect(parseRegionCode('410184104211')).toEqual({
      code: '410184104211',
      level: 'village',
      prefix: '410184104211',
      key12: '410184104211',
    });
  });

  it('accepts municipality cities and towns of cities without counties', () => {
    expect(parseRegionCode('110100')?.level).toBe('city');
    expect(parseRegionCode('500200')?.level).toBe('city');
    expect(parseRegionCode('441900003')).toEqual({ code: '441900003', level: 'town', prefix: '441900003', key12: '441900003000' });
  });

  it.each([
    '',
    '000000',
    '41',
    '4101',
    '4101840',
    '41018400',
    '4101840031',
    '4101841042110',
    '41018a',
    ' 410184',
    '410184 ',
    '４１０１８４',
    '410084',
    '001000',
    '410012345',
    '000000001',
    '410000.0',
    '-41018',
  ])('rejects %j', (code) => {
    expect(parseRegionCode(code)).toBeUndefined();
  });

  it('rejects non-strings without throwing', () => {
    expect(parseRegionCode(410184 as unknown as string)).toBeUndefined();
    expect(parseRegionCode(undefined as unknown as string)).toBeUndefined();
  });
});

describe('ancestorCodes', () => {
  it('lists the syntactic ancestors from the province down', () => {
    expect(ancestorCodes('410184104211')).toEqual(['410000', '410100', '410184', '410184104']);
    expect(ancestorCodes('410184104')).toEqual(['410000', '410100', '410184']);
    expect(ancestorCodes('410184')).toEqual(['410000', '410100']);
    expect(ancestorCodes('410100')).toEqual(['410000']);
    expect(ancestorCodes('410000')).toEqual([]);
    expect(ancestorCodes('nonsense')).toEqual([]);
  });

  it('skips the missing county level of 东莞市', () => {
    expect(ancestorCodes('441900003001')).toEqual(['440000', '441900', '441900003']);
    expect(syntacticParent('441900003')).toBe('441900');
  });

  it('round-trips through publicCode', () => {
    for (const code of ['410000', '410100', '410184', '410184003', '410184104211']) {
      const p = parseRegionCode(code);
      expect(p && publicCode(p.key12, p.level)).toBe(code);
    }
    expect(regionLevels).toEqual(['province', 'city', 'county', 'town', 'village']);
  });
});

describe('keyInSubtree', () => {
  it("reads a subtree as the figure routes do: by the code's key prefix", () => {
    expect(keyInSubtree('410184003000', '410184003')).toBe(true); // the town itself
    expect(keyInSubtree('410184003012', '410184003')).toBe(true); // a village in it
    expect(keyInSubtree('410184104000', '410184003')).toBe(false); // its sibling town
    expect(keyInSubtree('410184000000', '410184003')).toBe(false); // its county
    expect(keyInSubtree('410184104000', '410184')).toBe(true);
    expect(keyInSubtree('410184104000', '410000')).toBe(true);
    expect(keyInSubtree('410184104000', 'not-a-code')).toBe(false);
  });
});
