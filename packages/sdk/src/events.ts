import { v7 as uuidv7 } from 'uuid';
import type { CordonEvent, EventInput, ImportSummary } from './types.ts';

/**
 * The server's limits per POST /v1/events (CONTRACT.md: 5,000 events or
 * 5 MiB, 413 beyond). The document states them only in prose, so they are
 * written here once; a test checks them against the server's constants.
 */
export const serverLimits = { maxEvents: 5000, maxBytes: 5 * 1024 * 1024 } as const;

export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
}

/**
 * Gives an event its id (UUID v7: time-ordered, so the server's indexes stay
 * local) and `occurredAt` (now, with the local offset) when it has none. The
 * id is fixed here, before any attempt, so every retry and replay carries the
 * same idempotency key.
 */
export function completeEvent(input: EventInput, now: () => Date = () => new Date()): CordonEvent {
  return { ...input, id: input.id ?? uuidv7(), occurredAt: input.occurredAt ?? localTimestamp(now()) } as CordonEvent;
}

/** ISO 8601 with the local offset, e.g. 2020-02-13T08:00:00.000+08:00 (days are counted in the server's zone). */
export function localTimestamp(date: Date): string {
  const offsetMin = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offsetMin * 60_000).toISOString().slice(0, -1);
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const encoder = new TextEncoder();

export interface Batch {
  /** Index of the batch's first event in the caller's array. */
  start: number;
  events: CordonEvent[];
}

/**
 * Splits events into requests within the limits, in order. The body is the
 * JSON array, so its size is the events' UTF-8 sizes, the commas and the two
 * brackets. An event too large on its own goes alone (the server answers 413).
 */
export function splitIntoBatches(events: readonly CordonEvent[], limits: BatchLimits = serverLimits): Batch[] {
  const batches: Batch[] = [];
  let current: Batch | undefined;
  let bytes = 0;
  events.forEach((event, index) => {
    const size = encoder.encode(JSON.stringify(event)).length;
    const added = current && current.events.length > 0 ? size + 1 : size + 2;
    if (!current || current.events.length >= limits.maxEvents || (current.events.length > 0 && bytes + added > limits.maxBytes)) {
      current = { start: index, events: [] };
      batches.push(current);
      bytes = 2;
    }
    bytes += current.events.length > 0 ? size + 1 : size;
    current.events.push(event);
  });
  return batches;
}

/** One import summary for the caller's whole array: counts added, `index` re-based. */
export function mergeSummaries(parts: readonly { start: number; summary: ImportSummary }[]): ImportSummary {
  const merged: ImportSummary = { accepted: 0, duplicates: 0, rejected: 0, errors: [] };
  for (const { start, summary } of parts) {
    merged.accepted += summary.accepted;
    merged.duplicates += summary.duplicates;
    merged.rejected += summary.rejected;
    for (const error of summary.errors) merged.errors.push({ ...error, index: error.index + start });
    if (summary.dryRun) merged.dryRun = true;
  }
  return merged;
}
