import type { CordonClient } from './client.ts';
import { completeEvent, mergeSummaries } from './events.ts';
import type { CordonError } from './errors.ts';
import type { RetryOptions } from './transport.ts';
import type { CordonEvent, EventInput, FieldError, ImportSummary } from './types.ts';

/**
 * Where a sender keeps the events it has not delivered yet. An event is
 * appended (with its id fixed) before the first attempt to send it and
 * removed only once the server has answered for it, so a replay after a
 * crash or an offline period sends the same ids again and the server counts
 * each once.
 */
export interface QueueStore {
  /** Every event still queued, in the order appended. */
  load(): Promise<CordonEvent[]>;
  /** Resolves once the events are kept (for a durable store: on disk). */
  append(events: readonly CordonEvent[]): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  close?(): Promise<void>;
}

/** The default store: in memory, lost with the process. */
export function createMemoryQueueStore(): QueueStore {
  const events = new Map<string, CordonEvent>();
  return {
    load: async () => [...events.values()],
    append: async (added) => {
      for (const event of added) events.set(event.id, event);
    },
    remove: async (ids) => {
      for (const id of ids) events.delete(id);
    },
  };
}

export interface RejectedEvent {
  event: CordonEvent;
  errors: FieldError[];
}

export interface FlushReport {
  /** Summary of what the server answered during this flush (`index` relative to `sent`). */
  summary: ImportSummary;
  /** Events the server answered for (accepted, duplicate or rejected): no longer queued. */
  sent: CordonEvent[];
  /** Events the server rejected as invalid: dropped from the queue, since sending them again cannot help. */
  rejected: RejectedEvent[];
  /** Events still queued after this flush. */
  pending: number;
  /** Why the flush stopped early; the events stay queued and are tried again. */
  error?: CordonError;
}

export interface EventSenderOptions {
  client: CordonClient;
  /** Flush this often (ms); 0 turns the timer off (flush by size or by hand). Default 5,000. */
  flushEvery?: number;
  /** Flush as soon as this many events wait; also the most events handed to one `send`. Default 500. */
  maxBatch?: number;
  /** Where unsent events are kept. Default: in memory. `@cordon/sdk/node` has a file store. */
  store?: QueueStore;
  /** Retry policy of each send (the client's by default). The sender itself tries again on its next tick. */
  retry?: RetryOptions | false;
  /** Backoff of the sender's own ticks after a failed flush: doubles from `flushEvery` up to this. Default 60,000 ms. */
  maxBackoffMs?: number;
  /** Told after every flush that sent or failed (not after an empty one). */
  onFlush?: (report: FlushReport) => void;
}

export interface EventSender {
  /**
   * Queues events: fills in ids and times, keeps them in the store, and
   * resolves with the events as they will be sent (keep the ids to void one
   * later). Starts a flush when `maxBatch` events wait. Rejects when the
   * store cannot keep them, or after `close()`.
   */
  add(events: EventInput | readonly EventInput[]): Promise<CordonEvent[]>;
  /**
   * Sends everything queued now; resolves when the queue is empty or a send
   * failed (the report says which). Rejects only when the store fails.
   */
  flush(options?: { signal?: AbortSignal }): Promise<FlushReport>;
  /** Events queued and not yet answered. */
  pending(): Promise<number>;
  /** Stops the timer, flushes what is queued (unless `flush: false`) and closes the store. */
  close(options?: { flush?: boolean }): Promise<FlushReport | undefined>;
}

/**
 * A batching sender for field apps: queues events and flushes them by size
 * (`maxBatch`) or time (`flushEvery`). Offline, the events wait in the store;
 * once the server answers again the next tick replays them with the ids they
 * were given when queued, so nothing is counted twice.
 */
