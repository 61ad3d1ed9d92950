/**
 * npm run bench:query — the query API's speed on a county's 90 days
 * (bench/README.md). Loads BENCH_QUERY_EVENTS events (default 10,000,000)
 * into one chDB engine inside ClickHouse (bench/query-data.ts), then for the
 * office's ten most common questions measures, in the same run:
 *
 *  - the API over real HTTP (p50/p99) next to the same SQL the API issues,
 *    run directly on the same ClickHouse client (goal: API p50 within
 *    1.15× the direct SQL + 2 ms);
 *  - that SQL on the roll-ups (`county_daily`, `town_daily` or
 *    `metric_daily`, the one the API picks for the question) next to the
 *    same SQL on the raw `events` table with its contributions unnested
 *    (goal: roll-up ≥ 20× faster);
 *  - the event loop's longest delay while the API answers (goal < 50 ms).
 *
 * Prints figures and ratios; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { loadAverage } from './load-average.ts';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { connectClickHouse, migrate, type ClickHouse } from '@cordon/clickhouse';
import { silentLogger } from '@cordon/ingest';
import { loadRegionRegistry } from '@cordon/regions';
import { readConfig, type CordonConfig, startCordon, type Role } from '@cordon/server';
import { countyPlaces, donatedMetrics, firstDay, loadEvents, planLoad, siteRegions, verifySample, verifyTotals } from './query-data.ts';
import { waitForMerges } from './merges.ts';

const totalEvents = Number(process.env['BENCH_QUERY_EVENTS'] ?? 10_000_000);
const runs = Number(process.env['BENCH_QUERY_RUNS'] ?? 100);
const rawRuns = Number(process.env['BENCH_QUERY_RAW_RUNS'] ?? 10);
const warmup = 5;
const chunk = 1_000_000;
const county = '410184';
const key = 'bench-query-admin-key';
/** After every event and retraction was received: the raw source then sees everything the roll-up does. */
const knownAt = '2020-06-01T00:00:00.000Z';
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
// The SQL the API issues, written out here: packages/query-api/src/aggregates/aggregate-sql.ts
// (sumFigures, firstDay) and etag.ts. Each question below calls these in the
// order and with the parallelism of aggregate.ts / timeseries.ts. A check at
// start-up compares them with what the API actually sends.

/** `fine`: the roll-up questions on `metric_daily` alone, as the API read them before the coarse roll-ups. */
type SourceKind = 'rollup' | 'fine' | 'raw';
type Grouping = 'none' | 'day' | 'region' | 'site' | 'dimension';

const rollupSql = { from: 'metric_daily', metric: 'metric', dim: 'dim', value: 'value', events: 'events', known: '' } as const;
const sourceSql = {
  rollup: rollupSql,
  fine: rollupSql,
  raw: {
    from: 'events ARRAY JOIN contributions AS c',
    metric: 'c.metric',
    dim: 'c.dim',
    value: 'c.value * sign',
    events: 'sign',
    known: `AND received_at <= {knownAt:DateTime64(3, 'UTC')}`,
  },
} as const;

/**
 * The roll-up table the API reads for a question (figure-source.ts
 * rollupTableFor): the coarsest that holds its region digits (the subtree,
 * and the breakdown's level) and its sites.
 */
function rollupTable(regionDigits: number, bySite: boolean): string {
  if (bySite || regionDigits > 9) return 'metric_daily';
  return regionDigits > 6 ? 'town_daily' : 'county_daily';
}

const bucketSql = (grouping: Grouping, kind: SourceKind) =>
  ({
    none: `''`,
    day: 'toString(day)',
    region: 'substring(region, 1, {prefixLength:UInt8})',
    site: 'site',
    dimension: sourceSql[kind].dim,
  })[grouping];

interface Sum {
  metrics: readonly string[];
  prefix: string;
  from: string | null;
  to: string;
  groupBy: Grouping;
  prefixLength?: number;
  dim?: string;
}

interface Issued {
  query: string;
  query_params?: Record<string, unknown>;
}

type Row = Record<string, unknown>;

class DirectSql {
  constructor(
    private readonly ch: ClickHouse,
    readonly kind: SourceKind,
  ) {}

  private knownAtParam() {
    return this.kind === 'raw' ? knownAt.replace('T', ' ').replace('Z', '') : '1970-01-01 00:00:00.000';
  }

  private async run(issued: Issued): Promise<Row[]> {
    const result = await this.ch.client.query({ ...issued, format: 'JSONEachRow' });
    return result.json<Row>();
  }

