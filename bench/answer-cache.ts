/**
 * The answer cache (query-api's answer-cache.ts): a question asked again
 * against a question the server has not seen, side by side in one run, on
 * the server `npm start` runs (spawned-server.ts) with `BENCH_CACHE_EVENTS`
 * events (default 100,000) counted. Then the same while a steady load is
 * being counted (`BENCH_CACHE_RATE` events/s, default 1,000), when every
 * batch the consumer writes moves the position and a kept answer is given
 * only until the next one.
 *
 * Each round asks the dashboard's county question (totals of four metrics
 * by town) once with a `to` date it has not been asked with (a new
 * question, answered by chDB) and once exactly as before (asked again).
 * Printed, never asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@cordon/infra/kafka';
import { bodies, eventMaker, sendAll } from './ingest/events.ts';
import { quantile, steadyLoad } from './ingest/paced-freshness.ts';
import { startServer, stopServer } from './spawned-server.ts';

const total = Number(process.env['BENCH_CACHE_EVENTS'] ?? 100_000);
const rounds = Number(process.env['BENCH_CACHE_ROUNDS'] ?? 300);
const rate = Number(process.env['BENCH_CACHE_RATE'] ?? 1_000);
const key = 'bench-answer-cache-admin-key';
const dataDir = mkdtempSync(join(tmpdir(), 'cordon-bench-cache-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const headers = { authorization: `Bearer ${key}` };

function question(to: string): string {
  return `${url}/v1/aggregates?metrics=people_screened,vehicles_screened,temperature_checks,fever_cases&region=410184&from=2020-02-01&to=${to}&groupBy=region&level=town`;
}

function day(offset: number): string {
  return new Date(Date.UTC(2020, 1, 13) + offset * 86_400_000).toISOString().slice(0, 10);
}

async function timed(target: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(target, { headers });
  if (response.status !== 200) throw new Error(`${target} answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
  return performance.now() - started;
}

/** `rounds` rounds of a new question then the repeated one; new days from `firstDay` on. */
async function measure(firstDay: number): Promise<{ fresh: number[]; repeated: number[] }> {
  const fresh: number[] = [];
  const repeated: number[] = [];
  const same = question('2020-02-13');
  await timed(same);
  for (let i = 0; i < rounds; i++) {
    fresh.push(await timed(question(day(firstDay + i))));
    repeated.push(await timed(same));
  }
  return { fresh: fresh.sort((a, b) => a - b), repeated: repeated.sort((a, b) => a - b) };
}

function line(label: string, times: number[]): string {
  return `  ${label.padEnd(34)} p50 ${quantile(times, 0.5).toFixed(2).padStart(6)} ms   p99 ${quantile(times, 0.99).toFixed(2).padStart(6)} ms`;
}

function report(title: string, result: { fresh: number[]; repeated: number[] }): void {
  console.log(title);
  console.log(line('a new question (chDB answers)', result.fresh));
  console.log(line('the same question asked again', result.repeated));
  console.log(`  asked again / new, p50: ${(quantile(result.repeated, 0.5) / quantile(result.fresh, 0.5)).toFixed(3)}×`);
}

const server = await startServer({ port, dataDir, adminKey: key });
try {
  const make = eventMaker();
  await sendAll(bodies(make, total, 500), { batchSize: 500, concurrency: 4, key, target: () => url });
  // Counted: the status says no acknowledged event is waiting.
  for (;;) {
    const status = (await (await fetch(`${url}/v1/status`, { headers })).json()) as { lag: number };
    if (status.lag === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  console.log(`answer cache, ${total.toLocaleString('en')} events counted, ${rounds} rounds, ${new Date().toISOString()}`);
  report('nothing being counted:', await measure(1));

  let sending = true;
  const load = steadyLoad({ url, key, make, eventsPerSec: rate, batchSize: 20, stop: () => !sending });
  report(`while ${rate.toLocaleString('en')} events/s are counted:`, await measure(1 + rounds));
  sending = false;
  await load;
} finally {
  await stopServer(server);
  rmSync(dataDir, { recursive: true, force: true });
}
