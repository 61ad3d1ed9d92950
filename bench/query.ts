/**
 * npm run bench:query — the query API's speed on 90 days of a county's
 * (BENCH_QUERY_SHAPE=county, the default: 新郑市) or a province's
 * (BENCH_QUERY_SHAPE=province: 河南省, every county in the registry) data
 * (bench/README.md). Loads BENCH_QUERY_EVENTS events (default 10,000,000)
 * into one chDB engine inside ClickHouse (bench/query-data.ts), or reuses
 * the data folder BENCH_QUERY_DATA holds, checks the data, the API's SQL
 * and its answers against the raw table, then for the office's questions
 * (bench/query-questions.ts) measures, in the same run:
 *
 *  - the API over real HTTP (p50/p99) next to the same SQL the API issues,
 *    run directly on the same ClickHouse client (goal: API p50 within
 *    1.15× the direct SQL + 2 ms);
 *  - that SQL on the roll-ups (`province_daily`, `city_daily`,
 *    `county_daily`, `town_daily` or `metric_daily`, the one the API picks
 *    for the question) next to the
 *    same SQL on the raw `events` table with its contributions unnested
 *    (goal: roll-up ≥ 20× faster);
 *  - the event loop's longest delay while the API answers (goal < 50 ms);
 *  - the process's peak RSS (VmHWM: the server runs in this process, with
 *    chDB) during the questions, and the load time;
 *
 * and prints them beside the saved runs of the other sizes, with the growth
 * from 10M to 100M events (bench/query-growth.ts; issue 13 item 4).
 *
 * Prints figures and ratios; asserts nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, tmpdir, totalmem } from 'node:os';
import { loadAverage } from './load-average.ts';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { connectClickHouse, migrate, type ClickHouse } from '@cordon/clickhouse';
import { silentLogger } from '@cordon/ingest';
import { loadRegionRegistry } from '@cordon/regions';
import { readConfig, type CordonConfig, startCordon, type Role } from '@cordon/server';
import {
  countyPlaces,
  firstDay,
  lateKnownAt,
  loadEvents,
  planLoad,
  provincePlaces,
  rollupTables,
  type LoadPlan,
  verifySample,
  verifyTotals,
} from './query-data.ts';
import { DirectSql, etagSql, type Issued, type Row } from './query-sql.ts';
import { countyQuestions, provinceQuestions, type Question } from './query-questions.ts';
import { growthTable, readResults, saveResult, sizeLabel, type QueryRunResult } from './query-growth.ts';
import { gib, memoryOf, resetPeak } from './peak-rss.ts';
import { waitForMerges } from './merges.ts';

const totalEvents = Number(process.env['BENCH_QUERY_EVENTS'] ?? 10_000_000);
const runs = Number(process.env['BENCH_QUERY_RUNS'] ?? 100);
/** Timed raw-table runs per question; 0: only the one run the answer check makes (its time is the figure). */
const rawRuns = Number(process.env['BENCH_QUERY_RAW_RUNS'] ?? 10);
/** Runs of the same SQL on metric_daily alone (what the API read before the coarse roll-ups). */
const fineRuns = Number(process.env['BENCH_QUERY_FINE_RUNS'] ?? runs);
/** `county` (新郑市, 200 sites) or `province` (河南省, every county in the registry, 20 sites each). */
const shapeName = process.env['BENCH_QUERY_SHAPE'] ?? 'county';
/** A folder for chDB's data, kept after the run and reused by the next run of the same shape and size. */
const dataFolder = process.env['BENCH_QUERY_DATA'];
/** Where each run saves its figures, for the growth table across sizes. */
const resultsDir = process.env['BENCH_QUERY_RESULTS'] ?? join(tmpdir(), 'cordon-bench-query-results');
const mergeLimitMs = Number(process.env['BENCH_QUERY_MERGE_LIMIT_S'] ?? 900) * 1000;
const warmup = 5;
const chunk = 1_000_000;
const county = '410184';
const city = '410100';
const province = '410000';
const sitesPerCounty = 20;
const key = 'bench-query-admin-key';
/**
 * After every row but the late event (query-data.ts): the API then reads the
 * raw table (a row was received after it) and the answer is the roll-up's.
 */
const knownAt = lateKnownAt;
const eldResolutionMs = 10;
/** API and direct runs alternate in blocks of this many, so both see the same load from the rest of the machine. */
const blockRuns = 10;

