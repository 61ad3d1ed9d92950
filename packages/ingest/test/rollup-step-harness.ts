import { afterAll, beforeEach } from 'vitest';
import type { ClickHouse } from '@cordon/clickhouse';
import { openTestClickHouse } from '@cordon/clickhouse/testing';
import type { CordonEventInput, LogEnvelope } from '@cordon/schemas';
import { createRollupStep } from '../src/consumer/rollup-step.ts';
import type { LogBatch } from '../src/log/event-log.ts';

/**
 * The roll-up step on its own database for each test of the file (made in
 * `beforeEach`), and batches as ingest writes them to the log: offsets
 * counting up across the file, a void keyed by its target, `scope` the
 * sending key's region (absent: unscoped, or an envelope from before scopes).
 */
export function useRollupStep(options: { blockRecords?: number } = {}) {
  let ch: ClickHouse | undefined;
  let step: ReturnType<typeof createRollupStep> | undefined;
  let offset = 0n;
  const clients: ClickHouse[] = [];

  beforeEach(async () => {
    ch = await openTestClickHouse();
    clients.push(ch);
    step = createRollupStep({ clickhouse: ch, timeZone: 'Asia/Shanghai', ...options });
  });
  afterAll(async () => {
    // The databases of a file share its one chDB data folder: closing the first client is enough.
    await clients[0]?.close();
  });

  return {
    get ch(): ClickHouse {
      if (!ch) throw new Error('useRollupStep: ch is made in beforeEach');
      return ch;
    },
    step(batch: LogBatch) {
      if (!step) throw new Error('useRollupStep: the step is made in beforeEach');
      return step(batch);
    },
    /** The next log offset, for rows written around the step. */
    nextOffset: () => offset++,
    batch(items: { event: CordonEventInput; scope?: string }[], receivedAt = '2020-02-13T09:00:00.000Z'): LogBatch {
      return {
        partition: 0,
        records: items.map(({ event, scope }) => {
          const envelope = { v: 1, receivedAt, ...(scope ? { scope } : {}), event } as unknown as LogEnvelope;
          return {
            partition: 0,
            offset: offset++,
            key: event.type === 'void' ? (event.data as { target: string }).target : event.id,
            value: Buffer.from(JSON.stringify(envelope)),
          };
        }),
      };
    },
  };
}

let seq = 0;

/** An event as a field app sends it, in 新郑市's town 410184001 at site xz-cp-001 on 2020-02-13, with an id of its own. */
export function testEvent(type: string, data: object, extra: Partial<CordonEventInput> = {}): CordonEventInput {
  seq++;
  return {
    id: `0190d8a0-0000-7000-8000-${seq.toString(16).padStart(12, '0')}`,
    type,
    occurredAt: '2020-02-13T08:00:00+08:00',
    region: '410184001',
    site: 'xz-cp-001',
    data,
    ...extra,
  } as CordonEventInput;
}
