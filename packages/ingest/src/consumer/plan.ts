import type { ClickHouse } from '@cordon/clickhouse';
import type { CordonEvent, LogEnvelope } from '@cordon/schemas';
import { decodeRecord } from '../log/envelope.ts';
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
 * What a block keeps of a decoded record until it is inserted: what the
 * plan reads, and the row's TabSeparated line. Not the decoded event or its
 * row: a block is alive for the whole of the insert before it, and holding
 * every event's object tree that long is what the garbage collector paid
 * for most (bench:ingest's profile). A row the plan does need (the target
 * of a void in the same block) is built again from the record.
 */
export interface BlockItem {
  record: LogRecord;
  id: string;
  type: CordonEvent['type'];
  receivedAt: string;
  /** The sending key's region; '' for an unscoped key. */
  scope: string;
  /** A void's target. */
  voidTarget: string | undefined;
  line: string;
}

/** A block of decoded records, each first occurrence with its line built: pure work, done before the plan (rollup-step.ts). */
export interface PreparedBlock {
  /** Records in the block, repeats included. */
  records: number;
  /** The first record of each event id, in log order. */
  firsts: Map<string, BlockItem>;
  /** Builds an item's row again (from its record, which decoded once already). */
  rowOf: (item: BlockItem) => EventRow;
}

/** A row as the insert sends it: its line, and what its deduplication token is made of. */
export interface PlannedLine {
  id: string;
  sign: 1 | -1;
  line: string;
}

/**
 * Builds a block one decoded record at a time, each first occurrence's line
 * made as it comes (repeats within the block are duplicates), so a decoded
 * event lives only until its line is made.
 */
export function createBlockBuilder(dayOf: (instant: string) => string): {
  add(decoded: DecodedRecord): void;
  finish(): PreparedBlock;
} {
  const rowOfDecoded = ({ record, envelope }: DecodedRecord): EventRow =>
    eventRow(envelope.event, {
      receivedAt: envelope.receivedAt,
      scope: envelope.scope,
      partition: record.partition,
      offset: record.offset,
      dayOf,
    });
  const rowOf = (item: BlockItem): EventRow => {
    const again = decodeRecord(item.record);
    if (!again.ok) throw new Error(`record ${item.record.partition}:${item.record.offset} decoded once and not again: ${again.reason}`);
    return rowOfDecoded(again);
  };
  const firsts = new Map<string, BlockItem>();
  let records = 0;
  return {
    add(decoded) {
      records++;
      const { event, receivedAt, scope } = decoded.envelope;
      if (firsts.has(event.id)) return;
      firsts.set(event.id, {
        record: decoded.record,
        id: event.id,
        type: event.type,
        receivedAt,
        scope: scope ?? '',
        voidTarget: event.type === 'void' ? event.data.target : undefined,
        line: tsvLine(rowOfDecoded(decoded)),
      });
    },
    finish: () => ({ records, firsts, rowOf }),
  };
}

export interface BatchPlan {
  /** The rows to insert, as TabSeparated lines. */
  lines: PlannedLine[];
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
  const { firsts } = block;
  const items = [...firsts.values()];
  const batchTargets = items.filter((item) => item.type !== 'void').map((item) => item.id);
  // Neither look-up needs the other's answer: a server answers both at once,
  // and chDB queues the second behind the first without a turn in between.
  const [counted, storedVoids] = await Promise.all([storedIds(ch, [...firsts.keys()], 1), storedVoidsFor(ch, batchTargets)]);
  const kept = new Map<string, BlockItem>();
  for (const item of items) if (!counted.has(item.id)) kept.set(item.id, item);
  const lines: PlannedLine[] = [];
  for (const item of kept.values()) lines.push({ id: item.id, sign: 1, line: item.line });

  // Every (target, void) pair this batch makes decidable, each void once.
  const batchVoids: StoredVoid[] = [];
  for (const item of items) {
    if (item.voidTarget !== undefined)
      batchVoids.push({ target: item.voidTarget, voidId: item.id, voidReceivedAt: item.receivedAt, scope: item.scope });
  }
  const inBatch = new Set(batchVoids.map((v) => v.voidId));
  const pairs = [...batchVoids, ...storedVoids.filter((v) => !inBatch.has(v.voidId))];
  const summary = { fresh: kept.size, duplicates: block.records - kept.size };
  if (pairs.length === 0) return { lines, ...summary, retractions: 0, refusedVoids: [] };

  const targetIds = [...new Set(pairs.map((p) => p.target))];
  const retracted = await storedIds(ch, targetIds, -1);
  const storedTargets = await storedRows(
    ch,
    targetIds.filter((id) => !kept.has(id)),
  );
  let retractions = 0;
  const refused: { pair: StoredVoid; target: EventRow }[] = [];
  const builtRows = new Map<string, EventRow>();
  const targetRow = (id: string): EventRow | undefined => {
    const item = kept.get(id);
    if (!item) return storedTargets.get(id);
    let row = builtRows.get(id);
    if (!row) builtRows.set(id, (row = block.rowOf(item)));
    return row;
  };
  for (const pair of pairs) {
    const target = targetRow(pair.target);
    // Target not seen yet: the void waits in `voids` until it arrives. A void of a void takes nothing back.
    if (!target || target.type === 'void') continue;
    if (!voidAppliesTo(pair.scope, target)) {
      refused.push({ pair, target });
      continue;
    }
    if (retracted.has(pair.target)) continue;
    const takesEffectAt = laterOf(pair.voidReceivedAt, fromClickHouseTime(target.received_at));
    const retraction = retractionRow(target, pair.voidId, takesEffectAt);
    lines.push({ id: retraction.id, sign: -1, line: tsvLine(retraction) });
    retracted.add(pair.target);
    retractions++;
  }
  return { lines, ...summary, retractions, refusedVoids: await refusedVoidRecords(ch, refused, firsts) };
}

/** The log records of refused voids: the batch's own, or made again from the stored row of a void counted earlier. */
async function refusedVoidRecords(
  ch: ClickHouse,
  refused: readonly { pair: StoredVoid; target: EventRow }[],
  inBatch: ReadonlyMap<string, BlockItem>,
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
