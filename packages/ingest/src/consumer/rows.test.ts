/** The rows the consumer inserts, built from an event alone: no ClickHouse needed. */
import { describe, expect, it } from 'vitest';
import { createDayOf, eventSchema, type CordonEvent } from '@cordon/schemas';
import { eventRow, retractionRow } from './rows.ts';
import { deduplicationToken } from './write.ts';

const dayOf = createDayOf('Asia/Shanghai');
const event = (input: unknown): CordonEvent => eventSchema.parse(input) as CordonEvent;
// 2020-02-12 23:30 UTC is 2月13日 07:30 in Shanghai: the day is the zone's, not UTC's.
const screening = event({
  id: '0190d8a0-0000-7000-8000-000000000001',
  type: 'screening',
  occurredAt: '2020-02-12T23:30:00Z',
  region: '410184003',
  site: 'cp-1',
  data: { vehicles: 3, people: 5 },
});
const ctx = { receivedAt: '2020-02-13T01:02:03.456Z', partition: 2, offset: 41n, dayOf };

describe('eventRow', () => {
  it('is the event with its day in the zone, its region padded to 12 digits and one contribution per non-zero metric', () => {
    expect(eventRow(screening, ctx)).toMatchObject({
      id: '0190d8a0-0000-7000-8000-000000000001',
      sign: 1,
      type: 'screening',
      occurred_at: '2020-02-12 23:30:00.000',
      day: '2020-02-13',
      region: '410184003000',
      site: 'cp-1',
      source: '',
      received_at: '2020-02-13 01:02:03.456',
      void_id: null,
      data: '{"vehicles":3,"people":5}',
      'contributions.metric': ['vehicles_screened', 'people_screened'],
      'contributions.dim': ['', ''],
      'contributions.value': [3, 5],
      log_partition: 2,
      log_offset: '41',
    });
  });

  it('keeps a dimension beside its metric (a site registered counts under its kind)', () => {
    const site = event({
      id: '0190d8a0-0000-7000-8000-000000000002',
      type: 'site.registered',
      occurredAt: '2020-01-25T08:00:00+08:00',
      region: '410184',
      site: 'cp-9',
      data: { kind: 'road_checkpoint', name: '卡点9' },
    });
    const row = eventRow(site, ctx);
    expect([row['contributions.metric'], row['contributions.dim'], row['contributions.value'], row.region]).toEqual([
      ['sites_active'],
      ['road_checkpoint'],
      [1],
      '410184000000',
    ]);
  });
});

describe('retractionRow', () => {
  it('is the target with sign -1, the void named, and the moment the void took effect', () => {
    const target = eventRow(screening, ctx);
    const retraction = retractionRow(target, '0190d8a0-0000-7000-8000-000000000009', '2020-02-14T00:00:00.000Z');
    expect(retraction).toEqual({
      ...target,
      sign: -1,
      void_id: '0190d8a0-0000-7000-8000-000000000009',
      received_at: '2020-02-14 00:00:00.000',
    });
  });
});

describe('deduplicationToken', () => {
  it('depends on the ids and signs of the rows only, in order', () => {
    const row = eventRow(screening, ctx);
    const again = eventRow(screening, { ...ctx, receivedAt: '2021-01-01T00:00:00Z', offset: 99n });
    const retraction = retractionRow(row, '0190d8a0-0000-7000-8000-000000000009', ctx.receivedAt);
    // A retried insert of the same rows carries the same token, so ClickHouse drops the repeat.
    expect(deduplicationToken([row])).toBe(deduplicationToken([again]));
    expect(deduplicationToken([row])).toMatch(/^[0-9a-f]{64}$/);
    expect(deduplicationToken([row, retraction])).not.toBe(deduplicationToken([row]));
    expect(deduplicationToken([row, retraction])).not.toBe(deduplicationToken([retraction, row]));
  });
});
