import { fromClickHouseTime, type ClickHouse } from '@cordon/clickhouse';

export interface StoredVoid {
  target: string;
  voidId: string;
  voidReceivedAt: string;
}

/**
 * The voids table, held in memory by target, so that a batch does not ask
 * ClickHouse "is any of these 5,000 events voided already?" (the by-id
 * look-up costs as much as the duplicate check). Voids are few next to
 * events.
 *
 * It stays exact by counting: before each use it reads the table's row count
 * (answered from part metadata). The count it expects is what it loaded plus
 * the voids this process wrote since; any other count (another consumer
 * process, a roll-up rebuild, a partly failed insert) makes it load the
 * table again. The count is read before loading, so a void written during
 * the load is at worst loaded early, never missed.
 */
export function createVoidIndex(ch: ClickHouse) {
  let byTarget = new Map<string, StoredVoid[]>();
  let expectedCount = -1;

  async function count(): Promise<number> {
    const result = await ch.client.query({ query: `SELECT count() AS n FROM ${ch.database}.voids`, format: 'JSONEachRow' });
    return Number((await result.json<{ n: string | number }>())[0]?.n ?? 0);
  }

  async function load(): Promise<void> {
    const counted = await count();
    const result = await ch.client.query({
      query: `SELECT target, void_id AS voidId, received_at AS receivedAt FROM ${ch.database}.voids ORDER BY received_at, void_id`,
      format: 'JSONEachRow',
    });
    byTarget = new Map();
    for (const v of await result.json<{ target: string; voidId: string; receivedAt: string }>()) {
      add({ target: v.target, voidId: v.voidId, voidReceivedAt: fromClickHouseTime(v.receivedAt) });
    }
    expectedCount = counted;
  }

  function add(v: StoredVoid) {
    const list = byTarget.get(v.target);
    if (list) list.push(v);
    else byTarget.set(v.target, [v]);
  }

  return {
    /** Stored voids of these targets, oldest first. */
    async voidsFor(targets: readonly string[]): Promise<StoredVoid[]> {
      if (targets.length === 0) return [];
      if ((await count()) !== expectedCount) await load();
      return targets.flatMap((t) => byTarget.get(t) ?? []);
    },
    /** Voids this process has just written (after the insert succeeded). */
    written(voids: readonly StoredVoid[]) {
      for (const v of voids) add(v);
      expectedCount += voids.length;
    },
  };
}

export type VoidIndex = ReturnType<typeof createVoidIndex>;
