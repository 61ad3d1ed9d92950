import type { MiddlewareHandler } from 'hono';
import { csvHeadingsOf, csvLanguageOf } from './csv-headings.ts';

/**
 * Every figure route answers CSV on `Accept: text/csv`: the answer's rows
 * (the first of `rows`, `points`, `sites`, `flags`, `regions`, `items` it has)
 * become lines, nested objects become columns (a row's `key` and `values`
 * without prefix, so an aggregates row reads `day,people_screened`). UTF-8
 * with a BOM, so Excel opens Chinese names right. With `?lang=zh|en` or an
 * `Accept-Language` naming zh or en, aggregates and timeseries columns are
 * headed by the metric labels (csv-headings.ts); without either, by the
 * machine names, as before.
 */
export function csvExport(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const wantsCsv = /\btext\/csv\b/i.test(c.req.header('accept') ?? '');
    if (!wantsCsv || c.res.status !== 200 || !c.res.headers.get('content-type')?.startsWith('application/json')) return;
    const body = (await c.res.clone().json()) as Record<string, unknown>;
    const rows = rowsOf(body);
    if (!rows) return;
    const url = new URL(c.req.url);
    const name = url.pathname.split('/').pop() || 'export';
    const lang = csvLanguageOf(url.searchParams.get('lang'), c.req.header('accept-language'));
    const headings = lang ? csvHeadingsOf(body, lang) : undefined;
    c.res = new Response(`\uFEFF${toCsv(rows, headings)}`, {
      status: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `inline; filename="${name}.csv"`,
        ...Object.fromEntries([...c.res.headers].filter(([h]) => h === 'etag' || h === 'vary')),
      },
    });
    c.res.headers.append('vary', 'Accept, Accept-Language');
  };
}

const rowFields = ['rows', 'points', 'sites', 'flags', 'regions', 'items', 'metrics', 'children'] as const;

function rowsOf(body: Record<string, unknown>): Record<string, unknown>[] | undefined {
  for (const field of rowFields) {
    const value = body[field];
    if (Array.isArray(value) && value.every((r) => typeof r === 'object' && r !== null)) return value as Record<string, unknown>[];
  }
  return undefined;
}

/** RFC 4180 CSV of flattened rows; columns in first-seen order, headed by `heading` (default: the column's name). */
export function toCsv(rows: readonly Record<string, unknown>[], heading: (column: string) => string = (column) => column): string {
  const flat = rows.map((row) => flatten(row));
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  const lines = [columns.map((col) => cell(heading(col))).join(','), ...flat.map((r) => columns.map((col) => cell(r[col])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // A row's key and values are the columns themselves, not "key.day".
    const name = prefix === '' && (k === 'key' || k === 'values') ? '' : `${prefix}${k}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, name === '' ? '' : `${name}.`));
    else out[name] = Array.isArray(v) ? v.join(';') : v;
  }
  return out;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote what CSV needs quoted; prefix what a spreadsheet would run as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
