/**
 * Region codes: syntax only, no registry.
 *
 * The public form is GB/T 2260 (6 digits: province `410000`, city `410100`,
 * county `410184`) extended by the national statistical division codes
 * (9 digits for a town, 12 for a village). Internally every code is a
 * 12-digit key (`key12`, zero padded) plus a level; a subtree is "every key
 * starting with `prefix` at a deeper level".
 *
 * The level matters beside the key: 金门县's only town is `350527000` and its
 * only village `350527000000`, so county, town and village share the key
 * `350527000000`. Comparing prefixes alone would put the county inside its
 * own town.
 */

export type RegionLevel = 'province' | 'city' | 'county' | 'town' | 'village';

/** From the top of the tree down. */
export const regionLevels: readonly RegionLevel[] = Object.freeze(['province', 'city', 'county', 'town', 'village'] as const);

export interface ParsedRegionCode {
  /** The public code, as given. */
  code: string;
  level: RegionLevel;
  /** The part of `key12` that every code in the subtree starts with. */
  prefix: string;
  /** The 12-digit zero-padded internal key. */
  key12: string;
}

const DIGITS = /^\d+$/;

/** Index of a level in {@link regionLevels}: province 0 … village 4. */
export function levelIndex(level: RegionLevel): number {
  switch (level) {
    case 'province':
      return 0;
    case 'city':
      return 1;
    case 'county':
      return 2;
    case 'town':
      return 3;
    case 'village':
      return 4;
  }
}

/**
 * Parses a public region code by its syntax. Returns `undefined` for
 * anything that is not 6, 9 or 12 digits, for a zero province part
 * (`000000`), and for a city part `00` under anything but a province
 * (`410084`, `410012345`). A county part `00` under a real city is accepted
 * for towns and villages: 东莞市 (`441900`), 中山市 and 儋州市 have no county
 * level, so their towns read `441900003`.
 */
export function parseRegionCode(code: string): ParsedRegionCode | undefined {
  if (typeof code !== 'string' || !DIGITS.test(code)) return undefined;
  const province = code.slice(0, 2);
  const city = code.slice(2, 4);
  const county = code.slice(4, 6);
  if (province === '00') return undefined;
  switch (code.length) {
    case 6: {
      const key12 = code + '000000';
      if (city === '00') {
        if (county !== '00') return undefined;
        return { code, level: 'province', prefix: province, key12 };
      }
      if (county === '00') return { code, level: 'city', prefix: province + city, key12 };
      return { code, level: 'county', prefix: code, key12 };
    }
    case 9:
      if (city === '00') return undefined;
      return { code, level: 'town', prefix: code, key12: code + '000' };
    case 12:
      if (city === '00') return undefined;
      return { code, level: 'village', prefix: code, key12: code };
    default:
      return undefined;
  }
}

/**
 * The public codes above `code` by syntax, from the province down to the
 * immediate parent: `410184001001` → `410000, 410100, 410184, 410184001`.
 * A county part `00` (东莞市's towns) has no county ancestor. Returns `[]`
 * for an invalid code and for a province.
 */
export function ancestorCodes(code: string): string[] {
  const parsed = parseRegionCode(code);
  if (!parsed) return [];
  const { key12, level } = parsed;
  const depth = levelIndex(level);
  const out: string[] = [];
  if (depth > 0) out.push(key12.slice(0, 2) + '0000');
  if (depth > 1) out.push(key12.slice(0, 4) + '00');
  if (depth > 2 && key12.slice(4, 6) !== '00') out.push(key12.slice(0, 6));
  if (depth > 3) out.push(key12.slice(0, 9));
  return out;
}

/** The immediate syntactic parent, or `null` for a province (and an invalid code). */
export function syntacticParent(code: string): string | null {
  const list = ancestorCodes(code);
  return list.length > 0 ? (list[list.length - 1] ?? null) : null;
}

/** The public code of a 12-digit key at a level (the inverse of {@link parseRegionCode}). */
export function publicCode(key12: string, level: RegionLevel): string {
  switch (level) {
    case 'province':
      return key12.slice(0, 2) + '0000';
    case 'city':
      return key12.slice(0, 4) + '00';
    case 'county':
      return key12.slice(0, 6);
    case 'town':
      return key12.slice(0, 9);
    case 'village':
      return key12;
  }
}

/** Length of the key prefix that selects a subtree at each level. */
export const prefixLengthOf: Readonly<Record<RegionLevel, number>> = Object.freeze({
  province: 2,
  city: 4,
  county: 6,
  town: 9,
  village: 12,
});

/**
 * The most specific public code a 12-digit key can stand for: trailing zero
 * parts are read as "not below this level" (`410184000000` → `410184`,
 * `410184001000` → `410184001`). Used to name roll-up rows stored by key.
 * Ambiguous only where a real code ends in zero parts (金门县's town
 * `350527000` reads as the county).
 */
export function mostSpecificCode(key12: string): string {
  if (!key12.endsWith('000')) return key12;
  if (key12.slice(6, 9) !== '000') return key12.slice(0, 9);
  if (key12.slice(4, 6) !== '00') return key12.slice(0, 6);
  if (key12.slice(2, 4) !== '00') return `${key12.slice(0, 4)}00`;
  return `${key12.slice(0, 2)}0000`;
}

/**
 * Whether a stored 12-digit key lies in the subtree of the public `code`,
 * read as the figure routes read a subtree (`startsWith(region, prefix)`):
 * so a key limited to `code` may void exactly what its figures count.
 * False for an invalid code.
 */
export function keyInSubtree(key12: string, code: string): boolean {
  const parsed = parseRegionCode(code);
  return parsed !== undefined && key12.startsWith(parsed.prefix);
}
