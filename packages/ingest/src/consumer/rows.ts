import { toClickHouseTime } from '@cordon/clickhouse';
import { contributionsOf, type CordonEvent } from '@cordon/schemas';
import { parseRegionCode } from '@cordon/regions';

/** One row of the `events` table, as planned (sent as an array in `eventRowColumns` order). */
export interface EventRow {
  id: string;
  sign: 1 | -1;
  type: string;
  occurred_at: string;
  day: string;
  region: string;
  site: string;
  source: string;
  received_at: string;
  void_id: string | null;
  data: string;
  'contributions.metric': string[];
  'contributions.dim': string[];
  'contributions.value': number[];
  log_partition: number;
  log_offset: string;
  /** The region the sending key was limited to (public code); '' for an unscoped key. */
  scope: string;
}

/**
 * Every column of a row, once, in the order the consumer sends them
 * (TabSeparated lines, tsv.ts: the names said once per insert).
 * A Record, so a column added to EventRow and not here fails to compile.
 */
const columnsOfEventRow: Record<keyof EventRow, true> = {
  id: true,
  sign: true,
  type: true,
  occurred_at: true,
  day: true,
  region: true,
  site: true,
  source: true,
  received_at: true,
  void_id: true,
  data: true,
  'contributions.metric': true,
  'contributions.dim': true,
  'contributions.value': true,
  log_partition: true,
  log_offset: true,
  scope: true,
};
export const eventRowColumns = Object.keys(columnsOfEventRow) as [keyof EventRow, ...(keyof EventRow)[]];

export interface RowContext {
  receivedAt: string;
  /** LogEnvelope.scope: absent for an unscoped key (and in envelopes older than the field). */
  scope?: string | undefined;
  partition: number;
  offset: bigint;
  dayOf: (instant: string) => string;
}

export function eventRow(event: CordonEvent, ctx: RowContext): EventRow {
  const contributions = contributionsOf(event);
  return {
    id: event.id,
    sign: 1,
    type: event.type,
    occurred_at: toClickHouseTime(event.occurredAt),
    day: ctx.dayOf(event.occurredAt),
    // Validated at ingest: the code parses. Stored zero-padded so a subtree is a key prefix.
    region: parseRegionCode(event.region)?.key12 ?? event.region.padEnd(12, '0'),
    site: event.site ?? '',
    source: event.source ?? '',
    received_at: toClickHouseTime(ctx.receivedAt),
    void_id: null,
    data: JSON.stringify(event.data),
    'contributions.metric': contributions.map((c) => c.metric),
    'contributions.dim': contributions.map((c) => c.dim),
    'contributions.value': contributions.map((c) => c.value),
    log_partition: ctx.partition,
    log_offset: ctx.offset.toString(),
    scope: ctx.scope ?? '',
  };
}

/**
 * The row that takes a voided event back: the same contributions on the same
 * day, region and site, with sign -1. `receivedAt` is when the void took
 * effect (the later of the void and its target), so figures "as known at" a
 * moment before then still include the target.
 */
export function retractionRow(target: EventRow, voidId: string, receivedAt: string): EventRow {
  return { ...target, sign: -1, void_id: voidId, received_at: toClickHouseTime(receivedAt) };
}
