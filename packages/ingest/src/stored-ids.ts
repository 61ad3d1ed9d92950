import type { ClickHouse } from '@cordon/clickhouse';
import { inIdChunks } from './id-chunks.ts';

/**
 * Which of `ids` the `events` table holds with this sign: +1, counted; -1,
 * taken back by a void. The consumer plans each batch with it, and ingest
 * asks it to tell a sender about duplicates.
 */
export async function storedIds(ch: ClickHouse, ids: readonly string[], sign: 1 | -1): Promise<Set<string>> {
  const found = await inIdChunks(ids, async (chunk) => {
    const result = await ch.client.query({
      // Not DISTINCT: the set dedups, and the look-up stays on the primary key.
      query: `SELECT id FROM ${ch.database}.events WHERE id IN {ids:Array(UUID)} AND sign = {sign:Int8}`,
      query_params: { ids: chunk, sign },
      format: 'JSONEachRow',
    });
    return (await result.json<{ id: string }>()).map((r) => r.id);
  });
  return new Set(found);
}
