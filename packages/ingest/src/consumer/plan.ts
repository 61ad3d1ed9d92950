import type { ClickHouse } from '@cordon/clickhouse';
import type { LogEnvelope } from '@cordon/schemas';
import type { LogRecord } from '../log/event-log.ts';
import { eventRow, retractionRow, type EventRow } from './rows.ts';
import { fromClickHouseTime } from '@cordon/clickhouse';
import { storedVoidsFor, type StoredVoid } from './stored-voids.ts';
import { storedIds } from '../stored-ids.ts';
import { inIdChunks } from '../id-chunks.ts';
import { recordOfStoredVoid, refusalReason, voidAppliesTo } from './void-scope.ts';
import { tsvLine } from './tsv.ts';

export interface DecodedRecord {
  record: LogRecord;
  envelope: LogEnvelope;
}

/**
 * A block of decoded records with each first occurrence's row and its
 * TabSeparated line already built: pure work, done before the plan (and,
 * for the next block, while this one is inserted: rollup-step.ts).
 */
export interface PreparedBlock {
  /** Records in the block, repeats included. */
  records: number;
  /** The first record of each event id, in log order. */
  firsts: Map<string, DecodedRecord>;
  candidates: { item: DecodedRecord; row: EventRow; line: string }[];
}

/** Builds the rows of a block's first occurrences (repeats within the block are duplicates). */
export function prepareBlock(decoded: readonly DecodedRecord[], dayOf: (instant: string) => string): PreparedBlock {
  const firsts = new Map<string, DecodedRecord>();
  for (const item of decoded) if (!firsts.has(item.envelope.event.id)) firsts.set(item.envelope.event.id, item);
  const candidates = [...firsts.values()].map((item) => {
    const row = eventRow(item.envelope.event, {
      receivedAt: item.envelope.receivedAt,
      scope: item.envelope.scope,
      partition: item.record.partition,
      offset: item.record.offset,
      dayOf,
    });
    return { item, row, line: tsvLine(row) };
  });
  return { records: decoded.length, firsts, candidates };
}

export interface BatchPlan {
  rows: EventRow[];
  /** `rows` as TabSeparated lines, in the same order (what writeRows sends). */
  lines: string[];
  /** Events counted for the first time by this batch. */
  fresh: number;
  /** Events already counted (redeliveries, client retries) or repeated within the batch. */
  duplicates: number;
  /** Voids that took an event back in this batch (either side may be the new one). */
  retractions: number;
  /** Voids whose target lies outside their key's scope, with why: the caller dead-letters them. */
  refusedVoids: { record: LogRecord; reason: string }[];
}

/**
 * Decides what a batch adds, from what ClickHouse already holds. This is what
 * makes an at-least-once log count exactly once:
 * - an id already in `events` (sign +1) is a duplicate, whether it comes from
 *   a client retry, a Kafka redelivery, or a batch replayed after a crash
 *   between the insert and the offset commit;
 * - a void retracts its target once, whichever of the two arrives first (a
 *   void stored earlier is found in the void index); a target already
 *   retracted is never retracted again;
 * - a void whose target lies outside its key's scope retracts nothing and is
 *   handed back to be dead-lettered (void-scope.ts), whichever arrives first.
 * Only one consumer step runs at a time per partition, and a void is keyed by
 * its target, so a void and its target never race in two partitions.
 *
 * Pairs are looked for among the duplicates too: retracting is guarded by
 * what is already retracted, and a refusal found again on a replay (a crash
 * after the insert, before the dead letter was written) is dead-lettered
 * again, so it may be written twice but never lost.
 */