  private from(regionDigits: number, bySite: boolean): string {
    const s = sourceSql[this.kind];
    return `${this.ch.database}.${this.kind === 'rollup' ? rollupTable(regionDigits, bySite) : s.from}`;
  }

  /** sumFigures: nothing is sent for no metrics. */
  sum(q: Sum): Promise<Row[]> {
    if (q.metrics.length === 0) return Promise.resolve([]);
    const s = sourceSql[this.kind];
    const regionDigits = Math.max(q.prefix.length, q.groupBy === 'region' ? (q.prefixLength ?? 12) : 0);
    return this.run({
      query: `SELECT ${s.metric} AS metric, ${bucketSql(q.groupBy, this.kind)} AS bucket, any(region) AS site_region, sum(${s.value}) AS total
            FROM ${this.from(regionDigits, q.groupBy === 'site')}
            WHERE metric IN {metrics:Array(String)} AND startsWith(region, {prefix:String})
              AND day <= {to:Date} ${q.from === null ? '' : 'AND day >= {from:Date}'}
              ${q.dim === undefined ? '' : `AND ${s.dim} = {dim:String}`} ${s.known}
            GROUP BY metric, bucket`,
      query_params: {
        metrics: q.metrics,
        prefix: q.prefix,
        to: q.to,
        from: q.from ?? q.to,
        prefixLength: q.prefixLength ?? 12,
        dim: q.dim ?? '',
        knownAt: this.knownAtParam(),
      },
    });
  }

  /** firstDay: the first day with data, for a request without `from`. */
  async firstDay(metrics: readonly string[], prefix: string): Promise<{ day: string | null; rows: Row[] }> {
    const s = sourceSql[this.kind];
    const rows = await this.run({
      query: `SELECT toString(day) AS first_day, sum(${s.events}) AS n FROM ${this.from(prefix.length, false)}
            WHERE ${s.metric} IN {metrics:Array(String)} AND startsWith(region, {prefix:String})
               ${s.known}
            GROUP BY day HAVING n > 0 ORDER BY day LIMIT 1`,
      query_params: { metrics, prefix, dim: '', knownAt: this.knownAtParam() },
    });
    const row = rows[0];
    return { day: row && Number(row['n']) > 0 ? String(row['first_day']) : null, rows };
  }
}

/** The position query pipelineEtag sends before every figure request (not part of the figures). */
const etagSql = (ch: ClickHouse): Issued => ({ query: `SELECT count() AS n FROM ${ch.database}.events` });

// ---------------------------------------------------------------------------
// The ten questions.

interface Question {
  label: string;
  path: string;
  /** The API's queries for this request, in its order; the answer rows of each. */
  sql(db: DirectSql): Promise<Row[][]>;
}

const headline = ['vehicles_screened', 'people_screened', 'vehicles_turned_back', 'people_turned_back', 'fever_cases'];
const lastDay = '2020-04-18';

