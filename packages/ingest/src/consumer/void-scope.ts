import { fromClickHouseTime } from '@cordon/clickhouse';
import { keyInSubtree, mostSpecificCode } from '@cordon/regions';
import type { CordonEvent, LogEnvelope } from '@cordon/schemas';
import type { LogRecord } from '../log/event-log.ts';
import { encodeEnvelope } from '../log/envelope.ts';
import type { EventRow } from './rows.ts';

/**
 * Where a void meets its target, the consumer applies it only if the target
 * lies in the subtree the void's key was limited to (issue 7: a town's key
 * took back its sibling's 1700). Ingest refuses such a void when the target
 * is already counted; this is the case it cannot judge, a target that
 * arrives after the void. An unscoped void ('': an unscoped key, or a void
 * written before scopes were recorded) applies anywhere.
 *
 * The rule is the one /v1/quality reads back (query-api's
 * quality/quality-voids.ts), so every refused void is also a finding there.
 */
export function voidAppliesTo(scope: string, target: Pick<EventRow, 'region'>): boolean {
  return scope === '' || keyInSubtree(target.region, scope);
}

export function refusalReason(scope: string, target: Pick<EventRow, 'id' | 'region'>): string {
  return `void outside its key's scope: the target ${target.id} is an event of region ${mostSpecificCode(target.region)}, outside the sending key's region ${scope}; not applied`;
}

/**
 * The log record of a void stored by an earlier batch, made again from its
 * row, for the dead-letter log: the record itself was committed long ago
 * and the log cannot be read at an offset. Partition, offset and key are the
 * original's; the envelope holds what the row keeps (times in UTC, the
 * region as its most specific code).
 */
export function recordOfStoredVoid(row: EventRow): LogRecord {
  const event = {
    id: row.id,
    type: 'void',
    occurredAt: fromClickHouseTime(row.occurred_at),
    region: mostSpecificCode(row.region),
    ...(row.site === '' ? {} : { site: row.site }),
    ...(row.source === '' ? {} : { source: row.source }),
    data: JSON.parse(row.data) as Extract<CordonEvent, { type: 'void' }>['data'],
  } as CordonEvent;
  const envelope: LogEnvelope = {
    v: 1,
    receivedAt: fromClickHouseTime(row.received_at),
    ...(row.scope === '' ? {} : { scope: row.scope }),
    event,
  };
  // Keyed by the target, as ingest keys a void (partitionKey).
  const target = event.type === 'void' ? event.data.target : row.id;
  return { partition: row.log_partition, offset: BigInt(row.log_offset), key: target, value: encodeEnvelope(envelope) };
}
