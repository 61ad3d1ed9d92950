import { describe, expect, it } from 'vitest';
import type { CordonEventInput } from '@cordon/schemas';
import { rebuildRollups, verifyRollups } from '../src/consumer/rollups.ts';
import { writeRows } from '../src/consumer/write.ts';
import { eventRow } from '../src/consumer/rows.ts';
import type { LogBatch } from '../src/log/event-log.ts';
import { testEvent, useRollupStep } from './rollup-step-harness.ts';
import { createDayOf, eventSchema } from '@cordon/schemas';

/**
 * Exactly-once at the ClickHouse step: what a batch adds is decided against
 * what ClickHouse already holds, so redeliveries, replays after a crash and
 * client retries count once, and voids take back exactly what they target.
 */
const rollup = useRollupStep();

const ev = testEvent;

const batch = (events: CordonEventInput[], receivedAt?: string): LogBatch =>
  rollup.batch(
    events.map((event) => ({ event })),
    receivedAt,
  );

async function totals(): Promise<Record<string, number>> {
  const result = await rollup.ch.client.query({
    query: `SELECT metric, sum(value) AS v FROM ${rollup.ch.database}.metric_daily GROUP BY metric HAVING v != 0 ORDER BY metric`,
    format: 'JSONEachRow',
  });
  return Object.fromEntries((await result.json<{ metric: string; v: number }>()).map((r) => [r.metric, Number(r.v)]));
}

async function dailyOf(metric: string): Promise<Record<string, number>> {
  const result = await rollup.ch.client.query({
    query: `SELECT toString(day) AS day, sum(value) AS v FROM ${rollup.ch.database}.metric_daily WHERE metric = {metric:String} GROUP BY day HAVING v != 0 ORDER BY day`,
    query_params: { metric },
    format: 'JSONEachRow',
  });
  return Object.fromEntries((await result.json<{ day: string; v: number }>()).map((r) => [r.day, Number(r.v)]));
}

const screening = (vehicles: number, people: number, extra: Partial<CordonEventInput> = {}) => ev('screening', { vehicles, people }, extra);

describe('duplicates count once', () => {
  it('in one batch, in two batches, and a day later', async () => {
    const a = screening(3, 5);
    expect(await rollup.step(batch([a, a]))).toMatchObject({ counted: 1, duplicates: 1 });
    expect(await rollup.step(batch([a]))).toMatchObject({ counted: 0, duplicates: 1 });
    expect(await rollup.step(batch([a], '2020-02-14T09:00:00.000Z'))).toMatchObject({ counted: 0, duplicates: 1 });
    expect(await totals()).toEqual({ people_screened: 5, vehicles_screened: 3 });
  });

  it('a batch replayed after a crash between the insert and the offset commit adds nothing', async () => {
    const b = batch([screening(1, 2), screening(10, 20), ev('fever', { people: 2, disposition: 'isolated' })]);
    await rollup.step(b);
    expect(await rollup.step(b)).toMatchObject({ counted: 0, duplicates: 3 });
    // ...also when the replayed batch is longer than the first delivery.
    const longer: LogBatch = { partition: 0, records: [...b.records, ...batch([screening(100, 200)]).records] };
    expect(await rollup.step(longer)).toMatchObject({ counted: 1, duplicates: 3 });
    expect(await totals()).toEqual({ fever_cases: 2, people_screened: 222, vehicles_screened: 111 });
  });

  it('an insert retried with the same rows is dropped from the events AND from the roll-ups its view feeds', async () => {
    // The trap: a view fires on every inserted block, even one the source table
    // then drops as a repeat. The deduplication window on the view's target
    // table makes ClickHouse drop it there too.
    const dayOf = createDayOf('Asia/Shanghai');
    const events = [screening(7, 9), screening(1, 1)].map((e) => eventSchema.parse(e));
    const rows = events.map((e, i) => eventRow(e, { receivedAt: '2020-02-13T09:00:00.000Z', partition: 0, offset: BigInt(i), dayOf }));
    await writeRows(rollup.ch, rows);
    await writeRows(rollup.ch, rows);
    await writeRows(rollup.ch, rows);
    expect(await totals()).toEqual({ people_screened: 10, vehicles_screened: 8 });
    const count = await rollup.ch.client.query({ query: `SELECT count() AS n FROM ${rollup.ch.database}.events`, format: 'JSONEachRow' });
    expect((await count.json<{ n: string | number }>()).map((r) => Number(r.n))).toEqual([2]);
  });
});

