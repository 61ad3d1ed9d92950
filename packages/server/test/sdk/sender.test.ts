/**
 * The batching sender against the real server: flushes by size and by time,
 * and an offline field app whose queue survives a restart and is replayed
 * with exact figures afterwards.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, createEventSender, type EventInput, type FetchLike, type FlushReport, type MetricName } from '@cordon/sdk';
import { createFileQueueStore } from '@cordon/sdk/node';
import { waitFor } from '../harness.ts';
import { adminKey, serveTestCordon, type ServedCordon } from '../served.ts';

let served: ServedCordon;
beforeAll(async () => {
  served = await serveTestCordon();
});
afterAll(async () => {
  await served?.close();
});

const fast = { retries: 2, minDelayMs: 5, maxDelayMs: 20 };

function screening(day: string, people: number): EventInput {
  return { type: 'screening', region: '410184', site: 'checkpoint-7', occurredAt: `${day}T08:00:00+08:00`, data: { vehicles: 1, people } };
}

async function peopleOn(day: string, metric: MetricName = 'people_screened') {
  await served.cordon.settled();
  const client = createClient({ baseUrl: served.url, apiKey: adminKey });
  const result = await client.aggregates({ metrics: [metric], region: '410184', from: day, to: day });
  if (result.error) throw result.error;
  return result.data.totals[metric];
}

describe('createEventSender', () => {
  it('flushes by size: maxBatch events start a flush', async () => {
    const reports: FlushReport[] = [];
    const client = createClient({ baseUrl: served.url, apiKey: adminKey });
    const sender = createEventSender({ client, flushEvery: 0, maxBatch: 3, onFlush: (r) => reports.push(r) });
    await sender.add([screening('2020-04-01', 1), screening('2020-04-01', 2)]);
    expect(await sender.pending()).toBe(2);
    expect(reports).toHaveLength(0);
    await sender.add(screening('2020-04-01', 3));
    await waitFor(async () => (await sender.pending()) === 0, { what: 'the size flush' });
    expect(reports[0]?.summary).toMatchObject({ accepted: 3 });
    expect(await peopleOn('2020-04-01')).toBe(6);
    await sender.close();
  });

  it('flushes by time: flushEvery', async () => {
    const client = createClient({ baseUrl: served.url, apiKey: adminKey });
    const sender = createEventSender({ client, flushEvery: 50, maxBatch: 1000 });
    const [queued] = await sender.add(screening('2020-04-02', 5));
    expect(queued?.id).toEqual(expect.any(String));
    await waitFor(async () => (await sender.pending()) === 0, { what: 'the timed flush' });
    expect(await peopleOn('2020-04-02')).toBe(5);
    await sender.close();
  });

  it('drops events the server rejects as invalid and reports them', async () => {
    const client = createClient({ baseUrl: served.url, apiKey: adminKey });
    const sender = createEventSender({ client, flushEvery: 0 });
    const [, bad] = await sender.add([
      screening('2020-04-03', 1),
      { ...screening('2020-04-03', 1), region: '999999' } as EventInput,
      screening('2020-04-03', 1),
    ]);
    const report = await sender.flush();
    expect(report.summary).toMatchObject({ accepted: 2, rejected: 1 });
    expect(report.rejected.map((r) => [r.event.id, r.errors[0]?.path])).toEqual([[bad?.id, 'region']]);
    expect(report.pending).toBe(0);
    await sender.close();
  });

  it('an offline field app: its queue survives a restart and is replayed once the server is back, every figure counted once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cordon-sdk-queue-')), 'queue.ndjson');
    const day = '2020-04-04';
    // Answers lost on the way back: the server took the events, the app never heard.
    const state = { loseAnswers: false };
    const fetch: FetchLike = async (request) => {
      const response = await globalThis.fetch(request);
      if (state.loseAnswers) {
        await response.body?.cancel();
        throw new TypeError('fetch failed', { cause: new Error('connection reset (answer lost)') });
      }
      return response;
    };
    const client = createClient({ baseUrl: served.url, apiKey: adminKey, fetch, retry: fast });
    let expected = 0;
    const add = async (sender: ReturnType<typeof createEventSender>, people: number[]) => {
      expected += people.reduce((a, b) => a + b, 0);
      return sender.add(people.map((p) => screening(day, p)));
    };

    const first = createEventSender({ client, flushEvery: 0, store: createFileQueueStore({ path }) });
    // Online: sent and answered.
    await add(first, [1, 2, 3]);
    expect((await first.flush()).summary).toMatchObject({ accepted: 3 });

    // The answers get lost: the server counts them, the app keeps them queued.
    await add(first, [10, 20]);
    state.loseAnswers = true;
    const lost = await first.flush();
    expect(lost.error?.kind).toBe('network');
    expect(lost.pending).toBe(2);
    state.loseAnswers = false;

    // Then the network is gone altogether (the server stops listening).
    await served.goOffline();
    await add(first, [100, 200, 300]);
    const offline = await first.flush();
    expect(offline.error).toMatchObject({ kind: 'network' });
    expect(offline.pending).toBe(5);
    // The app is closed while offline; the queue is on disk with the ids it was given.
    await first.close({ flush: false });
    const onDisk = readFileSync(path, 'utf8');
    expect(onDisk).toContain('"people":300');

    // Next morning: the app starts again, the server is back.
    await served.goOnline();
    const replays: FlushReport[] = [];
    const second = createEventSender({ client, flushEvery: 20, store: createFileQueueStore({ path }), onFlush: (r) => replays.push(r) });
    await waitFor(async () => (await second.pending()) === 0, { what: 'the replay' });
    await second.close();
    const replayed = replays.reduce((n, r) => n + r.summary.accepted, 0);
    const duplicates = replays.reduce((n, r) => n + r.summary.duplicates, 0);
    expect([replayed, duplicates]).toEqual([3, 2]);
    expect(readFileSync(path, 'utf8')).toBe('');

    expect(expected).toBe(636);
    expect(await peopleOn(day)).toBe(expected);
  });
});
