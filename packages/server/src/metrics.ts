import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { IngestMetrics } from '@cordon/ingest';

/**
 * The Prometheus registry of one Cordon process, made when the process
 * starts (never at import: two runtimes in one test process each get their
 * own). The packages feed it through hooks (`ingest`); HTTP requests through
 * `observeRequest`; consumer lag is read from the log at scrape time.
 */
export interface CordonMetrics {
  readonly registry: Registry;
  /** Hooks for the events route and the roll-up consumer. */
  readonly ingest: IngestMetrics;
  /** One HTTP request; `route` is the route pattern (`/v1/regions/:code`), never the raw path. */
  observeRequest(request: { method: string; route: string; status: number; seconds: number }): void;
  /** A GET of a figure route given from the answer cache (hit) or computed (miss). */
  observeAnswer(result: 'hit' | 'miss'): void;
}

export interface MetricsOptions {
  /** Records acknowledged but not yet counted; read on every scrape. */
  lag?: () => Promise<number>;
  /** Process metrics (CPU, memory, event-loop delay, GC): on unless a test turns them off. */
  processMetrics?: boolean;
}

/** Seconds: a group-committed fsync takes about a millisecond on a local disk; Kafka acks=all a few. */
const appendBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const batchBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const requestBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(options: MetricsOptions = {}): CordonMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });

  const events = new Counter({
    name: 'cordon_ingest_events_total',
    help: 'Events received by POST /v1/events, by outcome (accepted, duplicate, rejected) and event type ("invalid" when the type is missing or unknown). Dry runs are not counted.',
    labelNames: ['outcome', 'type'] as const,
    registers,
  });
  const append = new Histogram({
    name: 'cordon_log_append_seconds',
    help: 'Time for one append to the event log to be durable (embedded: written and fdatasynced; Kafka: acks=all), by result (ok, error).',
    labelNames: ['result'] as const,
    buckets: appendBuckets,
    registers,
  });
  const batch = new Histogram({
    name: 'cordon_consumer_batch_seconds',
    help: 'Time the roll-up consumer took for one batch: decode, plan against ClickHouse, insert, dead-letter.',
    buckets: batchBuckets,
    registers,
  });
  const consumed = new Counter({
    name: 'cordon_consumer_events_total',
    help: 'Log records the roll-up consumer handled, by outcome: counted, duplicate (already counted), retraction (a void applied), dead_letter (undecodable, refused by ClickHouse, or a void outside the scope of its key).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const deadLetters = new Counter({
    name: 'cordon_dead_letters_total',
    help: 'Records the roll-up consumer wrote to the dead-letter log.',
    registers,
  });
  const requests = new Histogram({
    name: 'cordon_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: requestBuckets,
    registers,
  });
  const answers = new Counter({
    name: 'cordon_answer_cache_total',
    help: 'GETs of figure routes in a process with its consumer: given again from memory while nothing was counted (hit), or computed by ClickHouse (miss).',
    labelNames: ['result'] as const,
    registers,
  });
  const { lag } = options;
  if (lag) {
    new Gauge({
      name: 'cordon_consumer_lag',
      help: 'Events acknowledged by the log and not yet counted by the roll-up consumer group, read at scrape time.',
      registers,
      async collect() {
        // A log that cannot be read leaves the gauge without a value: the scrape still answers, and readiness says why.
        const value = await lag().catch(() => null);
        if (value === null) this.reset();
        else this.set(value);
      },
    });
  }

  // Zero-valued series exist from the start, so rate() and alerts see them before the first event.
  for (const outcome of ['counted', 'duplicate', 'retraction', 'dead_letter'] as const) consumed.inc({ outcome }, 0);
  for (const result of ['ok', 'error'] as const) append.zero({ result });
  for (const result of ['hit', 'miss'] as const) answers.inc({ result }, 0);

  return {
    registry,
    ingest: {
      events: (outcome, type, count) => events.inc({ outcome, type }, count),
      logAppend: (seconds, ok) => append.observe({ result: ok ? 'ok' : 'error' }, seconds),
      batch: (done) => {
        batch.observe(done.seconds);
        consumed.inc({ outcome: 'counted' }, done.counted);
        consumed.inc({ outcome: 'duplicate' }, done.duplicates);
        consumed.inc({ outcome: 'retraction' }, done.retractions);
        consumed.inc({ outcome: 'dead_letter' }, done.deadLettered);
        deadLetters.inc(done.deadLettered);
      },
    },
    observeRequest: ({ method, route, status, seconds }) => requests.observe({ method, route, status: String(status) }, seconds),
    observeAnswer: (result) => answers.inc({ result }),
  };
}
