/**
 * Region codes as stored: every code zero-padded to 12 digits, so a subtree
 * is a key prefix (province 2 digits, city 4, county 6, town 9, village 12)
 * and `startsWith` on the leading sort column uses the primary index.
 */
export type RegionLevel = 'province' | 'city' | 'county' | 'town' | 'village';

export const prefixLengthOf: Record<RegionLevel, number> = { province: 2, city: 4, county: 6, town: 9, village: 12 };

/** Level of a public code (410000 province, 410100 city, 410184 county, 9 digits town, 12 village). */
export function levelOfCode(code: string): RegionLevel {
  if (code.length === 12) return 'village';
  if (code.length === 9) return 'town';
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

export function regionKey(code: string): string {
  return code.padEnd(12, '0');
}

/** The key prefix selecting the subtree of a public code. */
export function subtreePrefix(code: string): string {
  return code.slice(0, prefixLengthOf[levelOfCode(code)]);
}

/** The public code of a key prefix (inverse of subtreePrefix). */
export function codeOfPrefix(prefix: string): string {
  return prefix.length <= 6 ? prefix.padEnd(6, '0') : prefix;
}

/** The public code a stored 12-digit key stands for. */
export function codeOfKey(key: string): string {
  if (!key.endsWith('000')) return key;
  if (!key.slice(6).startsWith('000')) return key.slice(0, 9);
  return key.slice(0, 6);
}
