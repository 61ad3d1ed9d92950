/**
 * npm run bench:profile — where the dashboard's figure requests spend their
 * time in ClickHouse (bench/README.md): on the dashboard bench's data
 * (BENCH_DASHBOARD_DATA, loaded by `npm run bench:dashboard` first; the same
 * BENCH_DASHBOARD_EVENTS), the server started as the bench starts it, with a
 * ClickHouse client that records every SQL statement the routes send. Each
 * request of each dashboard step is sent alone (after one warm-up round), and
 * every statement it sent is run again on its own with `FORMAT JSON`, whose
 * statistics say the rows and bytes it read and the engine's time. Prints;
 * asserts nothing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadAverage } from './load-average.ts';
import { join } from 'node:path';
import { connectClickHouse, type ClickHouse } from '@cordon/clickhouse';
import { silentLogger } from '@cordon/ingest';
import { readConfig, startCordon, type CordonConfig } from '@cordon/server';

const totalEvents = Number(process.env['BENCH_DASHBOARD_EVENTS'] ?? 10_000_000);
const keptData = process.env['BENCH_DASHBOARD_DATA'];
const adminKey = 'bench-profile-admin-key';
const county = '410184';
const cards = 'people_screened,vehicles_screened,people_turned_back,vehicles_turned_back,fever_cases,quarantine_active,sites_active';

/** The requests the page sends for each step (packages/dashboard/src/page/load.ts), figures first, then the checks. */
function viewRequests(region: string, from: string | null, level: string | null): string[] {
  const range = `region=${region}${from ? `&from=${from}` : ''}&to=2020-02-13`;
  return [
    `/v1/aggregates?metrics=${cards}&${range}`,
    `/v1/aggregates?metrics=${cards}&region=${region}&from=2020-02-12&to=2020-02-13&groupBy=day`,
    `/v1/timeseries?metric=people_screened&${range}&interval=day`,
    ...(level ? [`/v1/aggregates?metrics=${cards}&${range}&groupBy=region&level=${level}`] : []),
    `/v1/completeness?region=${region}&date=2020-02-13`,
    `/v1/quality?region=${region}&from=2020-02-13&to=2020-02-13`,
  ];
}
const steps: [string, string[]][] = [
  ['first render / back to the county', viewRequests(county, null, 'town')],
  ['region change (a township)', viewRequests('410184109', null, 'village')],
  ['range change (county, from 2020-02-01)', viewRequests(county, '2020-02-01', 'town')],
  ['drill-down (a township, from 2020-02-01)', viewRequests('410184104', '2020-02-01', 'village')],
];

const out = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Sent {
  query: string;
  query_params?: Record<string, unknown>;
  ms: number;
}

/** A ClickHouse whose client notes every query it sends, with the time to its answer. */
function recording(ch: ClickHouse): { ch: ClickHouse; sent: Sent[] } {
  const sent: Sent[] = [];
  const client = new Proxy(ch.client, {
    get(target, name, receiver) {
      if (name !== 'query') return Reflect.get(target, name, receiver) as unknown;
      return async (params: Parameters<typeof target.query>[0]) => {
        const started = performance.now();
        const result = await target.query(params);
        const text = await result.text();
        const entry: Sent = { query: params.query, ms: performance.now() - started };
        if (params.query_params) entry.query_params = params.query_params;
        sent.push(entry);
        // The routes read the answer once, as JSON or text: give them what the client would.
        return { text: () => Promise.resolve(text), json: () => Promise.resolve(parseRows(text, params.format)), stream: () => undefined };
      };
    },
  });
  return { ch: { ...ch, client }, sent };
}

function parseRows(text: string, format: string | undefined): unknown {
  if (format === 'JSONEachRow')
    return text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as unknown);
  return JSON.parse(text) as unknown;
}

/** The engine's own statistics for one statement, run alone. */
async function statistics(ch: ClickHouse, sent: Sent): Promise<{ rows: number; bytes: number; ms: number }> {
  const result = await ch.client.query({ query: sent.query, query_params: sent.query_params ?? {}, format: 'JSON' });
  const body = await result.json<{ statistics?: { rows_read: number; bytes_read: number; elapsed: number } }>();
  const s = body.statistics ?? { rows_read: NaN, bytes_read: NaN, elapsed: NaN };
  return { rows: s.rows_read, bytes: s.bytes_read, ms: s.elapsed * 1000 };
}

/** The table a statement reads, for the print-out. */
function tableOf(query: string): string {
  return /FROM\s+`?[A-Za-z0-9_]+`?\.([a-z_]+)/.exec(query)?.[1] ?? '?';
}

async function main() {
  if (keptData === undefined || !existsSync(join(keptData, 'bench-dashboard-events')))
    throw new Error('BENCH_DASHBOARD_DATA must name a folder `npm run bench:dashboard` loaded');
  if (Number(readFileSync(join(keptData, 'bench-dashboard-events'), 'utf8')) !== totalEvents)
    throw new Error(`${keptData} holds another event count than BENCH_DASHBOARD_EVENTS=${totalEvents}`);
  out(`Cordon figure profile — ${fmt(totalEvents)} events in ${keptData}; ${new Date().toISOString()}`);
  out(`load average at start ${loadAverage()}`);
  const plain = await connectClickHouse({ dataDir: join(keptData, 'chdb'), database: 'bench_dashboard' });
  const { ch, sent } = recording(plain);
  const serverDir = mkdtempSync(join(tmpdir(), 'cordon-bench-profile-'));
  const config: CordonConfig = { ...readConfig({}), port: 0, dataDir: serverDir, bootstrapKey: adminKey, kafkaBrokers: null };
  const started = performance.now();
  const runtime = await startCordon(config, { roles: ['ingest', 'consumer', 'query'], logger: silentLogger, listen: true, clickhouse: ch });
  out(`server started (migrations, fills and the roll-up check included) in ${fmt(performance.now() - started)} ms`);
  const { key } = await runtime.keys.create({ name: 'bench profile', role: 'read', region: county });
  const get = async (request: string) => {
    const t = performance.now();
    const response = await fetch(`${runtime.url!}${request}`, { headers: { authorization: `Bearer ${key}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${request}: ${response.status}`);
    return performance.now() - t;
  };
  try {
    for (const [, requests] of steps) for (const r of requests) await get(r);
    for (const [name, requests] of steps) {
      out();
      out(name);
      for (const request of requests) {
        sent.length = 0;
        const ms = await get(request);
        const statements = [...sent];
        const url = new URL(request, 'http://x');
        const label = `${url.pathname.replace('/v1/', '')} ${[...url.searchParams]
          .filter(([k]) => k !== 'metrics')
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`;
        out(`  ${fmt(ms).padStart(5)} ms  ${label}: ${statements.length} statements`);
        for (const statement of statements) {
          const s = await statistics(plain, statement);
          out(
            `           ${fmt(statement.ms).padStart(5)} ms in the route, ${s.ms.toFixed(1).padStart(6)} ms alone, ${fmt(s.rows).padStart(10)} rows ${(s.bytes / 1048576).toFixed(1).padStart(6)} MiB  ${tableOf(statement.query)}`,
          );
        }
      }
    }
    out();
    out(`load average at the end ${loadAverage()}`);
  } finally {
    await runtime.close();
    await plain.close();
    rmSync(serverDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:profile failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