function questions(village: string): Question[] {
  const base = { prefix: county };
  const qs = (params: Record<string, string>) => new URLSearchParams(params).toString();
  return [
    {
      label: '1 county totals, 5 headline metrics, to 2月13日',
      path: `/v1/aggregates?${qs({ metrics: headline.join(','), region: county, to: '2020-02-13' })}`,
      async sql(db) {
        const first = await db.firstDay(headline, county);
        const flow = await db.sum({ ...base, metrics: headline, from: first.day ?? '2020-02-13', to: '2020-02-13', groupBy: 'none' });
        return [first.rows, flow];
      },
    },
    {
      label: '2 people turned back per town, last week',
      path: `/v1/aggregates?${qs({ metrics: 'people_turned_back', region: county, from: '2020-02-07', to: '2020-02-13', groupBy: 'region', level: 'town' })}`,
      async sql(db) {
        // The totals are the rows added up (aggregate.ts): one query.
        const rows = await db.sum({
          ...base,
          metrics: ['people_turned_back'],
          from: '2020-02-07',
          to: '2020-02-13',
          groupBy: 'region',
          prefixLength: 9,
        });
        return [rows];
      },
    },
    {
      label: '3 fever cases per day since 1月24日',
      path: `/v1/timeseries?${qs({ metric: 'fever_cases', region: county, from: '2020-01-24', to: lastDay, interval: 'day' })}`,
      async sql(db) {
        // The window starts 7 days before `from` (timeseries.ts lookbackDays).
        return Promise.all([
          db.sum({ ...base, metrics: ['fever_cases'], from: null, to: '2020-01-16', groupBy: 'none' }),
          db.sum({ ...base, metrics: ['fever_cases'], from: '2020-01-17', to: lastDay, groupBy: 'day' }),
        ]);
      },
    },
    {
      label: '4 donated, by item (12 donated:* metrics)',
      path: `/v1/aggregates?${qs({ metrics: donatedMetrics.join(','), region: county, from: firstDay, to: lastDay })}`,
      async sql(db) {
        return [await db.sum({ ...base, metrics: donatedMetrics, from: firstDay, to: lastDay, groupBy: 'none' })];
      },
    },
    {
      label: '5 quarantine_active now',
      path: `/v1/aggregates?${qs({ metrics: 'quarantine_active', region: county, to: lastDay })}`,
      async sql(db) {
        const first = await db.firstDay(['quarantine_active'], county);
        return [first.rows, await db.sum({ ...base, metrics: ['quarantine_active'], from: null, to: lastDay, groupBy: 'none' })];
      },
    },
    {
      label: '6 top-10 sites by people turned back, last week',
      path: `/v1/aggregates?${qs({ metrics: 'people_turned_back', region: county, from: '2020-02-07', to: '2020-02-13', groupBy: 'site', sort: '-people_turned_back', limit: '10' })}`,
      async sql(db) {
        return [await db.sum({ ...base, metrics: ['people_turned_back'], from: '2020-02-07', to: '2020-02-13', groupBy: 'site' })];
      },
    },
    {
      label: '7 people screened, weekly trend',
      path: `/v1/timeseries?${qs({ metric: 'people_screened', region: county, from: firstDay, to: lastDay, interval: 'week' })}`,
      async sql(db) {
        // Weeks run Monday 1月20日 to Sunday 4月19日; the window starts 7 days earlier.
        return Promise.all([
          db.sum({ ...base, metrics: ['people_screened'], from: null, to: '2020-01-12', groupBy: 'none' }),
          db.sum({ ...base, metrics: ['people_screened'], from: '2020-01-13', to: '2020-04-19', groupBy: 'day' }),
        ]);
      },
    },
    {
      label: '8 turn-back reasons breakdown',
      path: `/v1/aggregates?${qs({ metrics: 'people_turned_back,vehicles_turned_back', region: county, from: firstDay, to: lastDay, groupBy: 'dimension' })}`,
      async sql(db) {
        const metrics = ['people_turned_back', 'vehicles_turned_back'];
        return [await db.sum({ ...base, metrics, from: firstDay, to: lastDay, groupBy: 'dimension' })];
      },
    },
    {
      label: `9 a village's totals (${village})`,
      path: `/v1/aggregates?${qs({ metrics: 'people_screened,people_turned_back,fever_cases,households_swept,quarantine_active', region: village, from: firstDay, to: lastDay })}`,
      async sql(db) {
        return Promise.all([
          db.sum({
            prefix: village,
            metrics: ['people_screened', 'people_turned_back', 'fever_cases', 'households_swept'],
            from: firstDay,
            to: lastDay,
            groupBy: 'none',
          }),
          db.sum({ prefix: village, metrics: ['quarantine_active'], from: null, to: lastDay, groupBy: 'none' }),
        ]);
      },
    },
    {
      label: '10 sites_active by day',
      path: `/v1/aggregates?${qs({ metrics: 'sites_active', region: county, from: firstDay, to: lastDay, groupBy: 'day' })}`,
      async sql(db) {
        return [await db.sum({ ...base, metrics: ['sites_active'], from: null, to: lastDay, groupBy: 'day' })];
      },
    },
  ];
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
    query: `SELECT table, sum(rows) AS rows, count() AS parts, sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = {db:String} AND active AND table IN ('events', 'metric_daily', 'town_daily', 'county_daily') GROUP BY table ORDER BY table`,
    query_params: { db: ch.database },
    format: 'JSONEachRow',
  });
  return result.json<{ table: string; rows: string; parts: string; bytes: string }>();
}

