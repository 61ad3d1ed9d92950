import type { ClickHouse } from '@cordon/clickhouse';
import { storedIds } from './stored-ids.ts';

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
  const inflight = new Map<string, Promise<void>>();

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
    try {
      return await storedIds(options.clickhouse!, ids, 1);
    } catch {
      // ClickHouse down must not stop ingest: the log is what makes an event
      // durable. The consumer will still count a repeat once.
      return new Set();
    }
  }

  return {
    async reserve(ids) {
      const duplicates = new Set<string>();
      const unless = (known: { has(id: string): boolean }) => (id: string) => !known.has(id) || (duplicates.add(id), false);
      // Another request is writing some of these ids: its outcome decides.
      for (let waiting = ids.filter((id) => inflight.has(id)); waiting.length > 0; waiting = ids.filter((id) => inflight.has(id))) {
        await Promise.all(waiting.map((id) => inflight.get(id)));
      }
      const candidates = ids.filter(unless(recent));

      let settled!: () => void;
      const outcome = new Promise<void>((resolve) => (settled = resolve));
      for (const id of candidates) inflight.set(id, outcome);
      const fresh = candidates.filter(unless(await countedInClickHouse(candidates)));
      return {
        fresh,
        duplicates,
        settle(written) {
          for (const id of candidates) inflight.delete(id);
          if (written) for (const id of fresh) remember(id);
          settled();
        },
      };
    },
  };
}