describe('a batch of the default size (20,000 events: its look-ups go to ClickHouse in pieces of 5,000 ids)', () => {
  it('counts each event once, takes back what its voids aim at across the pieces, and a replay adds nothing', async () => {
    const events = Array.from({ length: 12_000 }, () => screening(1, 2));
    // Voids of targets in the first, the second and the third piece of 5,000, sent in the same batch.
    const voided = [events[10]!, events[6_000]!, events[11_999]!];
    const voids = voided.map((target) => ev('void', { target: target.id, reason: 'entered twice' }));
    const whole = batch([...events, ...voids]);
    expect(await rollup.step(whole)).toMatchObject({ counted: 12_003, duplicates: 0, retractions: 3 });
    expect(await totals()).toEqual({ people_screened: 2 * 11_997, vehicles_screened: 11_997 });
    expect(await rollup.step(whole)).toMatchObject({ counted: 0, duplicates: 12_003, retractions: 0 });
    expect(await totals()).toEqual({ people_screened: 2 * 11_997, vehicles_screened: 11_997 });
  });
});

describe('void', () => {
  it('takes back everything its target added, once', async () => {
    const target = ev('turnback', { vehicles: 4, people: 9, reason: 'no pass' });
    const kept = ev('turnback', { vehicles: 1, people: 1 });
    await rollup.step(batch([target, kept]));
    const v = ev('void', { target: target.id, reason: 'entered twice' });
    expect(await rollup.step(batch([v]))).toMatchObject({ counted: 1, retractions: 1 });
    // A second void of the same target, and the first void again, take nothing more.
    expect(await rollup.step(batch([ev('void', { target: target.id, reason: 'again' }), v]))).toMatchObject({ retractions: 0 });
    expect(await totals()).toEqual({ people_turned_back: 1, vehicles_turned_back: 1 });
  });

  it('sent before its target still works once the target arrives, and the target never counts', async () => {
    const target = ev('fever', { people: 3, disposition: 'referred' });
    await rollup.step(batch([ev('void', { target: target.id, reason: 'wrong site' })]));
    expect(await totals()).toEqual({});
    expect(await rollup.step(batch([target]))).toMatchObject({ counted: 1, retractions: 1 });
    expect(await rollup.step(batch([target]))).toMatchObject({ counted: 0, retractions: 0 });
    expect(await totals()).toEqual({});
  });

  it('in the same batch as its target, in either order', async () => {
    const t1 = ev('screening', { vehicles: 2, people: 2 });
    const t2 = ev('screening', { vehicles: 5, people: 5 });
    await rollup.step(
      batch([t1, ev('void', { target: t1.id, reason: 'x' }), ev('void', { target: t2.id, reason: 'y' }), t2, screening(1, 1)]),
    );
    expect(await totals()).toEqual({ people_screened: 1, vehicles_screened: 1 });
  });

  it('of a void takes nothing back', async () => {
    const target = screening(6, 6);
    const v1 = ev('void', { target: target.id, reason: 'x' });
    await rollup.step(batch([target, v1]));
    await rollup.step(batch([ev('void', { target: v1.id, reason: 'undo?' })]));
    expect(await totals()).toEqual({});
  });

  it('of a site takes it out of sites_active and of a quarantine out of quarantine_active', async () => {
    const site = ev('site.registered', { name: '岗李村卡点', kind: 'road_checkpoint' }, { site: 'xz-cp-9' });
    const q = ev('quarantine.started', { subject: 'q-1', reason: 'returnee_hubei' });
    await rollup.step(batch([site, q, ev('quarantine.started', { subject: 'q-2', reason: 'close_contact' })]));
    expect(await totals()).toEqual({ quarantine_active: 2, quarantine_started: 2, sites_active: 1 });
    await rollup.step(batch([ev('void', { target: site.id, reason: 'duplicate site' }), ev('void', { target: q.id, reason: 'x' })]));
    expect(await totals()).toEqual({ quarantine_active: 1, quarantine_started: 1 });
  });
});

