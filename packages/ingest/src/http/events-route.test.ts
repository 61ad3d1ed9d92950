/**
 * `POST /v1/events` through a tiny app (the route, the edge's error handler)
 * on an in-memory event log, with a real KeyStore, the real region registry
 * (Henan only) and the id index without ClickHouse: every answer's status,
 * headers and body exactly, and what reached the log.
 */
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleError, KeyStore } from '@cordon/edge';
import { createMemoryEventLog } from '@cordon/ingest/testing';
import { loadRegionRegistry, type RegionRegistry } from '@cordon/regions';
import type { ImportSummary, Problem } from '@cordon/schemas';
import { createIdIndex } from '../id-index.ts';
import { createEventsRoute, type EventsRouteDeps } from './events-route.ts';
import { maxBodyBytes } from './parse-body.ts';

const receivedAt = '2020-02-13T01:02:03.000Z';
const county = '410184';
const xinyan = '410184003';
const xinjianlu = '410184001';

let regions: RegionRegistry;
beforeAll(async () => {
  regions = await loadRegionRegistry({ provinces: ['41'] });
});

async function tinyApp(options: Pick<EventsRouteDeps, 'voidScope'> = {}) {
  const keys = new KeyStore({ append: async () => {} });
  const log = createMemoryEventLog();
  const route = createEventsRoute({
    log,
    keys,
    regions,
    ids: createIdIndex({ clickhouse: null }),
    now: () => new Date(receivedAt),
    ...options,
  });
  const app = new Hono().route('/', route);
  app.onError(
    handleError((error) => {
      throw error;
    }),
  );
  const townKey = (await keys.create({ name: 'town', role: 'ingest', region: xinyan })).key;
  const countyKey = (await keys.create({ name: 'county', role: 'ingest', region: county })).key;
  const readKey = (await keys.create({ name: 'office', role: 'read' })).key;
  const unscopedKey = (await keys.create({ name: 'province app', role: 'ingest' })).key;
  const post = (body: string, init: { key?: string; type?: string; query?: string; headers?: Record<string, string> } = {}) =>
    app.request(`/v1/events${init.query ?? ''}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${init.key ?? countyKey}`, 'content-type': init.type ?? 'application/json', ...init.headers },
      body,
    });
  return { log, post, townKey, countyKey, readKey, unscopedKey };
}

