/**
 * The ingest benches' events and their client: screenings spread over seven
 * Xinzheng towns and forty checkpoints, sent as POST /v1/events in batches
 * from concurrent clients (bench:ingest and bench:scale-out send the same).
 */
import { randomBytes } from 'node:crypto';

export const towns = ['410184001', '410184002', '410184003', '410184104', '410184107', '410184109', '410184200'];

export interface EventMaker {
  (overrides?: Record<string, unknown>): Record<string, unknown>;
}

/** Events with ids unique to this run (a UUIDv7-shaped prefix from the run, then a counter). */
export function eventMaker(): EventMaker {
  const run = randomBytes(3).toString('hex');
  let seq = 0;
  return (overrides = {}) => {
    seq++;
    return {
      id: `0190d8a0-${run.slice(0, 4)}-7${run.slice(4, 6)}0-8000-${seq.toString(16).padStart(12, '0')}`,
      type: 'screening',
      occurredAt: `2020-02-13T${String(seq % 24).padStart(2, '0')}:00:00+08:00`,
      region: towns[seq % towns.length],
      site: `xz-cp-${String(seq % 40).padStart(3, '0')}`,
      source: 'bench',
      data: { vehicles: seq % 7, people: seq % 11, temperatureChecks: seq % 11 },
      ...overrides,
    };
  };
}

export interface SendOptions {
  batchSize: number;
  concurrency: number;
  /** Bearer key; none for the bare HTTP reference. */
  key?: string;
  /** Each call gives the URL of the next request: several ingest processes share the stream by it. */
  target: () => string;
}

/** The request bodies of `count` events, made before the clock starts. */
export function bodies(make: EventMaker, count: number, batchSize: number): string[] {
  return Array.from({ length: Math.ceil(count / batchSize) }, () => JSON.stringify(Array.from({ length: batchSize }, () => make())));
}

/** Sends the bodies from `concurrency` clients, each waiting for its answer; events/s over the whole run. */
export async function sendAll(batches: readonly string[], options: SendOptions): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.key) headers['authorization'] = `Bearer ${options.key}`;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < batches.length) {
        const body = batches[next++]!;
        const response = await fetch(`${options.target()}/v1/events`, { method: 'POST', headers, body });
        if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
        await response.arrayBuffer();
      }
    }),
  );
  return (batches.length * options.batchSize) / ((performance.now() - started) / 1000);
}
