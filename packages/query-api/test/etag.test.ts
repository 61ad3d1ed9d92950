import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import type { ClickHouse } from '@cordon/clickhouse';
import { openTestClickHouse } from '@cordon/clickhouse/testing';
import { pipelineEtag } from '../src/etag.ts';

/** The position read from ClickHouse: what a query API in its own process (no local consumer) uses. */
let ch: ClickHouse;
beforeAll(async () => {
  ch = await openTestClickHouse();
});
afterAll(async () => {
  await ch.close();
});

describe('pipelineEtag without a local consumer', () => {
  it('changes the tag when a row reaches the events table, and answers 304 until then', async () => {
    const app = new Hono();
    app.use('*', pipelineEtag({ clickhouse: ch }));
    app.get('/figure', (c) => c.json({ n: 1 }));
    const tag = (await app.request('/figure')).headers.get('etag')!;
    expect(tag).toMatch(/^W\/"0\.0-/);
    expect((await app.request('/figure', { headers: { 'if-none-match': tag } })).status).toBe(304);
    await ch.client.insert({
      table: `${ch.database}.events`,
      values: [
        {
          id: '0190d8a0-0000-7000-8000-00000000e7a9',
          sign: 1,
          type: 'screening',
          occurred_at: '2020-02-13 00:00:00.000',
          day: '2020-02-13',
          region: '410184000000',
          site: '',
          source: '',
          received_at: '2020-02-13 01:00:00.000',
          void_id: null,
          data: '{}',
          log_partition: 0,
          log_offset: 0,
        },
      ],
      format: 'JSONEachRow',
    });
    const after = await app.request('/figure', { headers: { 'if-none-match': tag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).toMatch(/^W\/"1\.0-/);
  });

  it("changes the tag once the consumer's progress moves: a batch's roll-ups land a moment after its raw rows", async () => {
    // The moment between: the raw row is in, the roll-up it feeds not yet.
    const app = new Hono();
    app.use('*', pipelineEtag({ clickhouse: ch }));
    app.get('/county', async (c) => {
      const result = await ch.client.query({
        query: `SELECT sum(value) AS total FROM ${ch.database}.county_daily WHERE metric = 'people_screened' AND region = '410184000000'`,
        format: 'JSONEachRow',
      });
      return c.json((await result.json<{ total: number }>())[0]);
    });
    const stale = await app.request('/county');
    const staleTag = stale.headers.get('etag')!;
    expect(await stale.json()).toEqual({ total: 0 });
    // The view's row lands, then the consumer records its progress, as it does after every insert.
    await ch.client.insert({
      table: `${ch.database}.county_daily`,
      values: [{ metric: 'people_screened', region: '410184000000', dim: '', day: '2020-02-13', value: 5, events: 1 }],
      format: 'JSONEachRow',
    });
    expect((await app.request('/county', { headers: { 'if-none-match': staleTag } })).status).toBe(304);
    await ch.client.command({
      query: `INSERT INTO ${ch.database}.consumer_progress VALUES ('cordon-rollup', 0, 1, 1, now64(3))`,
    });
    const fresh = await app.request('/county', { headers: { 'if-none-match': staleTag } });
    expect(fresh.status).toBe(200);
    expect(await fresh.json()).toEqual({ total: 5 });
    expect(fresh.headers.get('etag')).toMatch(/^W\/"1\.1-/);
  });
});