describe('days', () => {
  it('a late event counts on the day it occurred, in CORDON_TZ', async () => {
    await rollup.step(
      batch(
        [screening(1, 1, { occurredAt: '2020-02-13T23:30:00+08:00' }), screening(2, 2, { occurredAt: '2020-02-13T16:30:00Z' })],
        '2020-02-20T00:00:00.000Z',
      ),
    );
    expect(await dailyOf('people_screened')).toEqual({ '2020-02-13': 1, '2020-02-14': 2 });
  });
});

describe('roll-up check', () => {
  it('finds roll-ups that disagree with the raw events and rebuilds them exactly', async () => {
    const target = screening(3, 4);
    await rollup.step(batch([target, screening(1, 1), ev('void', { target: target.id, reason: 'x' })]));
    expect(await verifyRollups(rollup.ch)).toMatchObject({ ok: true, contributions: { raw: 2, rolledUp: 2 } });
    // What a process killed between the source part and the view's part would leave.
    await rollup.ch.client.command({
      query: `INSERT INTO ${rollup.ch.database}.metric_daily VALUES ('people_screened', '410184001000', 's', '', '2020-02-13', 50, 1)`,
    });
    await rollup.ch.client.command({ query: `TRUNCATE TABLE ${rollup.ch.database}.voids` });
    expect((await verifyRollups(rollup.ch)).ok).toBe(false);
    await rebuildRollups(rollup.ch);
    expect(await verifyRollups(rollup.ch)).toMatchObject({ ok: true, voids: { raw: 1, indexed: 1 } });
    expect(await totals()).toEqual({ people_screened: 1, vehicles_screened: 1 });
  });

  it('finds event indexes missing rows of the raw events (a crash between the parts) and makes them again', async () => {
    const target = screening(3, 4);
    await rollup.step(batch([target, screening(1, 1), ev('void', { target: target.id, reason: 'x' })]));
    const before = await verifyRollups(rollup.ch);
    expect(before.indexes['event_days']).toEqual({ raw: 4, indexed: 4 });
    expect(before.ok).toBe(true);
    await rollup.ch.client.command({ query: `TRUNCATE TABLE ${rollup.ch.database}.event_days` });
    const broken = await verifyRollups(rollup.ch);
    expect(broken.ok).toBe(false);
    expect(broken.indexes['event_days']).toEqual({ raw: before.indexes['event_days']!.raw, indexed: 0 });
    await rebuildRollups(rollup.ch);
    expect(await verifyRollups(rollup.ch)).toEqual(before);
  });
});

describe('poison records', () => {
  it('are handed back as undecodable, and the good records of the batch still count', async () => {
    const good = batch([screening(2, 3)]);
    const poison = [
      { partition: 0, offset: rollup.nextOffset(), key: 'x', value: Buffer.from('not json') },
      {
        partition: 0,
        offset: rollup.nextOffset(),
        key: 'y',
        value: Buffer.from(JSON.stringify({ v: 1, receivedAt: 'x', event: { type: 'nope' } })),
      },
    ];
    const result = await rollup.step({ partition: 0, records: [...poison, ...good.records] });
    expect(result.counted).toBe(1);
    expect(result.undecodable.map((u) => u.reason.split(':')[0])).toEqual(['not JSON', 'not a valid event envelope']);
    expect(await totals()).toEqual({ people_screened: 3, vehicles_screened: 2 });
  });
});
