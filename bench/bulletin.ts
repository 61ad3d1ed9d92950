/**
 * npm run bench:bulletin — how long the morning bulletin of a county-day
 * takes on the query benchmark's data (bench/README.md): BENCH_BULLETIN_EVENTS
 * events (default 10,000,000) for 新郑市 over 90 days, generated inside
 * ClickHouse (bench/query-data.ts), the server started as `npm start` runs
 * it, and the bulletin written as the schedule writes it: an SDK client over
 * real HTTP with a read key, `knownAt` = the pipeline's asOf, the files
 * written atomically into a bulletins folder.
 *
 * Prints the time per bulletin (p50/p99 over BENCH_BULLETIN_RUNS runs) and
 * per SDK request it makes. Goal: under 1 s per bulletin. Asserts nothing,
 * but first compares /v1/quality, /v1/completeness and /v1/sites with the
 * raw scan of events they replaced (bench/bulletin-raw-check.ts) and exits 1
 * when an answer differs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { loadAverage } from './load-average.ts';
import { join } from 'node:path';
import { connectClickHouse, migrate, type ClickHouse } from '@cordon/clickhouse';
import { silentLogger } from '@cordon/ingest';
import { loadRegionRegistry } from '@cordon/regions';
import { createClient, type FetchLike } from '@cordon/sdk';
import { readConfig, type CordonConfig, startCordon, createBulletinStore, sdkBulletinSource } from '@cordon/server';
import { bulletinGeneratorFor } from './bulletin-generator.ts';
import { createRawScan } from './bulletin-raw-check.ts';
import { countyPlaces, loadEvents, planLoad } from './query-data.ts';
import { waitForMerges } from './merges.ts';

const totalEvents = Number(process.env['BENCH_BULLETIN_EVENTS'] ?? 10_000_000);
const runs = Number(process.env['BENCH_BULLETIN_RUNS'] ?? 20);
const warmup = 2;
const county = '410184';
const date = '2020-02-13';
const adminKey = 'bench-bulletin-admin-key';
const goalMs = 1000;

const out = (line = '') => process.stdout.write(`${line}\n`);
const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toString()} ms`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** sign +1 rows of a kept data folder (0 when it is new). */
async function storedEvents(ch: ClickHouse): Promise<number> {
  const exists = await (
    await ch.client.query({
      query: `SELECT count() AS n FROM system.tables WHERE database = {db:String} AND name = 'events'`,
      query_params: { db: ch.database },
      format: 'JSONEachRow',
    })
  ).json<{ n: string }>();
  if (Number(exists[0]?.n ?? 0) === 0) return 0;
  const [row] = await (
    await ch.client.query({ query: `SELECT countIf(sign = 1) AS n FROM ${ch.database}.events`, format: 'JSONEachRow' })
  ).json<{ n: string }>();
  return Number(row?.n ?? 0);
}

