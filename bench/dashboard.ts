/**
 * npm run bench:dashboard — how fast the county office's dashboard draws on
 * the query benchmark's data (bench/README.md): BENCH_DASHBOARD_EVENTS
 * events (default 10,000,000) for 新郑市 over 90 days, generated inside
 * ClickHouse (bench/query-data.ts), the server started as `npm start` runs
 * it (listening on a free port, the page bundled by esbuild on the first
 * request), and the page driven in a real headless Chromium
 * (/usr/bin/chromium or CORDON_CHROMIUM, through playwright-core).
 *
 * Each run opens a fresh tab (no HTTP cache, no region cached in the page) on
 * the wall-screen link of the county, then changes region, goes back up,
 * changes the range and drills down, and reads the page's own marks
 * (`cordon:view-start:<n>` / `cordon:view-drawn:<n>`: the last chart drawn).
 * Beside each step: the same API requests the page sent, replayed from Node
 * together (as the page sends them) and alone. Goals: first render < 1 s,
 * each interaction < 300 ms. Prints; asserts nothing.
 *
 * BENCH_DASHBOARD_DATA=<folder> keeps the generated ClickHouse data there and
 * reuses it on the next run with the same event count (loading 10M events
 * takes minutes).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { loadAverage } from './load-average.ts';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { connectClickHouse, migrate, type ClickHouse } from '@cordon/clickhouse';
import { silentLogger } from '@cordon/ingest';
import { loadRegionRegistry } from '@cordon/regions';
import { readConfig, startCordon, type CordonConfig } from '@cordon/server';
import { countyPlaces, loadEvents, planLoad } from './query-data.ts';
import { waitForMerges } from './merges.ts';

const totalEvents = Number(process.env['BENCH_DASHBOARD_EVENTS'] ?? 10_000_000);
const runs = Number(process.env['BENCH_DASHBOARD_RUNS'] ?? 10);
const keptData = process.env['BENCH_DASHBOARD_DATA'];
const chromiumPath = process.env['CORDON_CHROMIUM'] ?? '/usr/bin/chromium';
const warmup = 1;
const county = '410184';
const to = '2020-02-13';
const rangeFrom = '2020-02-01';
/** The township the region change opens (from the picker) and the one the drill-down opens (from the breakdown table). */
const pickedTown = '龙湖镇';
const drilledTown = '梨河镇';
const adminKey = 'bench-dashboard-admin-key';
const goals = { first: 1000, interaction: 300 };

const out = (line = '') => process.stdout.write(`${line}\n`);
const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : Math.round(n).toString()} ms` : '—');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The data folder: a kept one (loaded before with the same count) or a fresh temporary one. */
async function openData(): Promise<{ ch: ClickHouse; loadedNow: boolean; dir: string }> {
  const dir = keptData ?? mkdtempSync(join(tmpdir(), 'cordon-bench-dashboard-chdb-'));
  mkdirSync(dir, { recursive: true });
  const marker = join(dir, 'bench-dashboard-events');
  const reuse = keptData !== undefined && existsSync(marker) && Number(readFileSync(marker, 'utf8')) === totalEvents;
  if (keptData !== undefined && !reuse) rmSync(join(dir, 'chdb'), { recursive: true, force: true });
  const ch = await connectClickHouse({ dataDir: join(dir, 'chdb'), database: 'bench_dashboard' });
  await migrate(ch);
  if (reuse) return { ch, loadedNow: false, dir };
  const regions = await loadRegionRegistry();
  const plan = planLoad(totalEvents);
  await loadEvents(ch, countyPlaces(regions, county), plan, 1_000_000, (done) =>
    process.stderr.write(`  loaded ${fmt(done)} / ${fmt(plan.bulk)} field events\n`),
  );
  await waitForMerges(ch, 900_000);
  if (keptData !== undefined) writeFileSync(marker, String(totalEvents));
  return { ch, loadedNow: true, dir };
}

/** One step as the page measured it: its own marks, and where the time went. */
interface StepTiming {
  /** view-start → view-drawn (the last chart drawn); for the first render, navigation start → view-drawn. */
  total: number;
  /** The same to view-complete: the day's reporting and quality warnings filled in too (they come after the charts). */
  complete: number;
  /** view-start → the last API answer in before the charts were drawn (Resource Timing). */
  api: number;
  /** The last API answer in → the last chart drawn: building the DOM, ECharts. */
  draw: number;
  /** The API requests the page sent for this view, the checks after the charts included (path and query). */
  requests: string[];
}

const stepNames = [
  'first render (county, fresh tab)',
  `region change (picker: ${pickedTown})`,
  'region change (path: back to 新郑市)',
  `range change (county, from ${rangeFrom})`,
  `drill-down (table: ${drilledTown})`,
] as const;
type StepName = (typeof stepNames)[number];

/**
 * Polls (every 20 ms, from Node) until the page's expression is true. Not
 * `page.waitForFunction`: that injects Playwright's utility script into the
 * page first, 70–100 ms of the renderer's main thread that would land inside
 * the first render it measures (seen in a Chrome trace); a plain
 * `page.evaluate` of an expression injects nothing.
 */
async function pollPage(page: Page, expression: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(expression))) {
    if (performance.now() > deadline) throw new Error(`still false after ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Waits until view `after + 1` has its charts drawn, then until it is
 * complete or the page shows an alert (a check that failed: the SDK gives
 * up on an answer after 15 s). A view whose charts never come says what the
 * page shows.
 */
