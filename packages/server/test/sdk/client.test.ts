/**
 * The SDK against the real server (embedded log + chDB from the server's test
 * harness, served over real HTTP): every method, every error kind, retries.
 * Nothing is mocked; a fetch wrapper is used only to lose answers (a network
 * failure after the server acted), which a loopback server cannot do itself.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxBodyBytes, maxEventsPerRequest } from '@cordon/ingest';
import {
  createClient,
  serverLimits,
  type CordonClient,
  type EventInput,
  type FetchLike,
  type MetricName,
  type RetryInfo,
} from '@cordon/sdk';
import { adminKey, serveTestCordon, type ServedCordon } from '../served.ts';

const fast = { retries: 3, minDelayMs: 5, maxDelayMs: 20 };

function screening(people: number, extra: Partial<EventInput> = {}): EventInput {
  return {
    type: 'screening',
    region: '410184',
    occurredAt: '2020-02-13T08:00:00+08:00',
    data: { vehicles: 1, people },
    ...extra,
  } as EventInput;
}

/** A fetch that forwards to the real server, counts requests and can lose the next answers. */
function lossyFetch() {
  const state = { requests: 0, loseNext: 0, bodyBytes: [] as number[] };
  const fetch: FetchLike = async (request) => {
    state.requests++;
    if (request.body) state.bodyBytes.push((await request.clone().arrayBuffer()).byteLength);
    const response = await globalThis.fetch(request);
    if (state.loseNext > 0) {
      state.loseNext--;
      await response.body?.cancel();
      throw new TypeError('fetch failed', { cause: new Error('socket hang up (answer lost)') });
    }
    return response;
  };
  return { fetch, state };
}

let served: ServedCordon;
let cordon: CordonClient;

beforeAll(async () => {
  served = await serveTestCordon();
  cordon = createClient({ baseUrl: served.url, apiKey: adminKey, retry: fast });
});
afterAll(async () => {
  await served?.close();
});

async function totals(metrics: MetricName[], query: { region?: string; from?: string; to?: string } = {}) {
  await served.cordon.settled();
  const result = await cordon.aggregates({ metrics, region: '410184', from: '2020-01-01', to: '2020-12-31', ...query });
  if (result.error) throw result.error;
  return result.data.totals;
}

describe('reads', () => {
  it('health answers without a key; status and metrics with one', async () => {
    const anonymous = createClient({ baseUrl: served.url });
    const health = await anonymous.health();
    expect(health.error).toBeUndefined();
    expect(health.data).toEqual({ status: 'ok' });
    expect(health.response?.status).toBe(200);

    const status = await cordon.status();
    expect(status.data).toMatchObject({ lag: expect.any(Number), log: 'embedded', clickhouse: 'chdb', timeZone: 'Asia/Shanghai' });

    const metrics = await cordon.metrics();
    const names = metrics.data?.metrics.map((m) => m.name) ?? [];
    expect(names).toContain('people_screened');
    expect(names).toContain('donated:masks:piece');
  });

  it('aggregates takes a typed metric list and joins it on the wire', async () => {
    const sent = await cordon.events.send([
      screening(7, { region: '410184' }),
      screening(5),
      { type: 'turnback', region: '410184', occurredAt: '2020-02-14T09:00:00+08:00', data: { vehicles: 2, people: 3 } },
    ]);
    expect(sent.data).toMatchObject({ accepted: 3, duplicates: 0, rejected: 0 });
    await served.cordon.settled();
    const result = await cordon.aggregates({
      metrics: ['people_screened', 'people_turned_back'],
      region: '410184',
      from: '2020-02-13',
      to: '2020-02-14',
      groupBy: 'day',
    });
    expect(result.error).toBeUndefined();
    expect(result.response?.url).toContain('metrics=people_screened%2Cpeople_turned_back');
    expect(result.data?.totals).toEqual({ people_screened: 12, people_turned_back: 3 });
    expect(result.data?.rows).toEqual([
      { key: { day: '2020-02-13' }, values: { people_screened: 12, people_turned_back: 0 } },
      { key: { day: '2020-02-14' }, values: { people_screened: 0, people_turned_back: 3 } },
    ]);
  });
});

