import type { ClickHouse } from '@cordon/clickhouse';
import type { LogEnvelope } from '@cordon/schemas';
import type { LogRecord } from '../log/event-log.ts';
import { eventRow, retractionRow, type EventRow } from './rows.ts';
import { fromClickHouseTime } from '@cordon/clickhouse';
import { storedVoidsFor, type StoredVoid } from './stored-voids.ts';
import { storedIds } from '../stored-ids.ts';

export interface DecodedRecord {
  record: LogRecord;
  envelope: LogEnvelope;
}

export interface BatchPlan {
  rows: EventRow[];
  /** Events counted for the first time by this batch. */
  fresh: number;
  /** Events already counted (redeliveries, client retries) or repeated within the batch. */
  duplicates: number;
  /** Voids that took an event back in this batch (either side may be the new one). */
  retractions: number;
}

/**
 * Decides what a batch adds, from what ClickHouse already holds. This is what
 * makes an at-least-once log count exactly once:
 * - an id already in `events` (sign +1) is a duplicate, whether it comes from
 *   a client retry, a Kafka redelivery, or a batch replayed after a crash
 *   between the insert and the offset commit;
 * - a void retracts its target once, whichever of the two arrives first (a
 *   void stored earlier is found in the void index); a target already
 *   retracted is never retracted again.
 * Only one consumer step runs at a time per partition, and a void is keyed by
 * its target, so a void and its target never race in two partitions.
 */
export async function planBatch(batch: readonly DecodedRecord[], ch: ClickHouse, dayOf: (instant: string) => string): Promise<BatchPlan> {
  const firsts = new Map<string, DecodedRecord>();
  for (const item of batch) if (!firsts.has(item.envelope.event.id)) firsts.set(item.envelope.event.id, item);

  // Rows are built while a ClickHouse server answers which ids it already
  // counted (chDB answers on this thread, so there it is merely harmless).
  const counting = storedIds(ch, [...firsts.keys()], 1);
  const candidates = [...firsts.values()].map((item) => ({
    item,
    row: eventRow(item.envelope.event, { receivedAt: item.envelope.receivedAt, partition: item.record.partition, offset: item.record.offset, dayOf }),
  }));
  const counted = await counting;
  const kept = candidates.filter(({ item }) => !counted.has(item.envelope.event.id));
  const fresh = kept.map(({ item }) => item);
  const rows = kept.map(({ row }) => row);
  const rowById = new Map(rows.map((row) => [row.id, row]));

  // Every (target, void) pair this batch makes decidable.
  const newVoids: StoredVoid[] = [];
  for (const { envelope } of fresh) {
    const e = envelope.event;
    if (e.type === 'void') newVoids.push({ target: e.data.target, voidId: e.id, voidReceivedAt: envelope.receivedAt });
  }
  const freshTargets = fresh.filter(({ envelope }) => envelope.event.type !== 'void').map(({ envelope }) => envelope.event.id);
  const pairs = [...newVoids, ...(await storedVoidsFor(ch, freshTargets))];
  const summary = { fresh: fresh.length, duplicates: batch.length - fresh.length };
  if (pairs.length === 0) return { rows, ...summary, retractions: 0 };

  const targetIds = [...new Set(pairs.map((p) => p.target))];
  const retracted = await storedIds(ch, targetIds, -1);
  const storedTargets = await storedRows(ch, targetIds.filter((id) => !rowById.has(id)));
  let retractions = 0;
  for (const pair of pairs) {
    if (retracted.has(pair.target)) continue;
    const target = rowById.get(pair.target) ?? storedTargets.get(pair.target);
    // Target not seen yet: the void waits in `voids` until it arrives. A void of a void takes nothing back.
    if (!target || target.type === 'void') continue;
    const takesEffectAt = laterOf(pair.voidReceivedAt, fromClickHouseTime(target.received_at));
    rows.push(retractionRow(target, pair.voidId, takesEffectAt));
    retracted.add(pair.target);
    retractions++;
  }
  return { rows, ...summary, retractions };
}

async function storedRows(ch: ClickHouse, ids: string[]): Promise<Map<string, EventRow>> {
  if (ids.length === 0) return new Map();
  const result = await ch.client.query({
    query: `SELECT id, sign, type, occurred_at, day, region, site, source, received_at, void_id, data,
                   contributions.metric, contributions.dim, contributions.value, log_partition, toString(log_offset) AS log_offset
            FROM ${ch.database}.events WHERE id IN {ids:Array(UUID)} AND sign = 1`,
    query_params: { ids },
    format: 'JSONEachRow',
  });
  return new Map((await result.json<EventRow>()).map((row) => [row.id, row]));
}

function laterOf(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
