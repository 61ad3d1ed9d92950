/** The envelope codec: what ingest writes is what the consumer reads; poison is named, never thrown. */
import { describe, expect, it } from 'vitest';
import type { LogEnvelope } from '@cordon/schemas';
import { decodeRecord, encodeEnvelope } from './envelope.ts';

const envelope = {
  v: 1,
  receivedAt: '2020-02-13T01:02:03.000Z',
  event: {
    id: '0190d8a0-0000-7000-8000-000000000001',
    type: 'screening',
    occurredAt: '2020-02-13T08:00:00+08:00',
    region: '410184003',
    data: { vehicles: 3, people: 5 },
  },
} as LogEnvelope;
const record = (value: Buffer | string) => ({ partition: 0, offset: 7n, key: 'k', value: Buffer.from(value) });

describe('envelope codec', () => {
  it('round-trips an envelope through its bytes', () => {
    const bytes = encodeEnvelope(envelope);
    expect(bytes.toString('utf8')).toBe(JSON.stringify(envelope));
    expect(decodeRecord(record(bytes))).toEqual({ ok: true, record: record(bytes), envelope });
  });

  it('names what is wrong with a record that is not JSON or not an envelope', () => {
    expect(decodeRecord(record('{"v":1,'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON: /) });
    const unknownType = decodeRecord(record(JSON.stringify({ ...envelope, event: { ...envelope.event, type: 'bogus' } })));
    expect(unknownType.ok).toBe(false);
    expect(unknownType.ok ? '' : unknownType.reason).toMatch(/^not a valid event envelope: event\.type: /);
    const noTime = decodeRecord(record(JSON.stringify({ v: 1, event: envelope.event })));
    expect(noTime.ok ? '' : noTime.reason).toMatch(/^not a valid event envelope: receivedAt: /);
  });
});
