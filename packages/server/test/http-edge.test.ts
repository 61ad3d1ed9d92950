import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, startTestCordon, type TestClient } from './harness.ts';

/** ETags from the pipeline position, CSV exports, per-key rate limits. */
let cordon: TestClient;
beforeAll(async () => {
  cordon = await startTestCordon({ config: { rateLimit: { perSecond: 1, burst: 1000 } } });
  await cordon.send([
    event('screening', { vehicles: 3, people: 7 }, { region: '410184003' }),
    event('screening', { vehicles: 1, people: 2 }, { region: '410184104' }),
  ]);
  await cordon.settled();
});
afterAll(async () => {
  await cordon.close();
});

const figures =
  '/v1/aggregates?metrics=people_screened,vehicles_screened&region=410184&from=2020-02-13&to=2020-02-13&groupBy=region&level=town';

describe('ETag', () => {
  it('answers 304 to If-None-Match until a new event could change the answer', async () => {
    const first = await cordon.request(figures);
    const tag = first.headers.get('etag');
    expect(tag).toMatch(/^W\/"[\w.]+-/);
    const again = await cordon.request(figures, { headers: { 'if-none-match': tag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // Another question has another tag.
    const other = await cordon.request(figures.replace('groupBy=region&level=town', 'groupBy=none'), {
      headers: { 'if-none-match': tag! },
    });
    expect(other.status).toBe(200);
    // A new event moves the pipeline: the old tag no longer matches.
    await cordon.send([event('screening', { vehicles: 0, people: 1 }, { region: '410184003' })]);
    await cordon.settled();
    const changed = await cordon.request(figures, { headers: { 'if-none-match': tag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(tag);
    expect(((await changed.json()) as { totals: { people_screened: number } }).totals.people_screened).toBe(10);
  });

  it('never answers 304 to a caller without a valid key', async () => {
    const tag = (await cordon.request(figures)).headers.get('etag')!;
    const anonymous = await cordon.request(figures, { key: null, headers: { 'if-none-match': tag } });
    expect(anonymous.status).toBe(401);
  });
});

describe('CSV', () => {
  it('answers figures as UTF-8 CSV with a BOM on Accept: text/csv', async () => {
    const response = await cordon.request(figures, { headers: { accept: 'text/csv' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe(
      'region,name,people_screened,vehicles_screened\r\n410184003,新烟街道,8,3\r\n410184104,梨河镇,2,1\r\n',
    );
  });
});

describe('rate limits', () => {
  it("answer 429 with Retry-After past a key's limit, per key", async () => {
    const create = await cordon.request('/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'burst', role: 'read' }),
    });
    const { key } = (await create.json()) as { key: string };
    const limited = await startTestCordon({ config: { rateLimit: { perSecond: 1, burst: 3 } } });
    try {
      const made = await limited.request('/v1/keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'office', role: 'read' }),
      });
      const office = ((await made.json()) as { key: string }).key;
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await limited.request('/v1/metrics', { key: office })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await limited.request('/v1/metrics', { key: office });
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toMatchObject({ type: '/problems/rate_limited', status: 429 });
    } finally {
      await limited.close();
    }
    expect((await cordon.request('/v1/metrics', { key })).status).toBe(200);
  });
});