const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toString()} ms`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main() {
  const started = new Date();
  out(
    `Cordon query benchmark — ${fmt(totalEvents)} events, one county (新郑市 ${county}), 90 days from ${firstDay}, 200 sites; ${started.toISOString()}`,
  );
  out(
    `API and direct SQL: ${warmup} warm-up + ${runs} runs each; raw table: 1 warm-up + ${rawRuns} runs; load average at start ${loadAverage()} on ${cpus().length} cores`,
  );

  const chdbDir = mkdtempSync(join(tmpdir(), 'cordon-bench-query-chdb-'));
  const serverDir = mkdtempSync(join(tmpdir(), 'cordon-bench-query-'));
  process.once('exit', () => {
    for (const dir of [chdbDir, serverDir]) rmSync(dir, { recursive: true, force: true });
  });
  const ch = await connectClickHouse({ dataDir: chdbDir, database: 'bench_query' });
  await migrate(ch);
  const regions = await loadRegionRegistry();
  const places = countyPlaces(regions, county);
  const village = siteRegions(places)[1]!;

  // --- Load -----------------------------------------------------------------
  const plan = planLoad(totalEvents);
  out();
  out(
    `data: ${places.towns.length} towns, ${places.villages.length} villages; ${fmt(plan.bulk)} field events + ${plan.sites} site events + ${fmt(plan.voids)} voids (each with a sign -1 retraction)`,
  );
  const loadStarted = performance.now();
  await loadEvents(ch, places, plan, chunk, (done) =>
    process.stderr.write(`  loaded ${fmt(done)} / ${fmt(plan.bulk)} field events, ${ms(performance.now() - loadStarted)}\n`),
  );
  const loadMs = performance.now() - loadStarted;
  out(
    `load: ${fmt(plan.events)} events in ${(loadMs / 1000).toFixed(1)} s (${fmt(plan.events / (loadMs / 1000))} events/s, INSERT … SELECT FROM numbers in ${Math.ceil(plan.bulk / chunk)} chunks; the views filled metric_daily and voids)`,
  );
  const mergeMs = await waitForMerges(ch, 900_000);
  out(`background merges settled after ${(mergeMs / 1000).toFixed(1)} s more`);
  for (const t of await tableStats(ch))
    out(
      `  ${t.table.padEnd(13)} ${fmt(Number(t.rows)).padStart(11)} rows, ${t.parts} parts, ${(Number(t.bytes) / 2 ** 20).toFixed(0)} MiB`,
    );

  // --- Checks ---------------------------------------------------------------
  const totals = await verifyTotals(ch);
  out(
    `check counts: ${fmt(totals.plus)} sign +1 rows (${fmt(totals.voids)} voids), ${fmt(totals.minus)} sign -1 retractions, ${fmt(totals.voidsTable)} in voids; expected ${fmt(plan.events)} / ${fmt(plan.voids)}: ${totals.plus === plan.events && totals.minus === plan.voids && totals.voidsTable === plan.voids ? 'ok' : 'MISMATCH'}`,
  );
  out(
    `check roll-up = raw, per metric (value and event count): ${totals.rollupMismatches.length === 0 ? `ok, ${totals.metrics} metrics` : `${totals.rollupMismatches.length} MISMATCHES`}`,
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
  out(`server: ${roles.join(' + ')} in one process`);
  const runtime = await startCordon(config, { roles, logger: silentLogger, listen: true, clickhouse: ch, regions });
  const url = runtime.url!;

  // Records what goes to ClickHouse, to compare the API's queries with the ones written here.
  let recording: Issued[] | null = null;
  const query = ch.client.query.bind(ch.client);
  ch.client.query = ((params: Issued & Record<string, unknown>) => {
    recording?.push({ query: params.query, ...(params.query_params ? { query_params: params.query_params } : {}) });
    return query(params as Parameters<typeof query>[0]);
  }) as typeof ch.client.query;
  const record = async (fn: () => Promise<unknown>): Promise<Issued[]> => {
    recording = [];
    try {
      await fn();
      return recording;
    } finally {
      recording = null;
    }
  };

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

  interface Result {
    q: Question;
    api: { p50: number; p99: number };
    direct: { p50: number; p99: number };
    /** The same questions on metric_daily alone (before the coarse roll-ups). */
    fine: { p50: number; p99: number };
    raw: { p50: number; p99: number };
    /** Longest event-loop blocks: API runs, direct SQL runs (control), one raw API request, raw direct runs (control). */
    loops: { api: Monitor; direct: Monitor; rawApi: Monitor; raw: Monitor } | null;
    sameSql: boolean;
    sameRawSql: boolean;
    sameAnswer: boolean;
    error?: string;
  }
  const results: Result[] = [];
  out();
  for (const q of questions(village)) {
    process.stderr.write(`  ${q.label} …\n`);
    try {
      // The API's queries (minus the ETag position query) must be the ones written here.
      const apiIssued = (await record(() => get(q.path))).filter((i) => i.query !== etagSql(ch).query);
      const directIssued = await record(() => q.sql(rollup));
      const rawApiLoop = loopMonitor();
      const rawApiIssued = (await rawApiLoop.during(() => record(() => get(`${q.path}&knownAt=${encodeURIComponent(knownAt)}`)))).filter(
        (i) => i.query !== etagSql(ch).query,
      );
      const rawIssued = await record(() => q.sql(raw));
      const sameSql = JSON.stringify(normalise(apiIssued)) === JSON.stringify(normalise(directIssued));
      const sameRawSql = JSON.stringify(normalise(rawApiIssued)) === JSON.stringify(normalise(rawIssued));
      if (!sameSql)
        out(
          `  ${q.label}: API sent\n    ${normalise(apiIssued).join('\n    ')}\n  written here:\n    ${normalise(directIssued).join('\n    ')}`,
        );

      for (let i = 0; i < warmup; i++) {
        await get(q.path);
        await q.sql(rollup);
      }
      const apiLoop = loopMonitor();
      const directLoop = loopMonitor();
      const apiTimes: number[] = [];
      const directTimes: number[] = [];
      const fineTimes: number[] = [];
      for (let i = 0; i < warmup; i++) await q.sql(fine);
      for (let done = 0; done < runs; done += blockRuns) {
        const n = Math.min(blockRuns, runs - done);
        apiTimes.push(...(await apiLoop.during(() => sample(n, () => get(q.path)))));
        directTimes.push(...(await directLoop.during(() => sample(n, () => q.sql(rollup)))));
        fineTimes.push(...(await sample(n, () => q.sql(fine))));
      }

      const rollupAnswer = comparable(await q.sql(rollup));
      const fineAnswer = comparable(await q.sql(fine));
      const rawAnswer = comparable(await q.sql(raw));
      const rawLoop = loopMonitor();
      const rawTimes = await rawLoop.during(() => timed(rawRuns, () => q.sql(raw)));
      results.push({
        q,
        api: stats(apiTimes),
        direct: stats(directTimes),
        fine: stats(fineTimes),
        raw: rawTimes,
        loops: { api: apiLoop, direct: directLoop, rawApi: rawApiLoop, raw: rawLoop },
        sameSql,
        sameRawSql,
        sameAnswer: rollupAnswer === rawAnswer && fineAnswer === rawAnswer,
      });
    } catch (error) {
      const none = { p50: NaN, p99: NaN };
      results.push({
        q,
        api: none,
        direct: none,
        fine: none,
        raw: none,
        loops: null,
        sameSql: false,
        sameRawSql: false,
        sameAnswer: false,
        error: String(error),
      });
    }
  }
  await runtime.close();
  await ch.close();

  // --- Report ---------------------------------------------------------------
  const head = [
    'question',
    'API p50/p99',
    'direct SQL p50/p99',
    'API p50 vs goal (1.15×SQL+2ms)',
    'roll-up p50',
    'metric_daily alone p50',
    'raw p50',
    'raw/roll-up (goal ≥ 20×)',
  ];
  const table = results.map((r) => {
    if (r.error) return [r.q.label, `error: ${r.error.slice(0, 120)}`, '', '', '', '', '', ''];
    const budget = 1.15 * r.direct.p50 + 2;
    const speedup = r.raw.p50 / r.direct.p50;
    return [
      r.q.label,
      `${ms(r.api.p50)} / ${ms(r.api.p99)}`,
      `${ms(r.direct.p50)} / ${ms(r.direct.p99)}`,
      `${(r.api.p50 / r.direct.p50).toFixed(2)}×, budget ${ms(budget)} ${r.api.p50 <= budget ? 'met' : 'MISSED'}`,
      ms(r.direct.p50),
      `${ms(r.fine.p50)} (${(r.fine.p50 / r.direct.p50).toFixed(1)}×)`,
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
  const ok = results.filter((r) => !r.error && r.loops);
  const loops = new Map(
    ok.map((r) => [
      r,
      { api: r.loops!.api.result(), direct: r.loops!.direct.result(), rawApi: r.loops!.rawApi.result(), raw: r.loops!.raw.result() },
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
  out(`  raw-table direct SQL runs (control): ${worstOf('raw')}`);
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
            .map((r) => r.q.label.split(' ')[0])
            .join(', ')})`
        : ''
    }`,
  );
  out(`load average at the end ${loadAverage()}; total ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s`);
}

await main();