async function waitDrawn(page: Page, after: number): Promise<number> {
  try {
    await pollPage(page, `Number(document.body.dataset.drawn ?? 0) > ${after}`, 120_000);
    await pollPage(
      page,
      `Number(document.body.dataset.complete ?? 0) > ${after} || document.querySelector('[role=alert]') !== null`,
      120_000,
    );
  } catch (error) {
    const status = await page.evaluate<string>("document.querySelector('[role=alert], [role=status]')?.textContent ?? ''").catch(() => '');
    throw new Error(`view ${after + 1} not drawn within 120 s; the page says: ${status || '(nothing)'}`, { cause: error });
  }
  return page.evaluate<number>('Number(document.body.dataset.drawn)');
}

/** Reads the marks of view n and the Resource Timing entries of the API requests sent after it started. */
async function timingOf(page: Page, n: number, fromNavigation: boolean): Promise<StepTiming> {
  // A string, not a function: bench/ is compiled without the DOM's types.
  return page.evaluate<StepTiming>(
    `(() => {
      const n = ${n};
      const fromNavigation = ${fromNavigation};
      const start = performance.getEntriesByName('cordon:view-start:' + n)[0].startTime;
      const drawn = performance.getEntriesByName('cordon:view-drawn:' + n)[0].startTime;
      // NaN when the checks failed (the page shows an alert instead).
      const complete = performance.getEntriesByName('cordon:view-complete:' + n)[0]?.startTime ?? NaN;
      const api = performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/') && e.startTime >= start - 1 && (Number.isNaN(complete) || e.responseEnd <= complete));
      const lastAnswer = Math.max(start, ...api.filter((e) => e.responseEnd <= drawn).map((e) => e.responseEnd));
      return {
        total: fromNavigation ? drawn : drawn - start,
        complete: fromNavigation ? complete : complete - start,
        api: lastAnswer - start,
        draw: drawn - lastAnswer,
        requests: api.map((e) => { const u = new URL(e.name); return u.pathname + u.search; }),
      };
    })()`,
  );
}

