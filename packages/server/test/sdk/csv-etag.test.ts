/**
 * cordon.csv() and conditional requests (ifNoneMatch) against the real
 * server: the CSV is the server's bytes, BOM included; a 304 says nothing
 * new was counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type CordonClient } from '@cordon/sdk';
import { event } from '../harness.ts';
import { adminKey, serveTestCordon, type ServedCordon } from '../served.ts';

let served: ServedCordon;
let cordon: CordonClient;
beforeAll(async () => {
  served = await serveTestCordon();
  await served.cordon.send([
    event('screening', { vehicles: 3, people: 5 }),
    event('screening', { vehicles: 1, people: 2 }, { region: '410184109' }),
  ]);
  await served.cordon.settled();
  cordon = createClient({ baseUrl: served.url, apiKey: adminKey });
});
afterAll(async () => {
  await served?.close();
});

describe('cordon.csv', () => {
  it('answers the CSV exactly as the server writes it, byte-order mark included', async () => {
    const query = 'metrics=people_screened,vehicles_screened&region=410184&from=2020-02-13&to=2020-02-13&groupBy=region&level=town';
    const raw = await fetch(`${served.url}/v1/aggregates?${query}`, {
      headers: { authorization: `Bearer ${adminKey}`, accept: 'text/csv' },
    });
    const bytes = Buffer.from(await raw.arrayBuffer());
    const result = await cordon.csv('aggregates', {
      metrics: ['people_screened', 'vehicles_screened'],
      region: '410184',
      from: '2020-02-13',
      to: '2020-02-13',
      groupBy: 'region',
      level: 'town',
    });
    expect(result.error).toBeUndefined();
    expect(Buffer.from(result.data!, 'utf8').equals(bytes)).toBe(true);
    expect(result.data!.startsWith('\uFEFFregion,name,people_screened,vehicles_screened\r\n')).toBe(true);
    expect(result.data).toContain('410184109,龙湖镇,2,1\r\n');
  });

  it("gives the server's problem for a bad query", async () => {
    const result = await cordon.csv('timeseries', { metric: 'people_screened', region: '99' });
    expect(result.error?.kind).toBe('problem');
    expect(result.error?.kind === 'problem' && result.error.status).toBe(400);
  });
});

describe('ifNoneMatch', () => {
  it('gets 304 (a problem with status 304) while nothing new is counted, the new answer once something is', async () => {
    const query = { metrics: ['people_screened'] as const, region: '410184', from: '2020-02-13', to: '2020-02-13' };
    const first = await cordon.aggregates(query);
    const etag = first.response?.headers.get('etag');
    expect(etag).toMatch(/^W\//);
    const same = await cordon.aggregates(query, { ifNoneMatch: etag! });
    expect(same.error?.kind === 'problem' && same.error.status).toBe(304);
    expect(same.error?.retriable).toBe(false);
    await served.cordon.send([event('screening', { vehicles: 0, people: 10 })]);
    await served.cordon.settled();
    const changed = await cordon.aggregates(query, { ifNoneMatch: etag! });
    expect(changed.error).toBeUndefined();
    expect(changed.data?.totals).toEqual({ people_screened: 17 });
    expect(changed.response?.headers.get('etag')).not.toBe(etag);
  });
});