const id = (n: number) => `0190d8a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
const screening = (n: number, region = xinyan) => ({
  id: id(n),
  type: 'screening',
  occurredAt: '2020-02-13T08:00:00+08:00',
  region,
  data: { vehicles: 3, people: 5 },
});

describe('POST /v1/events on an in-memory log', () => {
  it('appends each valid event as an envelope keyed by its id, and a void keyed by its target', async () => {
    const { log, post } = await tinyApp();
    const voiding = {
      id: id(9),
      type: 'void',
      occurredAt: '2020-02-13T09:00:00+08:00',
      region: xinyan,
      data: { target: id(1), reason: '录入错误' },
    };
    const res = await post(JSON.stringify([screening(1), voiding]));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 0, rejected: 0, errors: [] });
    expect(log.records.map((r) => r.key)).toEqual([id(1), id(1)]);
    // The envelope carries the sending key's region: the consumer judges a void whose target comes later by it.
    expect(JSON.parse(log.records[0]!.value.toString('utf8'))).toEqual({ v: 1, receivedAt, scope: county, event: screening(1) });
    expect(JSON.parse(log.records[1]!.value.toString('utf8')).event).toEqual(voiding);
  });

  it('writes no scope for an unscoped key (it may void anywhere)', async () => {
    const { log, post, unscopedKey } = await tinyApp();
    expect((await post(JSON.stringify([screening(1)]), { key: unscopedKey })).status).toBe(200);
    expect(JSON.parse(log.records[0]!.value.toString('utf8'))).toEqual({ v: 1, receivedAt, event: screening(1) });
  });

  it('takes the rest of a batch when one event is bad, naming its index and field', async () => {
    const { log, post } = await tinyApp();
    const res = await post(
      JSON.stringify({ events: [screening(1), { ...screening(2), data: { vehicles: -1, people: 5 } }, screening(3, '419999')] }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: 2,
      errors: [
        { index: 1, id: id(2), errors: [{ path: 'data.vehicles', message: expect.any(String) }] },
        {
          index: 2,
          id: id(3),
          errors: [{ path: 'region', message: '419999 is not in the region registry (an admin can add it: POST /v1/regions)' }],
        },
      ],
    });
    expect(log.records).toHaveLength(1);
  });

  it("refuses, per event, a region outside the key's subtree", async () => {
    const { log, post, townKey } = await tinyApp();
    const res = await post(JSON.stringify([screening(1, xinjianlu), screening(2, xinyan)]), { key: townKey });
    expect(await res.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: 1,
      errors: [{ index: 0, id: id(1), errors: [{ path: 'region', message: `${xinjianlu} is outside this key's region ${xinyan}` }] }],
    });
    expect(log.records.map((r) => r.key)).toEqual([id(2)]);
  });

  it('writes an id once: repeated in the request, and sent again', async () => {
    const { log, post } = await tinyApp();
    expect(await (await post(JSON.stringify([screening(1), screening(1)]))).json()).toEqual({
      accepted: 1,
      duplicates: 1,
      rejected: 0,
      errors: [],
    });
    expect(await (await post(JSON.stringify([screening(1), screening(2)]))).json()).toEqual({
      accepted: 1,
      duplicates: 1,
      rejected: 0,
      errors: [],
    });
    expect(log.records.map((r) => r.key)).toEqual([id(1), id(2)]);
  });

  it('writes nothing on dryRun=true and refuses any other dryRun before reading the body', async () => {
    const { log, post } = await tinyApp();
    const dry = await post(JSON.stringify([screening(1)]), { query: '?dryRun=true' });
    expect(await dry.json()).toEqual({ accepted: 1, duplicates: 0, rejected: 0, errors: [], dryRun: true });
    const misspelt = await post(JSON.stringify([screening(1)]), { query: '?dryRun=yes' });
    expect(misspelt.status).toBe(400);
    expect(misspelt.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await misspelt.json()).toMatchObject({ type: '/problems/validation', status: 400, errors: [{ path: 'dryRun' }] });
    expect(log.records).toEqual([]);
    // The dry run reserved nothing: the same id is accepted for real afterwards.
    expect(await (await post(JSON.stringify([screening(1)]))).json()).toMatchObject({ accepted: 1, duplicates: 0 });
  });

  it('answers 503 with Retry-After 5 while the log is down, and takes the same events once it is back', async () => {
    const { log, post } = await tinyApp();
    log.unavailable(true);
    const down = await post(JSON.stringify([screening(1)]));
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(await down.json()).toEqual({
      type: '/problems/unavailable',
      title: 'Temporarily unavailable',
      status: 503,
      detail:
        'The event log cannot take writes right now (the in-memory log is set unavailable); nothing of this request was written. Retry later.',
    });
    log.unavailable(false);
    expect(await (await post(JSON.stringify([screening(1)]))).json()).toEqual({ accepted: 1, duplicates: 0, rejected: 0, errors: [] });
    expect(log.records).toHaveLength(1);
  });

  it('reads NDJSON line by line: a bad line is rejected on its own, blank lines are skipped', async () => {
    const { log, post } = await tinyApp();
    const body = `${JSON.stringify(screening(1))}\n{not json\n\n${JSON.stringify(screening(2))}\n`;
    const res = await post(body, { type: 'application/x-ndjson' });
    expect(await res.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: 1,
      errors: [{ index: 1, id: null, errors: [{ path: '(line)', message: expect.stringMatching(/^line is not valid JSON: /) }] }],
    });
    expect(log.records.map((r) => r.key)).toEqual([id(1), id(2)]);
  });

  it('refuses a whole body that is not JSON, not UTF-8, or not a list of events with 400', async () => {
    const { post } = await tinyApp();
    const cases: [string | Uint8Array, string, string][] = [
      ['{"events": [', '(body)', 'is not valid JSON'],
      [Uint8Array.from([0x5b, 0xff, 0x5d]), '(body)', 'is not valid UTF-8'],
      ['{"event": []}', 'events', 'must be an array of events'],
      ['42', '(body)', 'must be an array of events'],
    ];
    for (const [body, path, message] of cases) {
      const res = await post(body as string);
      expect(res.status, String(body)).toBe(400);
      expect(((await res.json()) as Problem).errors).toEqual([{ path, message }]);
    }
  });

  it('answers 415 to a content type it does not read, 413 past 5 MiB (judged on Content-Length), 401 and 403 by key', async () => {
    const { post, readKey } = await tinyApp();
    const text = await post('a,b', { type: 'text/csv' });
    expect(text.status).toBe(415);
    expect(((await text.json()) as Problem).detail).toBe('Send application/json or application/x-ndjson, not text/csv');
    const big = await post(' '.repeat(maxBodyBytes + 1));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({
      type: '/problems/payload_too_large',
      detail: `The body is larger than ${maxBodyBytes} bytes (5 MiB). Split it.`,
    });
    expect((await post('[]', { key: 'ck_unknown' })).status).toBe(401);
    expect((await post('[]', { key: readKey })).status).toBe(403);
  });

  it('takes what the void-scope check refuses out of the write, with its errors in index order', async () => {
    const { log, post } = await tinyApp({
      voidScope: async (valid) => ({
        valid: valid.filter(({ index }) => index !== 0),
        errors: [{ index: 0, id: id(1), errors: [{ path: 'data.target', message: 'outside' }] }],
      }),
    });
    const res = await post(JSON.stringify([screening(1), { ...screening(2), region: '419999' }, screening(3)]));
    expect(((await res.json()) as ImportSummary).errors.map((e) => e.index)).toEqual([0, 1]);
    expect(log.records.map((r) => r.key)).toEqual([id(3)]);
  });
});
