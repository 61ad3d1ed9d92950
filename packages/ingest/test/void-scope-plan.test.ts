import { describe, expect, it } from 'vitest';
import { migrate } from '@cordon/clickhouse';
import type { CordonEventInput } from '@cordon/schemas';
import { rebuildRollups, verifyRollups } from '../src/consumer/rollups.ts';
import { decodeRecord } from '../src/log/envelope.ts';
import { useRollupStep } from './rollup-step-harness.ts';

/**
 * Issue 7, item 2, at the ClickHouse step: a void is applied only inside the
 * scope its envelope carries, wherever it meets its target (stored first,
 * arriving first, or in the same batch); a refused void is handed back to be
 * dead-lettered, also on a replay; envelopes and rows from before the scope
 * existed keep voiding anywhere.
 */
const rollup = useRollupStep();

const xinyan = '410184003';
const lihe = '410184104';

let seq = 0;
function id() {
  seq++;
  return `0190d8a0-0000-7000-8001-${seq.toString(16).padStart(12, '0')}`;
}

const turnback = (people: number, region = xinyan): CordonEventInput =>
  ({
    id: id(),
    type: 'turnback',
    occurredAt: '2020-02-13T08:00:00+08:00',
    region,
    site: 'xy-cp-1',
    data: { vehicles: 1, people },
  }) as CordonEventInput;
const voidOf = (target: string, region: string): CordonEventInput =>
  ({
    id: id(),
    type: 'void',
    occurredAt: '2020-02-13T10:00:00+08:00',
    region,
    source: 'town-app',
    data: { target, reason: '错报' },
  }) as CordonEventInput;

const batch = rollup.batch;

async function turnedBack(): Promise<number> {
  const result = await rollup.ch.client.query({
    query: `SELECT sum(value) AS v FROM ${rollup.ch.database}.metric_daily WHERE metric = 'people_turned_back'`,
    format: 'JSONEachRow',
  });
  return Number((await result.json<{ v: number }>())[0]?.v ?? 0);
}

const reason = (target: string) =>
  `void outside its key's scope: the target ${target} is an event of region ${xinyan}, outside the sending key's region ${lihe}; not applied`;

describe("a void outside its key's scope", () => {
  it('stored before its target: the target counts, the void is handed back, made again from its row', async () => {
    const target = turnback(1700);
    const early = voidOf(target.id, lihe);
    const voidBatch = batch([{ event: early, scope: lihe }], '2020-02-13T01:00:00.000Z');
    expect(await rollup.step(voidBatch)).toMatchObject({ counted: 1, retractions: 0, refusedVoids: [] });
    const result = await rollup.step(batch([{ event: target, scope: xinyan }]));
    expect(result).toMatchObject({ counted: 1, retractions: 0 });
    expect(await turnedBack()).toBe(1700);
    expect(result.refusedVoids.map((r) => r.reason)).toEqual([reason(target.id)]);
    const [refused] = result.refusedVoids;
    const original = voidBatch.records[0]!;
    expect({ partition: refused!.record.partition, offset: refused!.record.offset, key: refused!.record.key }).toEqual({
      partition: 0,
      offset: original.offset,
      key: target.id,
    });
    // The envelope as the row keeps it: the same void, its time in UTC.
    const decoded = decodeRecord(refused!.record);
    expect(decoded.ok && decoded.envelope).toEqual({
      v: 1,
      receivedAt: '2020-02-13T01:00:00.000Z',
      scope: lihe,
      event: {
        id: early.id,
        type: 'void',
        occurredAt: '2020-02-13T02:00:00.000Z',
        region: lihe,
        source: 'town-app',
        data: { target: target.id, reason: '错报' },
      },
    });

    // A replay (crash after the insert, before the dead letter) hands it back again: twice, never lost.
    expect(await rollup.step(batch([{ event: target, scope: xinyan }]))).toMatchObject({
      counted: 0,
      duplicates: 1,
      retractions: 0,
      refusedVoids: [{ reason: reason(target.id) }],
    });
    expect(await turnedBack()).toBe(1700);
  });

  it("arriving after its target (ingest could not see it counted yet): nothing is taken back, the batch's own record is handed back", async () => {
    const target = turnback(300);
    await rollup.step(batch([{ event: target, scope: xinyan }]));
    const late = batch([{ event: voidOf(target.id, lihe), scope: lihe }]);
    const result = await rollup.step(late);
    expect(result).toMatchObject({ counted: 1, retractions: 0 });
    expect(result.refusedVoids).toEqual([{ record: late.records[0], reason: reason(target.id) }]);
    expect(await turnedBack()).toBe(300);
  });

  it('in the same batch as its target, in either order; an in-scope void of the same target still applies', async () => {
    const t1 = turnback(10);
    const t2 = turnback(20);
    const result = await rollup.step(
      batch([{ event: voidOf(t1.id, lihe), scope: lihe }, { event: t1 }, { event: t2 }, { event: voidOf(t2.id, lihe), scope: lihe }]),
    );
    expect(result).toMatchObject({ counted: 4, retractions: 0 });
    expect(result.refusedVoids.map((r) => r.reason)).toEqual([reason(t1.id), reason(t2.id)]);
    expect(await turnedBack()).toBe(30);
    expect(
      await rollup.step(
        batch([
          { event: voidOf(t1.id, xinyan), scope: xinyan },
          { event: voidOf(t2.id, '410184'), scope: '410184' },
        ]),
      ),
    ).toMatchObject({ retractions: 2, refusedVoids: [] });
    expect(await turnedBack()).toBe(0);
  });

  it('a pending void for an id that never arrives blocks nothing: other events count, in and out of its scope', async () => {
    await rollup.step(batch([{ event: voidOf(id(), lihe), scope: lihe }]));
    expect(await rollup.step(batch([{ event: turnback(5) }, { event: turnback(7, lihe) }]))).toMatchObject({
      counted: 2,
      retractions: 0,
      refusedVoids: [],
    });
    expect(await turnedBack()).toBe(12);
  });
});

