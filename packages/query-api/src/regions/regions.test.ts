import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegionRegistry, type RegionRegistry } from '@cordon/regions';
import { ProblemError } from '@cordon/edge';
import { regionDetail, regionRefOfKey, resolveRegion, searchRegions } from './regions.ts';

let registry: RegionRegistry;
beforeAll(async () => {
  registry = await loadRegionRegistry({ provinces: ['41'] });
});

const anyone = { keyId: 'k', name: 'k', role: 'read' as const, region: null };
const town = { ...anyone, region: '410184003' };

describe('regionDetail', () => {
  it('gives the parent, the ancestors and the children with names', () => {
    const detail = regionDetail(registry, registry.get('410184')!);
    expect(detail).toMatchObject({
      code: '410184',
      name: '新郑市',
      level: 'county',
      custom: false,
      parent: { code: '410100', name: '郑州市' },
    });
    expect(detail.ancestors).toEqual([
      { code: '410000', name: '河南省' },
      { code: '410100', name: '郑州市' },
    ]);
    expect(detail.children[0]).toEqual({ code: '410184001', name: '新建路街道', level: 'town' });
    expect(detail.children.map((c) => c.code)).toEqual(registry.children('410184').map((c) => c.code));
  });
});

describe('searchRegions', () => {
  it('inside a subtree ranks as the registry does: the same answer for the whole (one-province) registry', () => {
    for (const text of ['新郑', '城关', '村', '刘集']) {
      const whole = searchRegions(registry, text, 30, null);
      const subtree = searchRegions(registry, text, 30, registry.get('410000')!);
      expect(subtree.regions.map((r) => r.code)).toEqual(whole.regions.map((r) => r.code));
    }
  });

  it('finds every match inside a subtree, not only those among the top hits of the whole registry', () => {
    const found = searchRegions(registry, '社区', 100, registry.get('410184003')!).regions;
    const expected = registry.descendantsAtLevel('410184003', 'village').filter((r) => r.name.includes('社区'));
    expect(found.map((r) => r.code).sort()).toEqual(expected.map((r) => r.code).sort());
    expect(found.every((r) => r.parent?.code === '410184003' && r.parent.name === '新烟街道')).toBe(true);
  });

  it('takes the text literally', () => {
    expect(searchRegions(registry, "%' --", 20, null).regions).toEqual([]);
  });
});

describe('resolveRegion', () => {
  it("defaults to a scoped key's region, refuses a wider one with 403 and an unknown one with 400", () => {
    expect(resolveRegion(registry, undefined, town).code).toBe('410184003');
    expect(resolveRegion(registry, '410184003001', town).code).toBe('410184003001');
    const problemOf = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error instanceof ProblemError ? [error.code, error.errors?.map((e) => e.path)] : error;
      }
      return 'no error';
    };
    expect(problemOf(() => resolveRegion(registry, '410184', town))).toEqual(['forbidden', undefined]);
    expect(problemOf(() => resolveRegion(registry, '999999', anyone))).toEqual(['validation', ['region']]);
    expect(problemOf(() => resolveRegion(registry, undefined, anyone))).toEqual(['validation', ['region']]);
  });
  it('names a stored 12-digit key by its most specific code', () => {
    expect(regionRefOfKey(registry, '410184003000')).toEqual({ code: '410184003', name: '新烟街道' });
  });
});