async function oneRun(browser: Browser, baseUrl: string, key: string): Promise<Map<StepName, StepTiming>> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const steps = new Map<StepName, StepTiming>();
  try {
    // refresh=3600: the wall screen's live refresh stays out of the measured steps.
    await page.goto(`${baseUrl}/dashboard#key=${key}&region=${county}&to=${to}&refresh=3600`);
    let n = await waitDrawn(page, 0);
    steps.set(stepNames[0], await timingOf(page, n, true));

    await page.getByLabel('下级地区', { exact: true }).selectOption({ label: pickedTown });
    n = await waitDrawn(page, n);
    steps.set(stepNames[1], await timingOf(page, n, false));

    await page.getByRole('navigation', { name: '地区层级' }).getByRole('button', { name: '新郑市' }).click();
    n = await waitDrawn(page, n);
    steps.set(stepNames[2], await timingOf(page, n, false));

    await page.getByLabel('开始日期').fill(rangeFrom);
    n = await waitDrawn(page, n);
    steps.set(stepNames[3], await timingOf(page, n, false));

    await page.getByRole('table', { name: '下级地区分布' }).getByRole('button', { name: drilledTown }).click();
    n = await waitDrawn(page, n);
    steps.set(stepNames[4], await timingOf(page, n, false));
  } finally {
    await context.close();
  }
  if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`);
  return steps;
}

/** The page's requests of one step, sent from Node together (as the page sends them): time to the last answer. */
async function replayTogether(baseUrl: string, key: string, requests: readonly string[]): Promise<number> {
  const started = performance.now();
  await Promise.all(
    requests.map(async (r) => (await fetch(`${baseUrl}${r}`, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer()),
  );
  return performance.now() - started;
}

async function replayAlone(baseUrl: string, key: string, request: string, times: number): Promise<number> {
  const elapsed: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await (await fetch(`${baseUrl}${request}`, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer();
    elapsed.push(performance.now() - started);
  }
  return percentile(elapsed, 50);
}

/** /v1/aggregates?metrics=…&groupBy=region → "aggregates groupBy=region level=town" (the parameters that tell requests apart). */
function shortLabel(request: string): string {
  const url = new URL(request, 'http://x');
  const params = [...url.searchParams].filter(([k]) => k !== 'metrics' && k !== 'region').map(([k, v]) => `${k}=${v}`);
  return `${url.pathname.replace('/v1/', '')} ${url.searchParams.get('region') ?? ''} ${params.join(' ')}`.trim();
}

async function main() {
  out(`Cordon dashboard benchmark — ${fmt(totalEvents)} events, 新郑市 ${county}, to ${to}; ${new Date().toISOString()}`);
  out(
    `${warmup} warm-up + ${runs} runs, each a fresh tab at 1280×800 in ${chromiumPath}; load average at start ${loadAverage()} on ${cpus().length} cores`,
  );
  const loadStarted = performance.now();
  const { ch, loadedNow, dir } = await openData();
  out(
    loadedNow
      ? `data: ${fmt(totalEvents)} events loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s (merges settled)`
      : `data: ${fmt(totalEvents)} events reused from ${dir}`,
  );
  const serverDir = mkdtempSync(join(tmpdir(), 'cordon-bench-dashboard-'));
  process.once('exit', () => {
    rmSync(serverDir, { recursive: true, force: true });
    if (keptData === undefined) rmSync(dir, { recursive: true, force: true });
  });

  const config: CordonConfig = { ...readConfig({}), port: 0, dataDir: serverDir, bootstrapKey: adminKey, kafkaBrokers: null };
  const runtime = await startCordon(config, { roles: ['ingest', 'consumer', 'query'], logger: silentLogger, listen: true, clickhouse: ch });
  const baseUrl = runtime.url!;
  const { key } = await runtime.keys.create({ name: 'bench dashboard', role: 'read', region: county });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--lang=zh-CN'] });

  const series = () => new Map<StepName, number[]>(stepNames.map((s) => [s, []]));
  const page = series();
  const complete = series();
  const apiPart = series();
  const drawPart = series();
  const together = series();
  const requestsOf = new Map<StepName, string[]>();
  const failures: string[] = [];
  /** Steps whose charts were drawn but whose checks (reporting, quality) failed: not in the "complete" column. */
  const checksFailed = new Map<StepName, number>();
  try {
    for (let i = 0; i < warmup + runs; i++) {
      let steps: Map<StepName, StepTiming>;
      try {
        steps = await oneRun(browser, baseUrl, key);
      } catch (error) {
        // A run the page could not finish (a request over the SDK's 15 s timeout shows "did not answer in time") is counted, not retried.
        failures.push(`run ${i + 1}: ${(error as Error).message}`);
        process.stderr.write(`  run ${i + 1}/${warmup + runs}: failed: ${(error as Error).message}\n`);
        continue;
      }
      // Replayed right after the run, so both see the same machine.
      for (const [name, step] of steps) {
        const replayed = await replayTogether(baseUrl, key, step.requests);
        if (i < warmup) continue;
        page.get(name)!.push(step.total);
        if (Number.isFinite(step.complete)) complete.get(name)!.push(step.complete);
        else checksFailed.set(name, (checksFailed.get(name) ?? 0) + 1);
        apiPart.get(name)!.push(step.api);
        drawPart.get(name)!.push(step.draw);
        together.get(name)!.push(replayed);
        requestsOf.set(name, step.requests);
      }
      process.stderr.write(
        `  run ${i + 1}/${warmup + runs}: ${[...steps.values()].map((s) => `${ms(s.total)} (${ms(s.complete)})`).join(', ')}\n`,
      );
    }

    out();
    out(`per step, p50 / p99 over ${page.get(stepNames[0])!.length} runs (${failures.length} failed):`);
    out(
      "  charts: the page's own marks, to the last chart drawn (the first render from navigation start: the bundle and the metric catalogue included);",
    );
    out("  complete: to the day's reporting and quality warnings filled in as well (they come in after the charts);");
    out('  of the charts\' time, "waiting on API" until the last answer they need is in, "drawing" after it (DOM and ECharts);');
    out('  API together: every request of the step sent from Node at once, as the page sends them, to the last answer (p50 / p99).');
    out();
    out(
      `  ${'step'.padEnd(38)} ${'charts p50'.padStart(10)} ${'p99'.padStart(8)} ${'goal'.padStart(8)}  ${'complete p50'.padStart(12)} ${'p99'.padStart(8)}  ${'waiting on API'.padStart(14)} ${'drawing'.padStart(8)}  ${'API together'.padStart(12)} ${'p99'.padStart(8)}`,
    );
    const p = (m: Map<StepName, number[]>, name: StepName, q: number) => ms(percentile(m.get(name)!, q));
    for (const name of stepNames) {
      const goal = name === stepNames[0] ? goals.first : goals.interaction;
      const p99 = percentile(page.get(name)!, 99);
      out(
        `  ${name.padEnd(38)} ${p(page, name, 50).padStart(10)} ${ms(p99).padStart(8)} ${(p99 < goal ? 'met' : 'NOT met').padStart(8)}  ${p(complete, name, 50).padStart(12)} ${p(complete, name, 99).padStart(8)}  ${p(apiPart, name, 50).padStart(14)} ${p(drawPart, name, 50).padStart(8)}  ${p(together, name, 50).padStart(12)} ${p(together, name, 99).padStart(8)}`,
      );
    }
    out(`  goals: first render < ${goals.first} ms, each interaction < ${goals.interaction} ms, to the last chart drawn (judged on p99)`);
    for (const failure of failures) out(`  ${failure}`);
    for (const [name, n] of checksFailed)
      out(
        `  ${name}: the checks failed in ${n} run(s) (over the SDK's 15 s timeout: the page said the server did not answer in time); charts measured, "complete" left out`,
      );

    out();
    out('each request of a step alone (sent from Node one at a time, p50 of 3), slowest first:');
    for (const name of stepNames) {
      const requests = requestsOf.get(name) ?? [];
      const alone = [];
      for (const r of requests) alone.push({ r, t: await replayAlone(baseUrl, key, r, 3) });
      alone.sort((a, b) => b.t - a.t);
      out(`  ${name}: ${requests.length} requests`);
      for (const { r, t } of alone) out(`    ${ms(t).padStart(9)}  ${shortLabel(r)}`);
    }
    out();
    out(`load average at the end ${loadAverage()}`);
  } finally {
    await browser.close();
    await runtime.close();
    await ch.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:dashboard failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