describe('places, trends and data quality', () => {
  beforeAll(async () => {
    const site = { region: '410184', site: 'sdk-gate-1' };
    const sent = await cordon.events.send([
      { type: 'site.registered', ...site, occurredAt: '2020-02-10T08:00:00+08:00', data: { name: '新郑北卡口', kind: 'road_checkpoint' } },
      {
        type: 'site.registered',
        region: '410184',
        site: 'sdk-gate-2',
        occurredAt: '2020-02-10T08:00:00+08:00',
        data: { name: '新郑南卡口', kind: 'community_gate' },
      },
      { type: 'fever', ...site, occurredAt: '2020-02-11T08:00:00+08:00', data: { people: 2, disposition: 'isolated' } },
      { type: 'fever', ...site, occurredAt: '2020-02-12T08:00:00+08:00', data: { people: 1, disposition: 'referred' } },
    ]);
    expect(sent.data).toMatchObject({ accepted: 4, rejected: 0 });
    await served.cordon.settled();
  });

  it('timeseries: one point per day with running total', async () => {
    const result = await cordon.timeseries({ metric: 'fever_cases', region: '410184', from: '2020-02-11', to: '2020-02-12' });
    expect(result.error).toBeUndefined();
    expect(result.data?.points.map((p) => [p.period, p.value, p.cumulative])).toEqual([
      ['2020-02-11', 2, 2],
      ['2020-02-12', 1, 3],
    ]);
    const isolated = await cordon.timeseries({
      metric: 'fever_cases',
      region: '410184',
      from: '2020-02-11',
      to: '2020-02-12',
      dim: 'isolated',
    });
    expect(isolated.data?.points.map((p) => p.value)).toEqual([2, 0]);
  });

  it('regions.get and regions.search; 404 for a code the registry lacks', async () => {
    const county = await cordon.regions.get('410184');
    expect(county.data).toMatchObject({ code: '410184', name: '新郑市', level: 'county', parent: { code: '410100', name: '郑州市' } });
    expect(county.data?.children.length).toBeGreaterThan(0);
    const found = await cordon.regions.search({ search: '新郑', limit: 5 });
    expect(found.data?.regions[0]).toMatchObject({ code: '410184', name: '新郑市' });
    expect((await cordon.regions.get('410184999')).error).toMatchObject({ kind: 'problem', status: 404 });
  });

  it('sites, completeness and quality', async () => {
    const sites = await cordon.sites({ region: '410184', kind: 'road_checkpoint' });
    expect(sites.data?.sites.map((s) => [s.id, s.name, s.status])).toEqual([['sdk-gate-1', '新郑北卡口', 'open']]);
    const day = await cordon.completeness({ region: '410184', date: '2020-02-11' });
    expect(day.data).toMatchObject({ inService: 2, reporting: 1, notReporting: ['sdk-gate-2'] });
    const quality = await cordon.quality({ region: '410184', from: '2020-02-10', to: '2020-02-12' });
    expect(quality.error).toBeUndefined();
    expect(Array.isArray(quality.data?.flags)).toBe(true);
  });
});

