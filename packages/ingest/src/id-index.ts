import type { ClickHouse } from '@cordon/clickhouse';

/**
 * Answers "was this event id acknowledged before?" for the import summary.
 *
 * Counting never depends on it (the consumer deduplicates against
 * ClickHouse); it only decides what a sender is told. It looks in three
 * places: ids being written right now by another request (wait for that
 * write), ids acknowledged recently by this process (the log may not have
 * been counted yet), and ids already counted in ClickHouse.
 */
export interface IdIndex {
  /**
   * Splits ids into fresh ones, now reserved for this request, and ids
   * already acknowledged. Call `settle` with the reservation afterwards.
   */
  reserve(ids: readonly string[]): Promise<{ fresh: string[]; duplicates: Set<string>; settle: (written: boolean) => void }>;
}

export function createIdIndex(options: { clickhouse: ClickHouse | null; maxRecent?: number }): IdIndex {
  const maxRecent = options.maxRecent ?? 1_000_000;
  const recent = new Set<string>();
  const inflight = new Map<string, Promise<boolean>>();

  function remember(id: string) {
    recent.add(id);
    // Sets iterate in insertion order: drop the oldest. Past this many
    // acknowledged-but-uncounted ids a retry may be reported as accepted;
    // it is still counted once.
    if (recent.size > maxRecent) recent.delete(recent.values().next().value as string);
  }

  // One ClickHouse look-up at a time: requests arriving while one runs are
  // answered together by the next. Under load that is one query for many
  // requests instead of one each (a query's cost is mostly its fixed part).
  let queued: { ids: string[]; resolve: (found: Set<string>) => void }[] = [];
  let running = false;

  function countedInClickHouse(ids: string[]): Promise<Set<string>> {
    if (!options.clickhouse || ids.length === 0) return Promise.resolve(new Set());
    return new Promise((resolve) => {
      queued.push({ ids, resolve });
      if (!running) void drain();
    });
  }

  async function drain() {
    running = true;
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      const found = await lookUp(batch.flatMap((q) => q.ids));
      for (const q of batch) q.resolve(found);
    }
    running = false;
  }

  async function lookUp(ids: string[]): Promise<Set<string>> {
    const ch = options.clickhouse!;
    try {
      const result = await ch.client.query({
        query: `SELECT DISTINCT id FROM ${ch.database}.events WHERE id IN {ids:Array(UUID)} AND sign = 1`,
        query_params: { ids },
        format: 'JSONEachRow',
      });
      return new Set((await result.json<{ id: string }>()).map((r) => r.id));
    } catch {
      // ClickHouse down must not stop ingest: the log is what makes an event
      // durable. The consumer will still count a repeat once.
      return new Set();
    }
  }

  return {
    async reserve(ids) {
      const duplicates = new Set<string>();
      let candidates = [...ids];
      // Another request is writing some of these ids: its outcome decides.
      for (;;) {
        const waiting = candidates.filter((id) => inflight.has(id));
        if (waiting.length === 0) break;
        await Promise.all(waiting.map((id) => inflight.get(id)));
        candidates = candidates.filter((id) => !recent.has(id) || (duplicates.add(id), false));
      }
      candidates = candidates.filter((id) => !recent.has(id) || (duplicates.add(id), false));

      let settleAll!: (written: boolean) => void;
      const outcome = new Promise<boolean>((resolve) => (settleAll = resolve));
      for (const id of candidates) inflight.set(id, outcome);
      const counted = await countedInClickHouse(candidates);
      const fresh = candidates.filter((id) => !counted.has(id) || (duplicates.add(id), false));
      return {
        fresh,
        duplicates,
        settle(written) {
          for (const id of candidates) inflight.delete(id);
          if (written) for (const id of fresh) remember(id);
          settleAll(written);
        },
      };
    },
  };
}
