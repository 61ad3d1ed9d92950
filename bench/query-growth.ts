/**
 * How the query bench's cost grows with the data (issue 13 item 4): every
 * run of bench/query.ts saves its figures as JSON; this puts the runs of one
 * shape (county or province) side by side, one column per size, with the
 * growth factor from 10M to 100M events.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gib } from './peak-rss.ts';
import { rollupTables } from './query-data.ts';

interface Quantiles {
  p50: number;
  p99: number;
}

export interface QueryRunResult {
  shape: string;
  events: number;
  /** ISO instant the run started. */
  date: string;
  machine: string;
  loadAverage: { start: string; end: string };
  /** Load and merge time of the data folder (from its first run when reused). */
  load: { ms: number; mergeMs: number; reused: boolean };
  /** Peak RSS (VmHWM) in KiB: while loading, during the office questions (API and roll-up SQL), the raw-table runs, the whole run. */
  peakRss: { loadKiB: number | null; officeKiB: number | null; rawKiB: number | null; wholeKiB: number | null };
  tables: Record<string, { rows: number; bytes: number }>;
  questions: { label: string; table: string; api: Quantiles; direct: Quantiles; raw: Quantiles }[];
  totalSeconds: number;
}

export const sizeLabel = (events: number) =>
  events >= 1e6 && events % 1e6 === 0 ? `${events / 1e6}M` : events >= 1e3 && events % 1e3 === 0 ? `${events / 1e3}k` : String(events);

export function saveResult(dir: string, result: QueryRunResult): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.shape}-${sizeLabel(result.events)}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** The saved runs of a shape, smallest first (the latest run of each size). */
export function readResults(dir: string, shape: string): QueryRunResult[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.startsWith(`${shape}-`) && f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as QueryRunResult).sort((a, b) => a.events - b.events);
}

const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toString()) : 'n/a');
const rows = (n: number | undefined) => (n === undefined ? 'n/a' : n.toLocaleString('en-US'));

/**
 * One Markdown table: per question the API's p50 / p99 (ms) at each size and
 * p50 at 100M ÷ p50 at 10M; then the load time, the peak RSS and the
 * roll-up tables' rows at each size.
 */
export function growthTable(results: readonly QueryRunResult[]): string[] {
  if (results.length === 0) return [];
  const at = (events: number) => results.find((r) => r.events === events);
  const from = at(10_000_000);
  const to = at(100_000_000);
  const factor = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined && a > 0 && Number.isFinite(a) && Number.isFinite(b) ? `${(b / a).toFixed(2)}×` : 'n/a';
  const head = ['question', 'reads', ...results.map((r) => `${sizeLabel(r.events)} p50 / p99 ms`), '10M→100M p50'];
  const labels = results[results.length - 1]!.questions.map((q) => q.label);
  const body: string[][] = labels.map((label) => {
    const of = (r: QueryRunResult | undefined) => r?.questions.find((q) => q.label === label);
    return [
      label,
      of(results[results.length - 1])?.table ?? '',
      ...results.map((r) => {
        const q = of(r);
        return q ? `${ms(q.api.p50)} / ${ms(q.api.p99)}` : 'n/a';
      }),
      factor(of(from)?.api.p50, of(to)?.api.p50),
    ];
  });
  const loadS = (r: QueryRunResult | undefined) => (r ? r.load.ms / 1000 : undefined);
  body.push([
    'load (INSERT … SELECT, then merges)',
    '',
    ...results.map((r) => `${(r.load.ms / 1000).toFixed(0)} s + ${(r.load.mergeMs / 1000).toFixed(0)} s`),
    factor(loadS(from), loadS(to)),
  ]);
  body.push([
    'peak RSS, office questions (VmHWM)',
    '',
    ...results.map((r) => gib(r.peakRss.officeKiB)),
    factor(from?.peakRss.officeKiB ?? undefined, to?.peakRss.officeKiB ?? undefined),
  ]);
  body.push([
    'peak RSS, whole run incl. load and raw scans',
    '',
    ...results.map((r) => gib(r.peakRss.wholeKiB)),
    factor(from?.peakRss.wholeKiB ?? undefined, to?.peakRss.wholeKiB ?? undefined),
  ]);
  for (const table of ['events', ...rollupTables])
    body.push([
      `rows in ${table}`,
      '',
      ...results.map((r) => rows(r.tables[table]?.rows)),
      factor(from?.tables[table]?.rows, to?.tables[table]?.rows),
    ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}
