/**
 * Figure answers given again from memory while the consumer in the process
 * has written nothing (query-api's answer-cache.ts), against the real
 * server: chDB is asked once for a repeated question, asked again as soon as
 * a batch is counted, and a kept answer is never given past the key's auth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKey, event, recordQueries, startTestCordon, type TestClient } from './harness.ts';
import { parsePrometheusText } from './prometheus-text.ts';

let cordon: TestClient;
let sent: string[];
const question = '/v1/aggregates?metrics=people_screened,vehicles_screened&region=410184&from=2020-02-13&to=2020-02-13';
/** The statements that read a figure (not the ETag's or the consumer's own). */
const figureQueries = () => sent.filter((q) => /people_screened|vehicles_screened|FROM\s+\S*_daily/.test(q)).length;

beforeAll(async () => {
  cordon = await startTestCordon();
  await cordon.send([
    event('screening', { vehicles: 3, people: 5 }),
    event('screening', { vehicles: 1, people: 2 }, { region: '410184109' }),
  ]);
  await cordon.settled();
  sent = recordQueries(cordon);
});
afterAll(async () => {
  await cordon?.close();
});

describe('the answer cache (issue 13: every poll was a chDB query)', () => {
  it('asks chDB once for a repeated question, and again once a batch is counted', async () => {
    const first = await cordon.get(question);
    expect(first.status).toBe(200);
    expect(first.body.totals).toEqual({ people_screened: 7, vehicles_screened: 4 });
    // One statement answers the question (the county's roll-up).
    expect(figureQueries()).toBe(1);
    for (let i = 0; i < 3; i++) {
      const again = await cordon.get(question);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    }
    expect(figureQueries()).toBe(1);
    // Each answer carries its own request's id, never the id kept with the answer.
    const ids = [];
    for (const id of ['cache-test-1', 'cache-test-2']) {
      const response = await cordon.request(question, { headers: { 'x-request-id': id } });
      ids.push(response.headers.get('x-request-id'));
    }
    expect(ids).toEqual(['cache-test-1', 'cache-test-2']);
    expect(figureQueries()).toBe(1);

    // A 304 for the kept answer's tag, as for a computed one.
    const conditional = await cordon.request(question, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(conditional.status).toBe(304);

    await cordon.send([event('screening', { vehicles: 0, people: 10 })]);
    await cordon.settled();
    const changed = await cordon.get(question);
    expect(changed.body.totals).toEqual({ people_screened: 17, vehicles_screened: 4 });
    expect(changed.headers.get('etag')).not.toBe(first.headers.get('etag'));
    expect(figureQueries()).toBe(2);

    // Six answers from memory (three repeats, two with request ids, the 304), two computed.
    const metrics = parsePrometheusText(await (await cordon.runtime.app!.request('/metrics')).text());
    expect(metrics.value('cordon_answer_cache_total', { result: 'hit' })).toBe(6);
    expect(metrics.value('cordon_answer_cache_total', { result: 'miss' })).toBe(2);
  });

  it('keeps the CSV and the JSON of a question apart', async () => {
    const csv = await cordon.request(question, { headers: { accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const csvText = await csv.text();
    const again = await cordon.request(question, { headers: { accept: 'text/csv' } });
    expect(await again.text()).toBe(csvText);
    expect((await cordon.get(question)).body.totals).toEqual({ people_screened: 17, vehicles_screened: 4 });
  });

  it('still refuses a revoked key, an unknown key and no key, with the answer kept', async () => {
    const { key, keyId } = await cordon.newKey('wall screen', 'read');
    expect((await cordon.get(question, key)).status).toBe(200);
    expect((await cordon.get(question, key)).status).toBe(200);
    expect((await cordon.request(`/v1/keys/${keyId}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await cordon.get(question, key);
    expect(revoked.status).toBe(401);
    expect(revoked.body).toMatchObject({ type: '/problems/unauthorized', status: 401 });
    expect((await cordon.get(question, 'ck_not_a_key')).status).toBe(401);
    expect((await cordon.request(question, { key: null })).status).toBe(401);
    expect((await cordon.get(question, adminKey)).status).toBe(200);
  });

  it("never gives one key's answer to another key, and a region-limited key keeps its 403", async () => {
    const town = await cordon.createKey('read', '410184109');
    expect((await cordon.get(question)).status).toBe(200);
    const wider = await cordon.get(question, town);
    expect(wider.status).toBe(403);
    expect((await cordon.get(question, town)).status).toBe(403);
    const own = await cordon.get('/v1/aggregates?metrics=people_screened&region=410184109&from=2020-02-13&to=2020-02-13', town);
    expect(own.body.totals).toEqual({ people_screened: 2 });
  });

  it('counts a kept answer against the rate limit', async () => {
    const limited = await startTestCordon({ config: { rateLimit: { perSecond: 1, burst: 6 } } });
    try {
      const { key } = await limited.newKey('busy', 'read');
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await limited.get(question, key)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});
