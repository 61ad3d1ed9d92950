/**
 * The envelope codec: how an event travels in the log (`LogEnvelope` as JSON,
 * the schema in @cordon/schemas). Ingest encodes, the roll-up consumer
 * decodes; it lives with the log, which both sides already depend on.
 */
import { logEnvelopeSchema, fieldErrorsOf, type LogEnvelope } from '@cordon/schemas';
import type { LogRecord } from './event-log.ts';

export type DecodeResult = { ok: true; record: LogRecord; envelope: LogEnvelope } | { ok: false; record: LogRecord; reason: string };

/**
 * A record that cannot be decoded (not JSON, not a valid envelope: written by
 * an older or foreign producer) is dead-lettered, never retried: retrying a
 * poison message would block its partition forever.
 */
export function decodeRecord(record: LogRecord): DecodeResult {
  let json: unknown;
  try {
    json = JSON.parse(record.value.toString('utf8'));
  } catch (error) {
    return { ok: false, record, reason: `not JSON: ${(error as Error).message}` };
  }
  const parsed = logEnvelopeSchema.safeParse(json);
  if (!parsed.success) {
    const details = fieldErrorsOf(parsed.error.issues)
      .map((e) => `${e.path}: ${e.message}`)
      .join('; ');
    return { ok: false, record, reason: `not a valid event envelope: ${details}` };
  }
  return { ok: true, record, envelope: parsed.data };
}

export function encodeEnvelope(envelope: LogEnvelope): Buffer {
  return Buffer.from(JSON.stringify(envelope));
}
