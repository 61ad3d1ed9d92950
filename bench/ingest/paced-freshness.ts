/**
 * Freshness under a steady load: events sent at `eventsPerSec` (a batch of
 * `batchSize` every batchSize/eventsPerSec seconds, on a fixed schedule, so a
 * slow answer does not lower the rate), and every `probeEveryMs` one probe
 * event on a day of its own. A probe's freshness is the time from its 200 to
 * its figure showing in /v1/aggregates (polled every 5 ms). The load's
 * events fall on other days, so a probe's figure is its own.
 */
import type { EventMaker } from './events.ts';

/** A probe: one temperature check in Xinzheng on `day` and nothing else, so the day's figure is the probes'. */
export function probeEvent(make: EventMaker, day: string): Record<string, unknown> {
  return make({ occurredAt: `${day}T10:00:00+08:00`, data: { vehicles: 0, people: 0, temperatureChecks: 1 } });
}

/** Polls Xinzheng's temperature checks on `day` every `everyMs` until they reach `expected`. */
export async function waitForProbes(url: string, key: string, day: string, expected: number, everyMs: number): Promise<void> {
  const figureUrl = `${url}/v1/aggregates?metrics=temperature_checks&region=410184&from=${day}&to=${day}`;
  const headers = { authorization: `Bearer ${key}` };
  for (;;) {
    const answer = (await (await fetch(figureUrl, { headers })).json()) as { totals: { temperature_checks: number } };
    if (answer.totals.temperature_checks >= expected) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The value at quantile `q` of ascending `sorted`. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

/** POSTs a batch of events; any answer but 200 is an error. */
function poster(url: string, key: string): (events: unknown[]) => Promise<void> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  return async (events) => {
    const response = await fetch(`${url}/v1/events`, { method: 'POST', headers, body: JSON.stringify(events) });
    if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
}

/**
 * A batch of `batchSize` events every batchSize/eventsPerSec seconds, on a
 * fixed schedule (a slow answer does not lower the rate), until `stop` says
 * so for the next batch's due time; resolves with the events acknowledged.
 */
export async function steadyLoad(options: {
  url: string;
  key: string;
  make: EventMaker;
  eventsPerSec: number;
  batchSize: number;
  stop: (due: number) => boolean;
}): Promise<number> {
  const { make, eventsPerSec, batchSize, stop } = options;
  const post = poster(options.url, options.key);
  const intervalMs = (1000 * batchSize) / eventsPerSec;
  const started = performance.now();
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; ; i++) {
    const due = started + i * intervalMs;
    if (stop(due)) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const batch = Array.from({ length: batchSize }, () => make());
    const request = post(batch).then(() => {
      sent += batch.length;
    });
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }
  await Promise.all(inFlight);
  return sent;
}

export interface PacedFreshness {
  p50: number;
  p99: number;
  max: number;
  probes: number;
  /** Events/s the load actually reached (its answers may lag the schedule). */
  achievedPerSec: number;
}

export async function pacedFreshness(options: {
  url: string;
  key: string;
  make: EventMaker;
  eventsPerSec: number;
  batchSize: number;
  seconds: number;
  probeEveryMs: number;
}): Promise<PacedFreshness> {
  const { url, key, make, eventsPerSec, batchSize, seconds, probeEveryMs } = options;
  const started = performance.now();
  const end = started + seconds * 1000;
  const post = poster(url, key);
  const load = steadyLoad({ url, key, make, eventsPerSec, batchSize, stop: (due) => due >= end });

  const times: number[] = [];
  // Probes on days of their own from 2021-01-01 on: one probe, one figure.
  for (let probe = 0; performance.now() + probeEveryMs < end; probe++) {
    await new Promise((r) => setTimeout(r, probeEveryMs));
    const day = new Date(Date.UTC(2021, 0, 1) + probe * 86_400_000).toISOString().slice(0, 10);
    await post([probeEvent(make, day)]);
    const acked = performance.now();
    await waitForProbes(url, key, day, 1, 5);
    times.push(performance.now() - acked);
  }
  const sent = await load;
  const achievedPerSec = sent / ((performance.now() - started) / 1000);
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), max: times[times.length - 1]!, probes: times.length, achievedPerSec };
}
