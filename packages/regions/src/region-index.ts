/**
 * The compact, column-oriented form of the built-in region tree.
 *
 * 665k regions as objects would cost well over 100 MB and seconds of GC on
 * every start, so the tree lives in a few typed arrays sorted by
 * (key12, level). Sorting that way puts every region right before its whole
 * subtree, so a subtree is the index range `[i, ends[i])` and "is X within
 * Y" is two integer comparisons. Region objects are made on demand.
 */
import { type RegionLevel, regionLevels } from './code.ts';

export interface RegionIndex {
  /** `key12 * 8 + levelIndex`, ascending. Exact in a double (< 2^43). */
  keys: Float64Array;
  /** Index of the parent, -1 for a province. */
  parents: Int32Array;
  /** Exclusive end of each region's subtree (itself included). */
  ends: Int32Array;
  /** `names.slice(nameOffsets[i], nameOffsets[i + 1])` is the name of region i; length n + 1. */
  nameOffsets: Uint32Array;
  /** Every name, concatenated in index order without separators. */
  names: string;
}

const LEVEL_DIVISORS = [1e10, 1e8, 1e6, 1e3, 1] as const;

export function compositeKey(key12: string, depth: number): number {
  return Number(key12) * 8 + depth;
}

export function keyDepth(key: number): number {
  return key % 8;
}

export function keyLevel(key: number): RegionLevel {
  return regionLevels[key % 8] as RegionLevel;
}

export function keyKey12(key: number): string {
  return String(Math.floor(key / 8)).padStart(12, '0');
}

/** The numeric prefix of a composite key at `depth` (province: first 2 digits, …). */
function prefixAt(key: number, depth: number): number {
  return Math.floor(Math.floor(key / 8) / (LEVEL_DIVISORS[depth] as number));
}

/** Whether composite key `a` is the key of an ancestor of composite key `b` (syntactically). */
export function keyIsAncestor(a: number, b: number): boolean {
  const da = keyDepth(a);
  return da < keyDepth(b) && prefixAt(a, da) === prefixAt(b, da);
}

/**
 * Builds the index from unsorted (key, name) pairs. Parents come from the
 * sorted order with a stack of open subtrees: the parent of a region is the
 * nearest preceding region whose prefix it starts with at a shallower level.
 * Duplicate keys keep the first name.
 */
export function buildRegionIndex(keys: Float64Array, names: readonly string[]): RegionIndex {
  const total = keys.length;
  const order = new Int32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => (keys[a] as number) - (keys[b] as number));

  const outKeys = new Float64Array(total);
  const parents = new Int32Array(total);
  const ends = new Int32Array(total);
  const offsets = new Uint32Array(total + 1);
  const parts: string[] = [];
  const stack: number[] = [];
  let n = 0;
  let chars = 0;
  for (let o = 0; o < total; o++) {
    const src = order[o] as number;
    const key = keys[src] as number;
    if (n > 0 && outKeys[n - 1] === key) continue;
    while (stack.length > 0 && !keyIsAncestor(outKeys[stack[stack.length - 1] as number] as number, key)) {
      ends[stack.pop() as number] = n;
    }
    outKeys[n] = key;
    parents[n] = stack.length > 0 ? (stack[stack.length - 1] as number) : -1;
    const name = names[src] ?? '';
    offsets[n] = chars;
    parts.push(name);
    chars += name.length;
    stack.push(n);
    n++;
  }
  while (stack.length > 0) ends[stack.pop() as number] = n;
  offsets[n] = chars;
  return {
    keys: outKeys.slice(0, n),
    parents: parents.slice(0, n),
    ends: ends.slice(0, n),
    nameOffsets: offsets.slice(0, n + 1),
    names: parts.join(''),
  };
}

/**
 * Keeps only the subtrees of the given provinces (2-digit prefixes),
 * copying the arrays so the full index can be garbage collected.
 */
export function selectProvinces(index: RegionIndex, provinces: readonly string[]): RegionIndex {
  const wanted = new Set(provinces.map((p) => Number(p)));
  const ranges: Array<[number, number]> = [];
  const n = index.keys.length;
  // Provinces are the roots, so walking root to root visits each subtree once.
  for (let i = 0; i < n; i = index.ends[i] as number) {
    if (wanted.has(prefixAt(index.keys[i] as number, 0))) ranges.push([i, index.ends[i] as number]);
  }
  let size = 0;
  let chars = 0;
  for (const [a, b] of ranges) {
    size += b - a;
    chars += (index.nameOffsets[b] as number) - (index.nameOffsets[a] as number);
  }
  const keys = new Float64Array(size);
  const parents = new Int32Array(size);
  const ends = new Int32Array(size);
  const nameOffsets = new Uint32Array(size + 1);
  const parts: string[] = [];
  let at = 0;
  let charAt = 0;
  for (const [a, b] of ranges) {
    const shift = at - a;
    const firstChar = index.nameOffsets[a] as number;
    const charShift = charAt - firstChar;
    for (let i = a; i < b; i++, at++) {
      keys[at] = index.keys[i] as number;
      const p = index.parents[i] as number;
      parents[at] = p < 0 ? -1 : p + shift;
      ends[at] = (index.ends[i] as number) + shift;
      nameOffsets[at] = (index.nameOffsets[i] as number) + charShift;
    }
    const lastChar = index.nameOffsets[b] as number;
    parts.push(index.names.slice(firstChar, lastChar));
    charAt += lastChar - firstChar;
  }
  nameOffsets[size] = chars;
  return { keys, parents, ends, nameOffsets, names: parts.join('') };
}