describe('events.send', () => {
  it('fills in UUID v7 ids and occurredAt (now, with an offset) and keeps ids it is given', async () => {
    const given = '0190d8a0-0000-7000-8000-00000000abcd';
    const result = await cordon.events.send(
      [screening(1, { id: given }), { type: 'screening', region: '410184', data: { vehicles: 0, people: 2 } }],
      { dryRun: true },
    );
    expect(result.data).toEqual({ accepted: 2, duplicates: 0, rejected: 0, errors: [], dryRun: true });
    const [first, second] = result.events;
    expect(first?.id).toBe(given);
    expect(second?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second?.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    expect(Math.abs(Date.parse(second!.occurredAt) - Date.now())).toBeLessThan(60_000);
  });

  it('uses the server limits as its own', () => {
    expect(serverLimits).toEqual({ maxEvents: maxEventsPerRequest, maxBytes: maxBodyBytes });
  });

  it('splits 5,001 events into two requests and merges the summaries, index re-based', async () => {
    const { fetch, state } = lossyFetch();
    const client = createClient({ baseUrl: served.url, apiKey: adminKey, fetch });
    const events = Array.from({ length: 5001 }, () => screening(1, { occurredAt: '2020-03-02T08:00:00+08:00' }));
    events[3] = screening(-1, { occurredAt: '2020-03-02T08:00:00+08:00' });
    events[5000] = { ...screening(1), region: '999999' } as EventInput;
    const result = await client.events.send(events);
    expect(state.requests).toBe(2);
    expect(result.data).toMatchObject({ accepted: 4999, duplicates: 0, rejected: 2 });
    expect(result.data?.errors.map((e) => [e.index, e.id, e.errors[0]?.path])).toEqual([
      [3, result.events[3]?.id, 'data.people'],
      [5000, result.events[5000]?.id, 'region'],
    ]);
    expect(await totals(['people_screened'], { from: '2020-03-02', to: '2020-03-02' })).toEqual({ people_screened: 4999 });
  });

  it('keeps each request within the byte limit', async () => {
    const { fetch, state } = lossyFetch();
    const client = createClient({ baseUrl: served.url, apiKey: adminKey, fetch, limits: { maxBytes: 2_000 } });
    const events = Array.from({ length: 40 }, (_, i) =>
      screening(i, { occurredAt: '2020-03-03T08:00:00+08:00', source: 'field-app-测试' }),
    );
    const result = await client.events.send(events);
    expect(state.requests).toBeGreaterThanOrEqual(4);
    expect(Math.max(...state.bodyBytes)).toBeLessThanOrEqual(2_000);
    // Packed: no two neighbouring requests would have fit in one.
    expect(state.bodyBytes.slice(0, -1).every((b) => b > 2_000 - 300)).toBe(true);
    expect(result.data).toMatchObject({ accepted: 40, rejected: 0 });
    expect(await totals(['people_screened'], { from: '2020-03-03', to: '2020-03-03' })).toEqual({ people_screened: (39 * 40) / 2 });
  });

  it('retries a lost answer with the same ids: the server reports duplicates and counts once', async () => {
    const { fetch, state } = lossyFetch();
    const retries: RetryInfo[] = [];
    const client = createClient({ baseUrl: served.url, apiKey: adminKey, fetch, retry: fast, onRetry: (r) => retries.push(r) });
    state.loseNext = 1;
    const result = await client.events.send([
      screening(11, { occurredAt: '2020-03-04T08:00:00+08:00' }),
      screening(13, { occurredAt: '2020-03-04T08:00:00+08:00' }),
    ]);
    expect(state.requests).toBe(2);
    expect(retries.map((r) => r.error.kind)).toEqual(['network']);
    expect(result.data).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await totals(['people_screened'], { from: '2020-03-04', to: '2020-03-04' })).toEqual({ people_screened: 24 });
  });
});

describe('admin', () => {
  it('keys.create, keys.list and keys.revoke', async () => {
    const created = await cordon.keys.create({ name: 'township app', role: 'ingest', region: '410184' });
    expect(created.response?.status).toBe(201);
    expect(created.data).toMatchObject({ name: 'township app', role: 'ingest', region: '410184', key: expect.any(String) });
    const keyId = created.data!.keyId;
    expect((await cordon.keys.list()).data?.keys.find((k) => k.keyId === keyId)).toMatchObject({ revokedAt: null });

    const township = createClient({ baseUrl: served.url, apiKey: created.data!.key });
    expect((await township.events.send([screening(1)], { dryRun: true })).data?.accepted).toBe(1);

    const revoked = await cordon.keys.revoke(keyId);
    expect(revoked.error).toBeUndefined();
    expect(revoked.response?.status).toBe(204);
    expect((await cordon.keys.list()).data?.keys.find((k) => k.keyId === keyId)?.revokedAt).toEqual(expect.any(String));
    expect((await township.events.send([screening(1)], { dryRun: true })).error).toMatchObject({ kind: 'problem', status: 401 });
  });

  it('regions.add makes a new code usable', async () => {
    const added = await cordon.regions.add({ code: '410184902', name: '新郑SDK园区' });
    expect(added.data).toMatchObject({ code: '410184902', name: '新郑SDK园区', parent: '410184', level: 'town', custom: true });
    expect((await cordon.events.send([screening(1, { region: '410184902' })], { dryRun: true })).data?.accepted).toBe(1);
  });

  it('keys.create and regions.add are not retried after a network failure (they are not idempotent)', async () => {
    const { fetch, state } = lossyFetch();
    const client = createClient({ baseUrl: served.url, apiKey: adminKey, fetch, retry: fast });
    state.loseNext = 1;
    const key = await client.keys.create({ name: 'lost answer', role: 'read' });
    expect(key.error).toMatchObject({ kind: 'network', retriable: true });
    expect(state.requests).toBe(1);
    state.loseNext = 1;
    const region = await client.regions.add({ code: '410184903', name: '丢失的回答' });
    expect(region.error?.kind).toBe('network');
    expect(state.requests).toBe(2);
    // The server did act on both: exactly one of each exists.
    expect((await cordon.keys.list()).data?.keys.filter((k) => k.name === 'lost answer')).toHaveLength(1);
    expect((await cordon.regions.add({ code: '410184903', name: '丢失的回答' })).error).toMatchObject({ status: 400 });
  });
});