export function createEventSender(options: EventSenderOptions): EventSender {
  const { client } = options;
  const store = options.store ?? createMemoryQueueStore();
  const flushEvery = options.flushEvery ?? 5_000;
  const maxBatch = Math.max(1, options.maxBatch ?? 500);
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;

  let queue: CordonEvent[] = [];
  let ready: Promise<void> | undefined;
  let flushing: Promise<FlushReport> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let closed = false;

  // Loading is lazy (no I/O in the factory); the first tick, add or flush
  // loads, so events left by an earlier run are replayed on the first tick.
  const load = () =>
    (ready ??= store.load().then((loaded) => {
      const queued = new Set(queue.map((e) => e.id));
      queue = [...loaded.filter((e) => !queued.has(e.id)), ...queue];
    }));

  function schedule() {
    if (closed || flushEvery <= 0) return;
    if (timer !== undefined) clearTimeout(timer);
    const delay = failures === 0 ? flushEvery : Math.min(maxBackoffMs, flushEvery * 2 ** failures);
    timer = setTimeout(() => {
      timer = undefined;
      void flush().catch(backgroundFailure).finally(schedule);
    }, delay);
    // A waiting sender must not keep a Node process alive (browsers have no unref).
    (timer as unknown as { unref?: () => void }).unref?.();
  }

  async function flushOnce(signal: AbortSignal | undefined): Promise<FlushReport> {
    await load();
    const parts: { start: number; summary: ImportSummary }[] = [];
    const sent: CordonEvent[] = [];
    const rejected: RejectedEvent[] = [];
    let error: CordonError | undefined;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      const result = await client.events.send(batch, {
        ...(signal ? { signal } : {}),
        ...(options.retry !== undefined ? { retry: options.retry } : {}),
      });
      const summary = result.error ? result.sent : result.data;
      const answered = result.error ? batch.slice(0, batch.length - result.unsent.length) : batch;
      if (answered.length > 0) {
        parts.push({ start: sent.length, summary });
        for (const e of summary.errors) {
          const event = answered[e.index];
          if (event) rejected.push({ event, errors: e.errors });
        }
        const done = new Set(answered.map((e) => e.id));
        // Out of the queue only after the server answered for them.
        await store.remove([...done]);
        queue = queue.filter((e) => !done.has(e.id));
        sent.push(...answered);
      }
      if (result.error) {
        error = result.error;
        break;
      }
    }
    failures = error ? failures + 1 : 0;
    const report: FlushReport = { summary: mergeSummaries(parts), sent, rejected, pending: queue.length, ...(error ? { error } : {}) };
    if (sent.length > 0 || error) options.onFlush?.(report);
    return report;
  }

  // One flush at a time: a second caller waits for the running one, then
  // flushes what is left, so no event is in two requests at once.
  function flush(flushOptions: { signal?: AbortSignal } = {}): Promise<FlushReport> {
    const previous = flushing?.catch(() => undefined) ?? Promise.resolve();
    const next = previous.then(() => flushOnce(flushOptions.signal));
    flushing = next;
    void next.finally(() => {
      if (flushing === next) flushing = undefined;
    });
    return next;
  }

  // Only the store can make a flush reject (a disk error); a background flush
  // counts it as a failed flush and the next tick tries again.
  function backgroundFailure() {
    failures++;
  }

  schedule();

  return {
    async add(input) {
      if (closed) throw new Error('the sender is closed');
      const inputs: readonly EventInput[] = Array.isArray(input) ? input : [input as EventInput];
      const events = inputs.map((e) => completeEvent(e));
      await load();
      // Kept before any attempt: the ids a replay sends are the ids fixed here.
      await store.append(events);
      queue.push(...events);
      if (queue.length >= maxBatch && !flushing) void flush().catch(backgroundFailure);
      return events;
    },
    flush,
    async pending() {
      await load();
      return queue.length;
    },
    async close(closeOptions = {}) {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      const report = closeOptions.flush === false ? await flushing : await flush();
      await store.close?.();
      return report;
    },
  };
}
