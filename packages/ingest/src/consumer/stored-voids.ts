import { fromClickHouseTime, type ClickHouse } from '@cordon/clickhouse';
import { inIdChunks } from '../id-chunks.ts';

export interface StoredVoid {
  target: string;
  voidId: string;
  voidReceivedAt: string;
  /** The region the void's key was limited to; '' for an unscoped key. */
  scope: string;
}

/**
 * Stored voids of these targets, oldest first, asked of the `voids` table
 * (ordered by target, so the look-up reads only the granules of these ids).
 * One query per batch, as for the ids already counted; nothing is held in
 * memory between batches, so voids whose target never arrives cost disk,
 * not the consumer's memory, and a start loads nothing. Being read fresh
 * each batch, it also sees voids written by another consumer process or a
 * roll-up rebuild without any bookkeeping.
 */
export async function storedVoidsFor(ch: ClickHouse, targets: readonly string[]): Promise<StoredVoid[]> {
  const stored = await inIdChunks(targets, async (chunk) => {
    const result = await ch.client.query({
      query: `SELECT target, void_id AS voidId, received_at AS receivedAt, scope
              FROM ${ch.database}.voids WHERE target IN {targets:Array(UUID)} ORDER BY received_at, void_id`,
      query_params: { targets: chunk },
      format: 'JSONEachRow',
    });
    return result.json<{ target: string; voidId: string; receivedAt: string; scope: string }>();
  });
  // Pieces split the targets, never one target's voids: each target's voids stay oldest first.
  return stored.map((v) => ({
    target: v.target,
    voidId: v.voidId,
    voidReceivedAt: fromClickHouseTime(v.receivedAt),
    scope: v.scope,
  }));
}