async function main() {
  out(`Cordon bulletin benchmark — ${fmt(totalEvents)} events, 新郑市 ${county}, the bulletin of ${date}; ${new Date().toISOString()}`);
  out(`${warmup} warm-up + ${runs} bulletins; load average at start ${loadAverage()} on ${cpus().length} cores`);
  // BENCH_BULLETIN_DATA: a chDB folder kept between runs; loaded once, then reused (and upgraded by migrate, as a server's data folder is on start).
  const keptDir = process.env['BENCH_BULLETIN_DATA'];
  const chdbDir = keptDir ?? mkdtempSync(join(tmpdir(), 'cordon-bench-bulletin-chdb-'));
  const serverDir = mkdtempSync(join(tmpdir(), 'cordon-bench-bulletin-'));
  process.once('exit', () => {
    for (const dir of keptDir ? [serverDir] : [chdbDir, serverDir]) rmSync(dir, { recursive: true, force: true });
  });
  const ch = await connectClickHouse({ dataDir: chdbDir, database: 'bench_bulletin' });
  const regions = await loadRegionRegistry();
  const places = countyPlaces(regions, county);
  const plan = planLoad(totalEvents);
  const loaded = await storedEvents(ch);
  if (loaded === 0) {
    await migrate(ch);
    const loadStarted = performance.now();
    await loadEvents(ch, places, plan, 1_000_000, (done) =>
      process.stderr.write(`  loaded ${fmt(done)} / ${fmt(plan.bulk)} field events\n`),
    );
    await waitForMerges(ch, 900_000);
    out(`data: ${fmt(plan.events)} events loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s (merges settled)`);
  } else {
    if (loaded !== plan.events)
      throw new Error(`${chdbDir} holds ${fmt(loaded)} events, not the ${fmt(plan.events)} asked for: use another BENCH_BULLETIN_DATA`);
    const started = performance.now();
    await migrate(ch);
    out(`data: ${fmt(loaded)} events reused from ${chdbDir}; migrate on it took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  const config: CordonConfig = { ...readConfig({}), port: 0, dataDir: serverDir, bootstrapKey: adminKey, kafkaBrokers: null };
  const runtime = await startCordon(config, {
    roles: ['ingest', 'consumer', 'query'],
    logger: silentLogger,
    listen: true,
    clickhouse: ch,
    regions,
  });
  const { key } = await runtime.keys.create({ name: 'bench bulletin', role: 'read' });

  // Times every request the generator makes, by route and parameters (knownAt left out: it is the same in a run).
  let current: Map<string, number> | null = null;
  const seen = new Map<string, string>();
  const perRequest = new Map<string, number[]>();
  const timedFetch: FetchLike = async (request) => {
    const started = performance.now();
    const response = await globalThis.fetch(request);
    const body = await response.arrayBuffer();
    const elapsed = performance.now() - started;
    const url = new URL(request.url);
    url.searchParams.delete('knownAt');
    const label = `${url.pathname}?${decodeURIComponent(url.searchParams.toString())}`;
    if (current) current.set(label, (current.get(label) ?? 0) + elapsed);
    seen.set(label, request.url);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  const client = createClient({ baseUrl: runtime.url!, apiKey: key, fetch: timedFetch, retry: false });
  const { generator, name } = await bulletinGeneratorFor(client);
  out(`generator: ${name}`);
  const store = createBulletinStore(join(serverDir, 'bulletins'));
  const source = sdkBulletinSource(client);

  // Before timing: the routes the indexes serve give the answer of the raw scan they replace, now and as known at a past instant.
  const rawScan = await createRawScan(ch, { keys: runtime.keys, regions, timeZone: config.timeZone, apiKey: key });
  const pastKnownAt = '2020-02-13T12:00:00.000Z';
  out(
    `the indexed routes against the raw scan of events (same route code on views computing the indexes from events), knownAt = the pipeline's asOf and ${pastKnownAt}:`,
  );
  let differences = 0;
  for (const knownAt of [await source.knownAt(), pastKnownAt]) {
    for (const path of [
      `/v1/quality?region=${county}&from=${date}&to=${date}`,
      `/v1/completeness?region=${county}&date=${date}`,
      `/v1/sites?region=${county}&status=all`,
    ]) {
      const pathAndQuery = `${path}&knownAt=${encodeURIComponent(knownAt)}`;
      const started = performance.now();
      const response = await globalThis.fetch(`${runtime.url!}${pathAndQuery}`, { headers: { authorization: `Bearer ${key}` } });
      const body = await response.text();
      const indexedMs = performance.now() - started;
      const raw = await rawScan.get(pathAndQuery);
      const same = response.status === raw.status && body === raw.body;
      if (!same) differences++;
      out(
        `  ${same ? 'agree' : 'DIFFER'} (${response.status}, ${fmt(body.length)} bytes): indexed ${ms(indexedMs)}, raw scan ${ms(raw.ms)}  ${pathAndQuery}`,
      );
      if (!same) out(`    indexed: ${body.slice(0, 300)}\n    raw:     ${raw.body.slice(0, 300)}`);
    }
  }
  if (differences > 0) process.exitCode = 1;
  out();

  const totals: number[] = [];
  // CPU of this process (client, server and chDB's threads) per bulletin: on a shared machine the wall time counts waiting for a core too.
  const cpuMs: number[] = [];
  let requests = 0;
  let lastKnownAt = '';
  for (let i = 0; i < warmup + runs; i++) {
    current = new Map();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    // As the schedule does: the pipeline position, the bulletin, the files (each run a new revision, since a published one is never rewritten).
    const knownAt = await source.knownAt();
    lastKnownAt = knownAt;
    const files = await generator({ region: county, date, knownAt });
    await store.write(county, date, i, files);
    const elapsed = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    if (i >= warmup) {
      totals.push(elapsed);
      cpuMs.push((cpu.user + cpu.system) / 1000);
      requests = current.size;
      for (const [label, t] of current) perRequest.set(label, [...(perRequest.get(label) ?? []), t]);
    }
  }
  current = null;

  out();
  const p50 = percentile(totals, 50);
  const p99 = percentile(totals, 99);
  out(
    `bulletin (status + ${requests - 1} figure requests + write): p50 ${ms(p50)}, p99 ${ms(p99)}, max ${ms(Math.max(...totals))}; goal < ${goalMs} ms: ${p99 < goalMs ? 'met' : 'NOT met'}`,
  );
  out(
    `CPU per bulletin (this process: client, server, chDB): p50 ${ms(percentile(cpuMs, 50))}, p99 ${ms(percentile(cpuMs, 99))} on ${cpus().length} cores; load average at the end ${loadAverage()}`,
  );
  out();
  out(`knownAt of the last run: ${lastKnownAt}`);
  out(
    'per SDK request, inside the bulletin (p50 / p99 over the runs; the generator sends them together), and alone (the same request replayed one at a time, p50 of 5):',
  );
  const alone = new Map<string, number>();
  for (const [label, url] of seen) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await (await globalThis.fetch(url, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer();
      times.push(performance.now() - started);
    }
    alone.set(label, percentile(times, 50));
  }
  const rows = [...perRequest]
    .map(([label, t]) => ({ label, p50: percentile(t, 50), p99: percentile(t, 99), alone: alone.get(label) ?? NaN }))
    .sort((a, b) => b.alone - a.alone);
  out(`  ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'alone'.padStart(9)}`);
  for (const r of rows) out(`  ${ms(r.p50).padStart(9)} ${ms(r.p99).padStart(9)} ${ms(r.alone).padStart(9)}  ${r.label}`);
  out(`  sum of the requests alone: ${ms(rows.reduce((s, r) => s + r.alone, 0))}`);

  await runtime.close();
  await ch.close();
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`bench:bulletin failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