describe('errors', () => {
  it('400: a problem with its field errors', async () => {
    const result = await cordon.aggregates({ metrics: ['people_screened'], from: '2020-02-10', to: '2020-02-01' });
    expect(result.data).toBeUndefined();
    expect(result.error).toMatchObject({
      kind: 'problem',
      status: 400,
      type: '/problems/validation',
      title: 'The request is not valid',
      retriable: false,
    });
    expect(result.error?.kind === 'problem' && result.error.errors).toEqual([{ path: 'from', message: 'must not be after to' }]);
    expect(result.error?.kind === 'problem' && result.error.detail).toEqual(expect.any(String));
  });

  it('401 for an unknown key, 403 for a key without the right', async () => {
    const stranger = createClient({ baseUrl: served.url, apiKey: 'not-a-key' });
    expect((await stranger.status()).error).toMatchObject({ kind: 'problem', status: 401, type: '/problems/unauthorized' });
    const readKey = (await cordon.keys.create({ name: 'reader', role: 'read' })).data!.key;
    const reader = createClient({ baseUrl: served.url, apiKey: readKey });
    expect((await reader.events.send([screening(1)])).error).toMatchObject({ kind: 'problem', status: 403, type: '/problems/forbidden' });
    expect((await reader.keys.list()).error).toMatchObject({ status: 403 });
  });

  it('404 for a key that does not exist', async () => {
    const result = await cordon.keys.revoke('no-such-key');
    expect(result.error).toMatchObject({ kind: 'problem', status: 404, type: '/problems/not_found' });
  });

  it('413 for an event too large to send alone, and nothing else of the call is lost', async () => {
    const huge = screening(1, { site: 'x'.repeat(serverLimits.maxBytes) });
    const small = screening(2, { occurredAt: '2020-03-05T08:00:00+08:00' });
    const result = await cordon.events.send([small, huge, small]);
    expect(result.error).toMatchObject({ kind: 'problem', status: 413, type: '/problems/payload_too_large', retriable: false });
    if (!result.error) throw new Error('expected an error');
    // The first batch went; the huge event and what follows are handed back, ids fixed.
    expect(result.sent).toMatchObject({ accepted: 1 });
    expect(result.unsent.map((e) => e.id)).toEqual([result.events[1]?.id, result.events[2]?.id]);
  });

  it('network failure: a distinct kind, retried for reads, then returned', async () => {
    const retries: RetryInfo[] = [];
    const client = createClient({ baseUrl: 'http://127.0.0.1:9', apiKey: adminKey, retry: fast, onRetry: (r) => retries.push(r) });
    const result = await client.status();
    expect(result.error).toMatchObject({ kind: 'network', retriable: true });
    expect(result.response).toBeUndefined();
    expect(retries).toHaveLength(3);
  });

  describe('against a server that accepts connections and never answers', () => {
    let silent: Server;
    let url: string;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      silent = createServer((socket) => sockets.add(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('timeout: a distinct kind, per attempt', async () => {
      const retries: RetryInfo[] = [];
      const client = createClient({
        baseUrl: url,
        apiKey: adminKey,
        timeoutMs: 100,
        retry: { ...fast, retries: 1 },
        onRetry: (r) => retries.push(r),
      });
      const started = Date.now();
      const result = await client.metrics();
      expect(result.error).toMatchObject({ kind: 'timeout', timeoutMs: 100, retriable: true });
      expect(retries.map((r) => r.error.kind)).toEqual(['timeout']);
      expect(Date.now() - started).toBeLessThan(5_000);
      // Per call, too.
      expect((await client.health({ timeoutMs: 50, retry: false })).error).toMatchObject({ kind: 'timeout', timeoutMs: 50 });
    });

    it('AbortSignal: the call ends as aborted, never retried', async () => {
      const client = createClient({ baseUrl: url, apiKey: adminKey, retry: fast });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('user left the page')), 50);
      const result = await client.aggregates({ metrics: ['fever_cases'] }, { signal: controller.signal });
      expect(result.error).toMatchObject({ kind: 'aborted', retriable: false });
      const already = await client.events.send([screening(1)], { signal: AbortSignal.abort() });
      expect(already.error?.kind).toBe('aborted');
    });
  });
});

