import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKey, event, recordingLogger, startTestCordon, type TestClient } from './harness.ts';
import { parsePrometheusText } from './prometheus-text.ts';

async function scrape(cordon: TestClient, init: RequestInit = {}) {
  const response = await cordon.runtime.app!.request('/metrics', init);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(await response.text());
}

describe('GET /metrics after a known ingest', () => {
  let cordon: TestClient;
  beforeAll(async () => {
    cordon = await startTestCordon();
  });
  afterAll(() => cordon?.close());

  it('counts events by outcome and type, appends, consumer work and requests by route pattern, exactly', async () => {
    const screenings = [1, 2, 3].map((n) => event('screening', { vehicles: n, people: n }));
    const first = await cordon.send([
      ...screenings,
      event('fever', { people: 1, disposition: 'referred' }),
      event('screening', { vehicles: -1, people: 0 }), // rejected, type known
      { ...event('screening', { vehicles: 1, people: 1 }), type: 'teleport' }, // rejected, type unknown
    ]);
    expect(first.body).toMatchObject({ accepted: 4, duplicates: 0, rejected: 2 });
    const second = await cordon.send([screenings[0]]);
    expect(second.body).toMatchObject({ accepted: 0, duplicates: 1, rejected: 0 });
    expect((await cordon.send([event('screening', { vehicles: 9, people: 9 })], { query: '?dryRun=true' })).body).toMatchObject({
      accepted: 1,
      dryRun: true,
    });
    // A poison record straight into the log: the consumer dead-letters it.
    await cordon.runtime.log.append([{ key: 'poison', value: Buffer.from('not json') }]);
    await cordon.settled();
    expect((await cordon.get('/v1/regions/410184')).status).toBe(200);

    const metrics = await scrape(cordon);
    const events = (outcome: string, type: string) => metrics.value('cordon_ingest_events_total', { outcome, type });
    expect(events('accepted', 'screening')).toBe(3);
    expect(events('accepted', 'fever')).toBe(1);
    expect(events('duplicate', 'screening')).toBe(1);
    expect(events('rejected', 'screening')).toBe(1);
    expect(events('rejected', 'invalid')).toBe(1);
    expect(metrics.samples.filter((s) => s.name === 'cordon_ingest_events_total').map((s) => s.value)).toEqual([3, 1, 1, 1, 1]); // nothing else, no dry run
    expect(metrics.types.get('cordon_ingest_events_total')).toBe('counter');

    // One append through the route (the duplicate-only request and the dry run append nothing).
    expect(metrics.types.get('cordon_log_append_seconds')).toBe('histogram');
    expect(metrics.value('cordon_log_append_seconds_count', { result: 'ok' })).toBe(1);
    expect(metrics.value('cordon_log_append_seconds_count', { result: 'error' })).toBe(0);
    expect(metrics.value('cordon_log_append_seconds_bucket', { result: 'ok', le: '+Inf' })).toBe(1);

    expect(metrics.value('cordon_consumer_events_total', { outcome: 'counted' })).toBe(4);
    expect(metrics.value('cordon_consumer_events_total', { outcome: 'duplicate' })).toBe(0);
    expect(metrics.value('cordon_consumer_events_total', { outcome: 'dead_letter' })).toBe(1);
    expect(metrics.value('cordon_dead_letters_total')).toBe(1);
    expect(metrics.value('cordon_consumer_lag')).toBe(0);
    expect(metrics.value('cordon_consumer_batch_seconds_count')).toBe(cordon.runtime.consumer!.stats.batches);

    const requests = (labels: Record<string, string>) => metrics.value('cordon_http_request_duration_seconds_count', labels);
    expect(requests({ method: 'POST', route: '/v1/events', status: '200' })).toBe(3);
    expect(requests({ method: 'GET', route: '/v1/regions/:code', status: '200' })).toBe(1);
    // Route patterns, never raw paths: no label carries the region code.
    expect(metrics.samples.some((s) => Object.values(s.labels).some((v) => v.includes('410184')))).toBe(false);

    // Process metrics from prom-client's defaults.
    expect(metrics.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(metrics.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect(metrics.value('process_resident_memory_bytes')).toBeGreaterThan(1_000_000);
  });

  it('labels a request that matched no route as (unmatched), and counts the scrape itself', async () => {
    expect((await cordon.request('/v1/nothing-here/410184')).status).toBe(404);
    const metrics = await scrape(cordon);
    expect(metrics.value('cordon_http_request_duration_seconds_count', { method: 'GET', route: '(unmatched)', status: '404' })).toBe(1);
    expect(metrics.value('cordon_http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status: '200' })).toBe(1);
  });
});

describe('GET /metrics with CORDON_METRICS_KEY', () => {
  it('answers 401 without the metrics key or with an API key, 200 with it', async () => {
    const cordon = await startTestCordon({ config: { metricsKey: 'scrape-secret' } });
    try {
      const without = await cordon.runtime.app!.request('/metrics');
      expect(without.status).toBe(401);
      expect(without.headers.get('content-type')).toContain('application/problem+json');
      expect((await cordon.request('/metrics')).status).toBe(401); // the admin API key is not the metrics key
      const metrics = await scrape(cordon, { headers: { authorization: 'Bearer scrape-secret' } });
      expect(metrics.types.get('cordon_ingest_events_total')).toBe('counter');
    } finally {
      await cordon.close();
    }
  });
});

describe('the request log and X-Request-Id', () => {
  let cordon: TestClient;
  const log = recordingLogger();
  beforeAll(async () => {
    cordon = await startTestCordon({ logger: log.logger });
  });
  afterAll(() => cordon?.close());

  it('keeps a plain client id, echoes it, and logs one line with the route pattern and the key id, never the key', async () => {
    const created = await cordon.request('/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'reader', role: 'read' }),
    });
    expect(created.status).toBe(201);
    const reader = (await created.json()) as { key: string; keyId: string };
    const response = await cordon.request('/v1/regions/410184?x=1', {
      key: reader.key,
      headers: { 'x-request-id': 'field-app-7f3a:0001' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('field-app-7f3a:0001');
    const lines = log.requests().filter((l) => l['requestId'] === 'field-app-7f3a:0001');
    expect(lines).toEqual([
      {
        level: 'info',
        msg: 'request',
        requestId: 'field-app-7f3a:0001',
        method: 'GET',
        route: '/v1/regions/:code',
        status: 200,
        ms: expect.any(Number),
        keyId: reader.keyId,
      },
    ]);

    // A wrong key is answered 401 and logged without the key too.
    const wrong = await cordon.request('/v1/metrics', { key: 'ck_0000000000000000_not-a-real-secret-but-looks-like-one-xxxxxxx' });
    expect(wrong.status).toBe(401);
    const all = JSON.stringify(log.lines);
    for (const secret of [adminKey, reader.key, 'not-a-real-secret']) expect(all).not.toContain(secret);
    expect(log.requests().find((l) => l['requestId'] === wrong.headers.get('x-request-id'))).toMatchObject({
      route: '/v1/metrics',
      status: 401,
      keyId: null,
    });
  });

  it('replaces an id that is too long or has other characters by a fresh UUID, and makes one when none is sent', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const sent of ['a'.repeat(129), 'id with spaces', '"quoted"', 'ok{json}', '-leading-dash', null]) {
      const response = await cordon.request('/v1/health', sent === null ? {} : { headers: { 'x-request-id': sent } });
      const echoed = response.headers.get('x-request-id')!;
      expect(echoed).toMatch(uuid);
      expect(log.requests().filter((l) => l['requestId'] === echoed)).toHaveLength(1);
    }
    const longest = 'a'.repeat(128);
    expect((await cordon.request('/v1/health', { headers: { 'x-request-id': longest } })).headers.get('x-request-id')).toBe(longest);
  });
});

describe('the strict Prometheus text reader used above', () => {
  it('refuses what Prometheus would refuse', () => {
    expect(() => parsePrometheusText('x 1\n')).toThrow(/without TYPE/);
    expect(() => parsePrometheusText('# TYPE x counter\nx{a="b} 1\n')).toThrow(/unterminated/);
    expect(() => parsePrometheusText('# TYPE x counter\nx{a="\\t"} 1\n')).toThrow(/bad escape/);
    expect(() => parsePrometheusText('# TYPE x counter\nx one\n')).toThrow(/bad value/);
    expect(() => parsePrometheusText('# TYPE x counter\nx 1')).toThrow(/newline/);
    expect(parsePrometheusText('# TYPE x histogram\nx_bucket{le="+Inf"} 2\nx_count 2\nx_sum 0.5\n').value('x_count')).toBe(2);
  });
});