describe('without a scope (an unscoped key, or written before scopes existed)', () => {
  it('a void applies anywhere, as before', async () => {
    const target = turnback(40);
    await rollup.step(batch([{ event: voidOf(target.id, lihe) }]));
    expect(await rollup.step(batch([{ event: target }]))).toMatchObject({ retractions: 1, refusedVoids: [] });
    expect(await turnedBack()).toBe(0);
  });

  it('a database made before the scope columns upgrades on migrate: its pending voids keep applying, new scoped ones are judged', async () => {
    const db = rollup.ch.database;
    // The schema as it was: no scope on events or voids, the view without it.
    await rollup.ch.client.command({
      query: `ALTER TABLE ${db}.voids_mv MODIFY QUERY SELECT toUUID(JSONExtractString(data, 'target')) AS target, id AS void_id, received_at FROM ${db}.events WHERE type = 'void' AND sign = 1`,
    });
    await rollup.ch.client.command({ query: `ALTER TABLE ${db}.voids DROP COLUMN scope` });
    await rollup.ch.client.command({ query: `ALTER TABLE ${db}.events DROP COLUMN scope` });
    const oldTarget = turnback(60);
    const oldVoid = voidOf(oldTarget.id, lihe);
    // A pending void as the old consumer wrote it (no scope field).
    await rollup.ch.client.insert({
      table: `${db}.events`,
      values: [
        {
          id: oldVoid.id,
          sign: 1,
          type: 'void',
          occurred_at: '2020-02-13 02:00:00.000',
          day: '2020-02-13',
          region: `${lihe}000`,
          site: '',
          source: '',
          received_at: '2020-02-13 02:00:00.000',
          void_id: null,
          data: JSON.stringify(oldVoid.data),
          'contributions.metric': [],
          'contributions.dim': [],
          'contributions.value': [],
          log_partition: 0,
          log_offset: String(rollup.nextOffset()),
        },
      ],
      format: 'JSONEachRow',
    });
    await migrate(rollup.ch);
    await migrate(rollup.ch); // idempotent: a second start changes nothing

    const newTarget = turnback(80);
    await rollup.step(batch([{ event: voidOf(newTarget.id, lihe), scope: lihe }]));
    const result = await rollup.step(batch([{ event: oldTarget }, { event: newTarget }]));
    expect(result).toMatchObject({ counted: 2, retractions: 1, refusedVoids: [{ reason: reason(newTarget.id) }] });
    expect(await turnedBack()).toBe(80);
    // A rebuild of the index keeps the scopes.
    await rollup.ch.client.command({ query: `TRUNCATE TABLE ${db}.voids` });
    await rebuildRollups(rollup.ch);
    expect(await verifyRollups(rollup.ch)).toMatchObject({ ok: true, voids: { raw: 2, indexed: 2 } });
    const scopes = await rollup.ch.client.query({ query: `SELECT scope FROM ${db}.voids ORDER BY scope`, format: 'JSONEachRow' });
    expect((await scopes.json<{ scope: string }>()).map((r) => r.scope)).toEqual(['', lihe]);
  });
});
