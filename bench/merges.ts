import type { ClickHouse } from '@cordon/clickhouse';

/**
 * Waits until ClickHouse has no merge running in the bench's database (three
 * quiet seconds in a row) or `limitMs` has passed, and says how long it took.
 * A bench that loaded millions of rows times its questions after this, so a
 * background merge does not take the cores the questions are timed on.
 */
export async function waitForMerges(ch: ClickHouse, limitMs: number): Promise<number> {
  const started = performance.now();
  let quiet = 0;
  while (performance.now() - started < limitMs && quiet < 3) {
    const [row] = await (
      await ch.client.query({
        query: `SELECT count() AS n FROM system.merges WHERE database = {db:String}`,
        query_params: { db: ch.database },
        format: 'JSONEachRow',
      })
    ).json<{ n: string }>();
    quiet = Number(row?.n ?? 0) === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return performance.now() - started;
}
