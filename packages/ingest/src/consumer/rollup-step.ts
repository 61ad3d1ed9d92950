import type { ClickHouse } from '@cordon/clickhouse';
import { createDayOf } from '@cordon/schemas';
import type { LogBatch, LogRecord } from '../log/event-log.ts';
import { decodeRecord } from '../log/envelope.ts';
import type { Logger } from '../logger.ts';
import { createBlockBuilder, planBatch, type PreparedBlock } from './plan.ts';
import { writeLines } from './write.ts';
import { describeError, isRowCaused } from './insert-errors.ts';

export interface RollupStepResult {
  counted: number;
  duplicates: number;
  retractions: number;
  /** Records that could not be decoded, with why: the caller dead-letters them. */
  undecodable: { record: LogRecord; reason: string }[];
  /** Voids not applied because their target lies outside the key's scope: the caller dead-letters them too. */
  refusedVoids: { record: LogRecord; reason: string }[];
}

export interface RollupStepOptions {
  clickhouse: ClickHouse;
  timeZone: string;
  /** Records per insert block (default DEFAULT_BLOCK_RECORDS); a batch longer than this goes in as several. */
  blockRecords?: number;
  logger?: Logger;
}

/**
 * Records per insert block. A batch is decoded and its rows built block by
 * block, the next block while the one before is planned and inserted: chDB
 * works on its own threads, so that JavaScript runs beside the engine
 * instead of before it. Smaller blocks overlap more and insert a little
 * slower (bench:ingest: 20k-row blocks at 0.84–1.0× the speed of 100k ones).
 */
export const DEFAULT_BLOCK_RECORDS = 25_000;

/** Records decoded and written as lines between two turns of the event loop, so a finished ClickHouse call (or, in one process with ingest, a request) is taken up promptly. */
const SLICE_RECORDS = 1_000;

/**
 * One batch from the log into ClickHouse: decode, plan against what
 * ClickHouse holds, insert, block after block. Safe to run again on the same
 * batch (the plan is recomputed, the insert is deduplicated): a block that
 * went in before a later one failed is found by the next plan, as in any
 * replay.
 *
 * When ClickHouse refuses a block's insert because of its rows (a parse
 * error, a type mismatch, a constraint), the block is bisected: each half is
 * planned and inserted on its own, down to the single records at fault,
 * which are handed back with the engine's error to be dead-lettered; the
 * rest is counted once.
 */
export function createRollupStep(options: RollupStepOptions) {
  const { clickhouse } = options;
  const dayOf = createDayOf(options.timeZone);
  const blockRecords = options.blockRecords ?? DEFAULT_BLOCK_RECORDS;
  if (!Number.isInteger(blockRecords) || blockRecords < 1) throw new RangeError('blockRecords must be a positive integer');

  async function prepare(records: readonly LogRecord[]): Promise<Prepared> {
    const builder = createBlockBuilder(dayOf);
    const undecodable: RollupStepResult['undecodable'] = [];
    for (let start = 0; start < records.length; start += SLICE_RECORDS) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      for (let i = start; i < Math.min(start + SLICE_RECORDS, records.length); i++) {
        const result = decodeRecord(records[i]!);
        if (result.ok) builder.add(result);
        else undecodable.push({ record: result.record, reason: result.reason });
      }
    }
    return { records, block: builder.finish(), undecodable };
  }

  async function count({ block, undecodable }: Prepared): Promise<RollupStepResult> {
    const plan = await planBatch(block, clickhouse);
    await writeLines(clickhouse, plan.lines);
    return {
      counted: plan.fresh,
      duplicates: plan.duplicates,
      retractions: plan.retractions,
      undecodable,
      refusedVoids: plan.refusedVoids,
    };
  }

  /** Counts a prepared block, bisecting it on a row-caused refusal. */
  async function countOrBisect(prepared: Prepared, partition: number): Promise<RollupStepResult> {
    try {
      return await count(prepared);
    } catch (error) {
      if (!isRowCaused(error)) throw error;
      const { records } = prepared;
      const reason = `ClickHouse refused the row: ${describeError(error)}`;
      if (records.length === 1)
        return { counted: 0, duplicates: 0, retractions: 0, undecodable: [{ record: records[0]!, reason }], refusedVoids: [] };
      options.logger?.warn(
        { partition, firstOffset: String(records[0]!.offset), records: records.length, err: error },
        'ClickHouse refused rows of a batch; bisecting it to find them',
      );
      const half = Math.ceil(records.length / 2);
      const first = await countOrBisect(await prepare(records.slice(0, half)), partition);
      return sum(first, await countOrBisect(await prepare(records.slice(half)), partition));
    }
  }

  return async (batch: LogBatch): Promise<RollupStepResult> => {
    let total: RollupStepResult = { counted: 0, duplicates: 0, retractions: 0, undecodable: [], refusedVoids: [] };
    let next: Promise<Prepared> | undefined = prepare(batch.records.slice(0, blockRecords));
    for (let start = 0; next; start += blockRecords) {
      const counting = countOrBisect(await next, batch.partition);
      const following = start + blockRecords;
      next = following < batch.records.length ? prepare(batch.records.slice(following, following + blockRecords)) : undefined;
      // Pure work: it cannot fail as the count can, but an unawaited rejection must not go unhandled.
      next?.catch(() => undefined);
      total = sum(total, await counting);
    }
    return total;
  };
}

interface Prepared {
  records: readonly LogRecord[];
  block: PreparedBlock;
  undecodable: RollupStepResult['undecodable'];
}

function sum(a: RollupStepResult, b: RollupStepResult): RollupStepResult {
  return {
    counted: a.counted + b.counted,
    duplicates: a.duplicates + b.duplicates,
    retractions: a.retractions + b.retractions,
    undecodable: [...a.undecodable, ...b.undecodable],
    refusedVoids: [...a.refusedVoids, ...b.refusedVoids],
  };
}
