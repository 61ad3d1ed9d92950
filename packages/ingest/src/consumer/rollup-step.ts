import type { ClickHouse } from '@cordon/clickhouse';
import { createDayOf } from '@cordon/schemas';
import type { LogBatch, LogRecord } from '../log/event-log.ts';
import { decodeRecord } from '../log/envelope.ts';
import { planBatch, type DecodedRecord } from './plan.ts';
import { writeRows } from './write.ts';

export interface RollupStepResult {
  counted: number;
  duplicates: number;
  retractions: number;
  /** Records that could not be decoded, with why: the caller dead-letters them. */
  undecodable: { record: LogRecord; reason: string }[];
  /** Voids not applied because their target lies outside the key's scope: the caller dead-letters them too. */
  refusedVoids: { record: LogRecord; reason: string }[];
}

/**
 * One batch from the log into ClickHouse: decode, plan against what
 * ClickHouse holds, insert. Safe to run again on the same batch (the plan
 * is recomputed, the insert is deduplicated).
 */
export function createRollupStep(deps: { clickhouse: ClickHouse; timeZone: string }) {
  const dayOf = createDayOf(deps.timeZone);
  return async (batch: LogBatch): Promise<RollupStepResult> => {
    const decoded: DecodedRecord[] = [];
    const undecodable: RollupStepResult['undecodable'] = [];
    for (const result of batch.records.map(decodeRecord)) {
      if (result.ok) decoded.push(result);
      else undecodable.push({ record: result.record, reason: result.reason });
    }
    const plan = await planBatch(decoded, deps.clickhouse, dayOf);
    await writeRows(deps.clickhouse, plan.rows);
    return {
      counted: plan.fresh,
      duplicates: plan.duplicates,
      retractions: plan.retractions,
      undecodable,
      refusedVoids: plan.refusedVoids,
    };
  };
}