const out = (line = '') => process.stdout.write(`${line}\n`);

/** Event-loop figures over the stretches a monitor measured. */
interface Loop {
  /** Longest delay, ms. */
  block: number;
  /** Share of the time the loop was busy (not waiting for I/O). */
  busy: number;
  /** Longest GC pause that began in those stretches, ms. */
  gc: number;
}

// ---------------------------------------------------------------------------
// Measuring.

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

async function sample(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times;
}

function stats(times: readonly number[]): { p50: number; p99: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

const timed = async (n: number, fn: () => Promise<unknown>) => stats(await sample(n, fn));

/** Recorded queries, whitespace-normalised and with sorted params, for comparing sets. */
function normalise(issued: readonly Issued[]): string[] {
  const sortKeys = (o: Record<string, unknown> = {}) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  return issued.map((q) => `${q.query.replace(/\s+/g, ' ').trim()} ${JSON.stringify(sortKeys(q.query_params))}`).sort();
}

/**
 * Answer rows comparable across sources: the first day (not the count of
 * rows behind it, which differs by design), and sums without zero sums (a
 * merge may remove them from the roll-up) and without `any(region)`.
 */
function comparable(results: Row[][]): string {
  return JSON.stringify(
    results.map((rows) =>
      rows
        .filter((r) => r['total'] === undefined || Math.abs(Number(r['total'])) > 1e-9)
        .map((r) =>
          r['total'] === undefined
            ? `first_day ${String(r['first_day'])}`
            : `${String(r['metric'])}|${String(r['bucket'])}|${Math.round(Number(r['total']) * 1e6) / 1e6}`,
        )
        .sort(),
    ),
  );
}

async function tableStats(ch: ClickHouse) {
  const result = await ch.client.query({
    query: `SELECT table, sum(rows) AS rows, count() AS parts, sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = {db:String} AND active AND table IN {tables:Array(String)} GROUP BY table ORDER BY table`,
    query_params: { db: ch.database, tables: ['events', ...rollupTables] },
    format: 'JSONEachRow',
  });
  return result.json<{ table: string; rows: string; parts: string; bytes: string }>();
}

const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toString()} ms`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** What a data folder holds: written once its load is complete, read when a later run reuses it. */
interface LoadRecord {
  shape: string;
  events: number;
  plan: LoadPlan;
  loadMs: number;
  mergeMs: number;
  peakKiB: number | null;
}

const loadRecordFile = (dir: string) => join(dir, 'bench-query-load.json');

/** The data folder's load record if it holds this shape and size; throws for a folder with other or unfinished data. */
function reusableLoad(dir: string, plan: LoadPlan): LoadRecord | null {
  if (!existsSync(dir) || readdirSync(dir).length === 0) return null;
  if (!existsSync(loadRecordFile(dir)))
    throw new Error(`${dir} holds data without a finished load (bench-query-load.json): delete it or choose another BENCH_QUERY_DATA`);
  const record = JSON.parse(readFileSync(loadRecordFile(dir), 'utf8')) as LoadRecord;
  if (record.shape !== shapeName || JSON.stringify(record.plan) !== JSON.stringify(plan))
    throw new Error(`${dir} holds ${record.shape} with ${fmt(record.events)} events, not ${shapeName} with ${fmt(plan.events)}`);
  return record;
}

async function main() {
  const started = new Date();
  const startLoad = loadAverage();
  if (shapeName !== 'county' && shapeName !== 'province') throw new Error(`BENCH_QUERY_SHAPE must be county or province, not ${shapeName}`);
  // The province's registry is Henan's alone (what a provincial office loads); a county's, as before, all of China.
  const regions = await loadRegionRegistry(shapeName === 'province' ? { provinces: [province.slice(0, 2)] } : {});
  const places = shapeName === 'province' ? provincePlaces(regions, province, sitesPerCounty) : countyPlaces(regions, county);
  const sites = places.siteRegions.length;
  // A village with a site: in the county the second site's; in the province a village site of 新郑市.
  const village =
    shapeName === 'province' ? places.siteRegions.find((r, i) => i % 4 !== 0 && r.startsWith(county))! : places.siteRegions[1]!;
  const askedQuestions: Question[] =
    shapeName === 'province' ? provinceQuestions({ province, city, county, village }) : countyQuestions(county, village);
  out(
    `Cordon query benchmark — ${fmt(totalEvents)} events, ${shapeName === 'province' ? 'a province' : 'one county'} (${places.label}), 90 days from ${firstDay}, ${fmt(sites)} sites; ${started.toISOString()}`,
  );
  out(
    `API and direct SQL: ${warmup} warm-up + ${runs} runs each; metric_daily alone: ${fineRuns} runs; raw table: ${rawRuns > 0 ? `1 warm-up + ${rawRuns} runs` : "the answer check's one run"}; load average at start ${startLoad} on ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB (${hostname()})`,
  );

  const plan = planLoad(totalEvents, { sites, late: true });
  const chdbDir = dataFolder ?? mkdtempSync(join(tmpdir(), 'cordon-bench-query-chdb-'));
  const serverDir = mkdtempSync(join(tmpdir(), 'cordon-bench-query-'));
  process.once('exit', () => {
    for (const dir of dataFolder ? [serverDir] : [chdbDir, serverDir]) rmSync(dir, { recursive: true, force: true });
  });
  const reused = dataFolder ? reusableLoad(dataFolder, plan) : null;
  mkdirSync(chdbDir, { recursive: true });
  const ch = await connectClickHouse({ dataDir: chdbDir, database: 'bench_query' });
  await migrate(ch);

  // --- Load -----------------------------------------------------------------
  out();
  out(
    `data: ${[
      places.counts.cities ? `${places.counts.cities} cities` : '',
      places.counts.counties > 1 ? `${places.counts.counties} counties` : '',
      `${fmt(places.counts.towns)} towns`,
      `${fmt(places.counts.villages)} villages`,
    ]
      .filter(Boolean)
      .join(
        ', ',
      )}; ${fmt(plan.bulk)} field events + ${fmt(plan.sites)} site events + ${fmt(plan.voids)} voids (each with a sign -1 retraction) + ${plan.late} late event`,
  );
  let load: LoadRecord;
  if (reused) {
    load = reused;
    out(
      `load: reused ${dataFolder} (loaded earlier in ${(load.loadMs / 1000).toFixed(1)} s, merges settled ${(load.mergeMs / 1000).toFixed(1)} s later)`,
    );
  } else {
    const loadStarted = performance.now();
    await loadEvents(ch, places, plan, chunk, (done) =>
      process.stderr.write(`  loaded ${fmt(done)} / ${fmt(plan.bulk)} field events, ${ms(performance.now() - loadStarted)}\n`),
    );
    const loadMs = performance.now() - loadStarted;
    out(
      `load: ${fmt(plan.events)} events in ${(loadMs / 1000).toFixed(1)} s (${fmt(plan.events / (loadMs / 1000))} events/s, INSERT … SELECT FROM numbers in ${Math.ceil(plan.bulk / chunk)} chunks; the views filled the roll-ups and voids)`,
    );
    const mergeMs = await waitForMerges(ch, mergeLimitMs);
    out(
      `background merges settled after ${(mergeMs / 1000).toFixed(1)} s more${mergeMs >= mergeLimitMs ? ' (the limit: still merging)' : ''}`,
    );
    load = { shape: shapeName, events: plan.events, plan, loadMs, mergeMs, peakKiB: memoryOf()?.peakKiB ?? null };
    if (dataFolder) writeFileSync(loadRecordFile(dataFolder), `${JSON.stringify(load, null, 2)}\n`);
  }
  out(`peak RSS of this process (VmHWM) after the load: ${gib(memoryOf()?.peakKiB)}${reused ? ' (no load in this run)' : ''}`);
  const tables = await tableStats(ch);
  for (const t of tables)
    out(
      `  ${t.table.padEnd(14)} ${fmt(Number(t.rows)).padStart(11)} rows, ${t.parts} parts, ${(Number(t.bytes) / 2 ** 20).toFixed(0)} MiB`,
    );

  // --- Checks ---------------------------------------------------------------
  const totals = await verifyTotals(ch);
  out(
    `check counts: ${fmt(totals.plus)} sign +1 rows (${fmt(totals.voids)} voids), ${fmt(totals.minus)} sign -1 retractions, ${fmt(totals.voidsTable)} in voids; expected ${fmt(plan.events)} / ${fmt(plan.voids)}: ${totals.plus === plan.events && totals.minus === plan.voids && totals.voidsTable === plan.voids ? 'ok' : 'MISMATCH'}`,
  );
  out(
    `check roll-ups (${rollupTables.join(', ')}) = raw, per metric (value and event count): ${totals.rollupMismatches.length === 0 ? `ok, ${totals.metrics} metrics` : `${totals.rollupMismatches.length} MISMATCHES`}`,
  );
  for (const m of totals.rollupMismatches.slice(0, 10)) out(`    ${m}`);
  const shape = await verifySample(ch, 1000, 'Asia/Shanghai');
  out(
    `check shape: ${shape.rows} rows read back (${Object.entries(shape.byType)
      .map(([t, n]) => `${t} ${n}`)
      .join(
        ', ',
      )}), parsed with eventSchema and rebuilt with the consumer's eventRow (contributionsOf): ${shape.mismatches.length === 0 ? 'all equal' : `${shape.mismatches.length} MISMATCHES`}`,
  );
  for (const m of shape.mismatches.slice(0, 10)) out(`    ${m}`);
  out(
    `check retractions: ${shape.retractions} rebuilt with retractionRow from their target and void: ${shape.retractionMismatches.length === 0 ? 'all equal' : `${shape.retractionMismatches.length} MISMATCHES`}`,
  );
  for (const m of shape.retractionMismatches.slice(0, 10)) out(`    ${m}`);

  // --- Server ---------------------------------------------------------------
  const config: CordonConfig = { ...readConfig({}), port: 0, dataDir: serverDir, bootstrapKey: key, kafkaBrokers: null };
  // The server as `npm start` runs it (ingest, consumer and query API in one
  // process; its consumer is idle here, the data went straight to ClickHouse).
  // BENCH_QUERY_ROLES=query measures a query API on its own instead, which
  // asks ClickHouse for its ETag position on every request.
  const roles: Role[] = process.env['BENCH_QUERY_ROLES'] === 'query' ? ['query'] : ['ingest', 'consumer', 'query'];
  out(`server: ${roles.join(' + ')} in this process, with chDB (so its peak RSS is this process's VmHWM, /proc/self/status)`);
  const runtime = await startCordon(config, { roles, logger: silentLogger, listen: true, clickhouse: ch, regions });
  const url = runtime.url!;

  // Records what goes to ClickHouse, to compare the API's queries with the ones written here.
  let recording: Issued[] | null = null;
  const query = ch.client.query.bind(ch.client);
  ch.client.query = ((params: Issued & Record<string, unknown>) => {
    recording?.push({ query: params.query, ...(params.query_params ? { query_params: params.query_params } : {}) });
    return query(params as Parameters<typeof query>[0]);
  }) as typeof ch.client.query;
  const record = async <T>(fn: () => Promise<T>): Promise<{ issued: Issued[]; value: T }> => {
    recording = [];
    try {
      const value = await fn();
      return { issued: recording, value };
    } finally {
      recording = null;
    }
  };
  // Not the figures' SQL: the ETag position, and the look-up whether anything was received after knownAt (figure-source.ts).
  const figureSql = (issued: Issued[]) =>
    issued.filter((i) => i.query !== etagSql(ch).query && !/WHERE received_at > \{knownAt/.test(i.query));

  const get = async (path: string) => {
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${body.slice(0, 300)}`);
    return body;
  };

  const rollup = new DirectSql(ch, 'rollup');
  const raw = new DirectSql(ch, 'raw');
  const fine = new DirectSql(ch, 'fine');
  // The longest event-loop delay: a histogram's max less its sampling interval.
  // A fresh histogram for every stretch measured: one enabled again after a
  // pause counts the pause as its first delay. Beside it, how busy the loop
  // was (a delay on an idle loop is the thread waiting for a core) and the
  // longest garbage-collection pause in the same stretches.
  const gcPauses: { start: number; duration: number }[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, duration: e.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const loopMonitor = () => {
    let max = 0;
    let active = 0;
    let total = 0;
    const stretches: [number, number][] = [];
    return {
      async during<T>(fn: () => Promise<T>): Promise<T> {
        const h = monitorEventLoopDelay({ resolution: eldResolutionMs });
        const elu = performance.eventLoopUtilization();
        const from = performance.now();
        h.enable();
        try {
          return await fn();
        } finally {
          h.disable();
          const used = performance.eventLoopUtilization(elu);
          active += used.active;
          total += used.active + used.idle;
          stretches.push([from, performance.now()]);
          if (h.count > 0) max = Math.max(max, h.max / 1e6 - eldResolutionMs);
        }
      },
      /** Read after the runs: GC entries arrive asynchronously. */
      result(): Loop {
        const gc = gcPauses
          .filter((p) => stretches.some(([a, b]) => p.start >= a && p.start <= b))
          .reduce((m, p) => Math.max(m, p.duration), 0);
        return { block: Math.max(0, max), busy: total > 0 ? active / total : 0, gc };
      },
    };
  };
  type Monitor = ReturnType<typeof loopMonitor>;

  // Floors: an HTTP round trip through Hono without ClickHouse, and the ETag's position query.
  await timed(warmup, () => get('/v1/health'));
  const health = await timed(runs, () => get('/v1/health'));
  const etag = await timed(runs, async () => (await ch.client.query({ ...etagSql(ch), format: 'JSONEachRow' })).json());
  const lag = await timed(runs, () => runtime.log.lag(runtime.groupId));

  type Quantiles = { p50: number; p99: number };
  const none: Quantiles = { p50: NaN, p99: NaN };
  interface Result {
    q: Question;
    /** The roll-up table(s) the question's SQL reads. */
    table: string;
    api: Quantiles;
    direct: Quantiles;
    /** The same questions on metric_daily alone (before the coarse roll-ups). */
    fine: Quantiles;
    raw: Quantiles;
    /** Longest event-loop blocks: API runs, direct SQL runs (control), one raw API request, raw direct runs (control). */
    loops: { api: Monitor; direct: Monitor; rawApi: Monitor; raw: Monitor };
    sameSql: boolean;
    sameRawSql: boolean;
    sameAnswer: boolean;
    error?: string;
  }
  const results: Result[] = askedQuestions.map((q) => ({
    q,
    table: '',
    api: none,
    direct: none,
    fine: none,
    raw: none,
    loops: { api: loopMonitor(), direct: loopMonitor(), rawApi: loopMonitor(), raw: loopMonitor() },
    sameSql: false,
    sameRawSql: false,
    sameAnswer: false,
  }));
  const each = async (what: string, fn: (r: Result) => Promise<void>) => {
    for (const r of results) {
      if (r.error) continue;
      process.stderr.write(`  ${what}: ${r.q.label} …\n`);
      try {
        await fn(r);
      } catch (error) {
        r.error = String(error);
      }
    }
  };
  const tablesRead = (issued: Issued[]) => [...new Set(issued.map((i) => /FROM \S+\.(\w+)/.exec(i.query)?.[1] ?? '?'))].sort().join(' + ');

  // Checks, before anything is timed: the API's SQL = the SQL written here
  // (roll-up, and raw with knownAt), and the roll-up, metric_daily alone and
  // the raw table give the same answer.
  const checkStarted = performance.now();
  out();
  await each('checks', async (r) => {
    const q = r.q;
    const api = figureSql((await record(() => get(q.path))).issued);
    const direct = await record(() => q.sql(rollup));
    const rawApi = figureSql(
      (await r.loops.rawApi.during(() => record(() => get(`${q.path}&knownAt=${encodeURIComponent(knownAt)}`)))).issued,
    );
    const rawStarted = performance.now();
    const rawDirect = await record(() => q.sql(raw));
    const rawMs = performance.now() - rawStarted;
    r.table = tablesRead(direct.issued);
    r.sameSql = JSON.stringify(normalise(api)) === JSON.stringify(normalise(direct.issued));
    r.sameRawSql = JSON.stringify(normalise(rawApi)) === JSON.stringify(normalise(rawDirect.issued));
    if (!r.sameSql)
      out(`  ${q.label}: API sent\n    ${normalise(api).join('\n    ')}\n  written here:\n    ${normalise(direct.issued).join('\n    ')}`);
    if (!r.sameRawSql)
      out(
        `  ${q.label} with knownAt: API sent\n    ${normalise(rawApi).join('\n    ')}\n  written here:\n    ${normalise(rawDirect.issued).join('\n    ')}`,
      );
    const rawAnswer = comparable(rawDirect.value);
    r.sameAnswer = comparable(direct.value) === rawAnswer && comparable(await q.sql(fine)) === rawAnswer;
    if (rawRuns === 0) r.raw = { p50: rawMs, p99: rawMs };
  });
  const checkMs = performance.now() - checkStarted;

  // The office's questions, timed. The peak RSS is measured from here
  // (VmHWM reset to the RSS the process holds now, after the load and the
  // raw-table checks) to the last of them.
  const peaks = { load: load.peakKiB, beforeOffice: memoryOf()?.nowKiB ?? null, office: null as number | null, raw: null as number | null };
  const peakReset = resetPeak();
  const officeStarted = performance.now();
  await each('timing', async (r) => {
    const q = r.q;
    for (let i = 0; i < warmup; i++) {
      await get(q.path);
      await q.sql(rollup);
    }
    const apiTimes: number[] = [];
    const directTimes: number[] = [];
    const fineTimes: number[] = [];
    if (fineRuns > 0) for (let i = 0; i < Math.min(warmup, fineRuns); i++) await q.sql(fine);
    for (let done = 0; done < runs; done += blockRuns) {
      const n = Math.min(blockRuns, runs - done);
      apiTimes.push(...(await r.loops.api.during(() => sample(n, () => get(q.path)))));
      directTimes.push(...(await r.loops.direct.during(() => sample(n, () => q.sql(rollup)))));
      // metric_daily alone gets its runs spread over the blocks (all of them by default).
      const fineN = Math.min(n, Math.max(0, fineRuns - fineTimes.length));
      if (fineN > 0) fineTimes.push(...(await sample(fineN, () => q.sql(fine))));
    }
    r.api = stats(apiTimes);
    r.direct = stats(directTimes);
    r.fine = fineTimes.length > 0 ? stats(fineTimes) : none;
  });
  const officeMs = performance.now() - officeStarted;
  peaks.office = peakReset ? (memoryOf()?.peakKiB ?? null) : null;

  const rawStarted = performance.now();
  if (rawRuns > 0) {
    resetPeak();
    await each('raw table', async (r) => {
      await r.q.sql(raw);
      r.raw = await r.loops.raw.during(() => timed(rawRuns, () => r.q.sql(raw)));
    });
    peaks.raw = memoryOf()?.peakKiB ?? null;
  }
  const rawMs = performance.now() - rawStarted;
  await runtime.close();
  await ch.close();

  // --- Report ---------------------------------------------------------------
  const head = [
    'question',
    'reads',
    'API p50/p99',
    'direct SQL p50/p99',
    'API p50 vs goal (1.15×SQL+2ms)',
    'metric_daily alone p50',
    `raw p50${rawRuns === 0 ? ' (1 run)' : ''}`,
    'raw/roll-up (goal ≥ 20×)',
  ];
  const table = results.map((r) => {
    if (r.error) return [r.q.label, r.table, `error: ${r.error.slice(0, 120)}`, '', '', '', '', ''];
    const budget = 1.15 * r.direct.p50 + 2;
    const speedup = r.raw.p50 / r.direct.p50;
    return [
      r.q.label,
      r.table,
      `${ms(r.api.p50)} / ${ms(r.api.p99)}`,
      `${ms(r.direct.p50)} / ${ms(r.direct.p99)}`,
      `${(r.api.p50 / r.direct.p50).toFixed(2)}×, budget ${ms(budget)} ${r.api.p50 <= budget ? 'met' : 'MISSED'}`,
      Number.isFinite(r.fine.p50) ? `${ms(r.fine.p50)} (${(r.fine.p50 / r.direct.p50).toFixed(1)}×)` : 'not run',
      ms(r.raw.p50),
      `${speedup.toFixed(0)}× ${speedup >= 20 ? 'met' : 'MISSED'}`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  out(line(head));
  out(line(widths.map((w) => '-'.repeat(w))));
  for (const row of table) out(line(row));
  out();
  gcObserver.disconnect();
  const ok = results.filter((r) => !r.error);
  const loops = new Map(
    ok.map((r) => [
      r,
      { api: r.loops.api.result(), direct: r.loops.direct.result(), rawApi: r.loops.rawApi.result(), raw: r.loops.raw.result() },
    ]),
  );
  const no = (r: Result) => r.q.label.split(' ')[0]!;
  const worstOf = (pick: 'api' | 'direct' | 'rawApi' | 'raw') => {
    const w = ok.reduce<Result | null>((w, r) => (w === null || loops.get(r)![pick].block > loops.get(w)![pick].block ? r : w), null);
    if (!w) return 'n/a';
    const l = loops.get(w)![pick];
    return `${ms(l.block)} (question ${no(w)}; in those runs the loop was busy ${(l.busy * 100).toFixed(0)} % of the time, longest GC pause ${l.gc > 0 ? ms(l.gc) : 'none'})`;
  };
  out(`longest event-loop block during the API runs: ${worstOf('api')} — goal < 50 ms`);
  out(
    `  (monitorEventLoopDelay max less its ${eldResolutionMs} ms interval, in the one process that serves, sends and runs chDB; a delay while the loop is idle is the thread waiting for a core)`,
  );
  out(
    `  per question, API runs / direct SQL runs (control, no HTTP): ${ok.map((r) => `${no(r)}: ${ms(loops.get(r)!.api.block)} / ${ms(loops.get(r)!.direct.block)}`).join(', ')}`,
  );
  out(`  one raw-table API request per question (knownAt=${knownAt}): ${worstOf('rawApi')}`);
  if (rawRuns > 0) out(`  raw-table direct SQL runs (control): ${worstOf('raw')}`);
  out(
    `floors: GET /v1/health over HTTP p50 ${ms(health.p50)} / p99 ${ms(health.p99)}; the ETag position query (SELECT count() FROM events, sent before every figure request only by a query API without a consumer in its process) p50 ${ms(etag.p50)} / p99 ${ms(etag.p99)}; the embedded log's lag read (asOf, cached 100 ms) p50 ${ms(lag.p50)}`,
  );
  out(
    `API's ClickHouse queries = the SQL written here: ${ok.filter((r) => r.sameSql).length}/${results.length} questions on the roll-up, ${ok.filter((r) => r.sameRawSql).length}/${results.length} with knownAt on the raw table`,
  );
  out(
    `roll-up answer = metric_daily answer = raw answer (sign-aware, zero sums aside): ${ok.filter((r) => r.sameAnswer).length}/${results.length} questions${
      ok.some((r) => !r.sameAnswer)
        ? ` (differ: ${ok
            .filter((r) => !r.sameAnswer)
            .map(no)
            .join(', ')})`
        : ''
    }`,
  );
  const officeGoal = ok.filter((r) => r.api.p50 < 50).length;
  out(`API p50 under 50 ms (issue 13's goal at 100M events): ${officeGoal}/${results.length} questions`);
  const wholeKiB = memoryOf()?.peakKiB ?? null;
  out(
    `peak RSS (VmHWM of this process, which serves and holds chDB): office questions ${gib(peaks.office)}${peakReset ? ` (from ${gib(peaks.beforeOffice)} held when they began)` : ' (VmHWM could not be reset: whole run)'} — goal < 4 GiB; load ${gib(peaks.load)}${rawRuns > 0 ? `; raw-table runs ${gib(peaks.raw)}` : ''}`,
  );
  const endLoad = loadAverage();
  const totalSeconds = (Date.now() - started.getTime()) / 1000;
  out(
    `time: load ${reused ? `reused (${(load.loadMs / 1000).toFixed(0)} s when made)` : `${(load.loadMs / 1000).toFixed(0)} s + merges ${(load.mergeMs / 1000).toFixed(0)} s`}, checks ${(checkMs / 1000).toFixed(0)} s, office questions ${(officeMs / 1000).toFixed(0)} s, raw runs ${(rawMs / 1000).toFixed(0)} s; total ${totalSeconds.toFixed(0)} s`,
  );
  out(`load average at the end ${endLoad}`);

  const result: QueryRunResult = {
    shape: shapeName,
    events: plan.events,
    date: started.toISOString(),
    machine: `${hostname()}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    loadAverage: { start: startLoad, end: endLoad },
    load: { ms: load.loadMs, mergeMs: load.mergeMs, reused: reused !== null },
    peakRss: {
      loadKiB: peaks.load,
      officeKiB: peaks.office,
      rawKiB: peaks.raw,
      wholeKiB: Math.max(wholeKiB ?? 0, peaks.load ?? 0) || null,
    },
    tables: Object.fromEntries(tables.map((t) => [t.table, { rows: Number(t.rows), bytes: Number(t.bytes) }])),
    questions: results.map((r) => ({ label: r.q.label, table: r.table, api: r.api, direct: r.direct, raw: r.raw })),
    totalSeconds,
  };
  const file = saveResult(resultsDir, result);
  const sizes = readResults(resultsDir, shapeName);
  out();
  out(`how cost grows (${shapeName}; the runs saved in ${resultsDir}, this one as ${file}): API p50 / p99 per size`);
  for (const l of growthTable(sizes)) out(l);
  out(`sizes: ${sizes.map((r) => `${sizeLabel(r.events)} ${r.date}`).join(', ')}`);
}

await main();