describe('429: rate limited', () => {
  let limited: ServedCordon;
  beforeAll(async () => {
    limited = await serveTestCordon({ config: { rateLimit: { perSecond: 1, burst: 2 } } });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('without retries: a 429 problem carrying Retry-After', async () => {
    const client = createClient({ baseUrl: limited.url, apiKey: adminKey, retry: false });
    const answers = [await client.status(), await client.status(), await client.status()];
    const last = answers[2]?.error;
    expect(last).toMatchObject({ kind: 'problem', status: 429, type: '/problems/rate_limited', retriable: true, retryAfterMs: 1000 });
  });

  it('with retries: waits the Retry-After, then succeeds', async () => {
    const retries: RetryInfo[] = [];
    const client = createClient({ baseUrl: limited.url, apiKey: adminKey, retry: fast, onRetry: (r) => retries.push(r) });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await client.status());
    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((r) => r.error.kind === 'problem' && r.error.status === 429 && r.delayMs >= 1000)).toBe(true);
  });
});

describe('503: the event log cannot take writes', () => {
  let down: ServedCordon;
  beforeAll(async () => {
    down = await serveTestCordon();
    // A real 503: ingest answers it (with Retry-After: 5) once its log is closed.
    await down.cordon.runtime.log.close();
  });
  afterAll(async () => {
    await down?.close();
  });

  it('without retries: a 503 problem, retriable, with Retry-After', async () => {
    const client = createClient({ baseUrl: down.url, apiKey: adminKey, retry: false });
    const result = await client.events.send([screening(1)]);
    expect(result.error).toMatchObject({
      kind: 'problem',
      status: 503,
      type: '/problems/unavailable',
      retriable: true,
      retryAfterMs: 5000,
    });
  });

  it('a Retry-After longer than maxRetryAfterMs is not waited for', async () => {
    const retries: RetryInfo[] = [];
    const client = createClient({
      baseUrl: down.url,
      apiKey: adminKey,
      retry: { ...fast, maxRetryAfterMs: 1000 },
      onRetry: (r) => retries.push(r),
    });
    expect((await client.events.send([screening(1)])).error).toMatchObject({ status: 503 });
    expect(retries).toHaveLength(0);
  });

  it('retried after the Retry-After: a restarted server takes the same events, counted once', async () => {
    const retries: RetryInfo[] = [];
    const client = createClient({ baseUrl: down.url, apiKey: adminKey, retry: fast, onRetry: (r) => retries.push(r) });
    const events = [screening(17, { occurredAt: '2020-03-06T08:00:00+08:00' }), screening(19, { occurredAt: '2020-03-06T08:00:00+08:00' })];
    const sending = client.events.send(events);
    // The server restarts (a fresh runtime, same port) while the client waits out Retry-After: 5.
    await waitUntil(() => retries.length > 0);
    const { startTestCordon } = await import('../harness.ts');
    const restarted = await startTestCordon();
    const old = down.cordon;
    await down.swapApp(restarted);
    await old.close();
    const result = await sending;
    expect(retries.map((r) => [r.error.kind === 'problem' && r.error.status, r.delayMs >= 5000])).toEqual([[503, true]]);
    expect(result.data).toMatchObject({ accepted: 2, duplicates: 0 });
    await restarted.settled();
    const figures = await client.aggregates({ metrics: ['people_screened'], region: '410184', from: '2020-03-06', to: '2020-03-06' });
    expect(figures.data?.totals).toEqual({ people_screened: 36 });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