export async function planBatch(block: PreparedBlock, ch: ClickHouse): Promise<BatchPlan> {
  const { firsts, candidates } = block;
  const batchTargets = [...firsts.values()]
    .filter(({ envelope }) => envelope.event.type !== 'void')
    .map(({ envelope }) => envelope.event.id);
  // Neither look-up needs the other's answer: a server answers both at once,
  // and chDB queues the second behind the first without a turn in between.
  const [counted, storedVoids] = await Promise.all([storedIds(ch, [...firsts.keys()], 1), storedVoidsFor(ch, batchTargets)]);
  const kept = candidates.filter(({ item }) => !counted.has(item.envelope.event.id));
  const rows = kept.map(({ row }) => row);
  const lines = kept.map(({ line }) => line);
  const rowById = new Map(rows.map((row) => [row.id, row]));

  // Every (target, void) pair this batch makes decidable, each void once.
  const batchVoids: StoredVoid[] = [];
  for (const { envelope } of firsts.values()) {
    const e = envelope.event;
    if (e.type === 'void')
      batchVoids.push({ target: e.data.target, voidId: e.id, voidReceivedAt: envelope.receivedAt, scope: envelope.scope ?? '' });
  }
  const inBatch = new Set(batchVoids.map((v) => v.voidId));
  const pairs = [...batchVoids, ...storedVoids.filter((v) => !inBatch.has(v.voidId))];
  const summary = { fresh: kept.length, duplicates: block.records - kept.length };
  if (pairs.length === 0) return { rows, lines, ...summary, retractions: 0, refusedVoids: [] };

  const targetIds = [...new Set(pairs.map((p) => p.target))];
  const retracted = await storedIds(ch, targetIds, -1);
  const storedTargets = await storedRows(
    ch,
    targetIds.filter((id) => !rowById.has(id)),
  );
  let retractions = 0;
  const refused: { pair: StoredVoid; target: EventRow }[] = [];
  for (const pair of pairs) {
    const target = rowById.get(pair.target) ?? storedTargets.get(pair.target);
    // Target not seen yet: the void waits in `voids` until it arrives. A void of a void takes nothing back.
    if (!target || target.type === 'void') continue;
    if (!voidAppliesTo(pair.scope, target)) {
      refused.push({ pair, target });
      continue;
    }
    if (retracted.has(pair.target)) continue;
    const takesEffectAt = laterOf(pair.voidReceivedAt, fromClickHouseTime(target.received_at));
    const retraction = retractionRow(target, pair.voidId, takesEffectAt);
    rows.push(retraction);
    lines.push(tsvLine(retraction));
    retracted.add(pair.target);
    retractions++;
  }
  return { rows, lines, ...summary, retractions, refusedVoids: await refusedVoidRecords(ch, refused, firsts) };
}

/** The log records of refused voids: the batch's own, or made again from the stored row of a void counted earlier. */
async function refusedVoidRecords(
  ch: ClickHouse,
  refused: readonly { pair: StoredVoid; target: EventRow }[],
  inBatch: ReadonlyMap<string, DecodedRecord>,
): Promise<BatchPlan['refusedVoids']> {
  if (refused.length === 0) return [];
  const stored = await storedRows(
    ch,
    refused.map(({ pair }) => pair.voidId).filter((id) => !inBatch.has(id)),
  );
  const out: BatchPlan['refusedVoids'] = [];
  for (const { pair, target } of refused) {
    const row = stored.get(pair.voidId);
    const record = inBatch.get(pair.voidId)?.record ?? (row ? recordOfStoredVoid(row) : undefined);
    // The index is made from `events`, so the row is there; were it not, the void is still not applied.
    if (record) out.push({ record, reason: refusalReason(pair.scope, target) });
  }
  return out;
}

async function storedRows(ch: ClickHouse, ids: string[]): Promise<Map<string, EventRow>> {
  const rows = await inIdChunks(ids, async (chunk) => {
    const result = await ch.client.query({
      query: `SELECT id, sign, type, occurred_at, day, region, site, source, received_at, void_id, data,
                     contributions.metric, contributions.dim, contributions.value, log_partition, toString(log_offset) AS log_offset, scope
              FROM ${ch.database}.events WHERE id IN {ids:Array(UUID)} AND sign = 1`,
      query_params: { ids: chunk },
      format: 'JSONEachRow',
    });
    return result.json<EventRow>();
  });
  return new Map(rows.map((row) => [row.id, row]));
}

function laterOf(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
