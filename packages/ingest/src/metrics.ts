/**
 * The measurements ingest and the consumer report, as hooks: the package
 * knows what happened, the process decides where it goes (Prometheus in the
 * server, nothing in a test). Like the logger, it is passed in; no registry
 * is made at import.
 */
export interface IngestMetrics {
  /**
   * Events of one request by outcome. `type` is one of the known event
   * types or "invalid" (never a value taken from the body, so a client
   * cannot grow the label set).
   */
  events(outcome: 'accepted' | 'duplicate' | 'rejected', type: string, count: number): void;
  /** One append to the event log: how long it took to be durable, and whether it was. */
  logAppend(seconds: number, ok: boolean): void;
  /** One consumer batch, after its rows are in ClickHouse and its dead letters written. */
  batch(done: { seconds: number; records: number; counted: number; duplicates: number; retractions: number; deadLettered: number }): void;
}

export const noIngestMetrics: IngestMetrics = { events() {}, logAppend() {}, batch() {} };
