/**
 * Issue 7, item 3: a log cut back below what was acknowledged must never
 * hand those offsets out again, must say exactly how many acknowledged
 * records are gone, and must tell that loss from a torn last write.
 */
import { readdir, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { LogBatch, LogRecord } from '../event-log.ts';
import { openEmbeddedLog } from './embedded-log.ts';
import { SEGMENT_HEADER_BYTES, frameBytes } from './format.ts';
import { captureLogger, useEmbeddedLogFolder, waitFor } from '@cordon/ingest/testing';

const tmp = useEmbeddedLogFolder();
const open = tmp.open;

/** Same-sized records, so a byte position names a record exactly. */
function rec(i: number): { key: string; value: Buffer } {
  return { key: 'k', value: Buffer.from(`record-${String(i).padStart(6, '0')}`) };
}
const RECORD_BYTES = frameBytes(rec(0));

function collect(): { records: LogRecord[]; onBatch: (batch: LogBatch) => Promise<void> } {
  const records: LogRecord[] = [];
  return { records, onBatch: async (batch) => void records.push(...batch.records) };
}

/** Writes `writes` × 100 records, has group `g` consume all and group `h` the first `hTakes`, then closes. */
async function fill(writes: number, hTakes: number): Promise<string> {
  const log = await openEmbeddedLog({ dir: tmp.dir });
  for (let w = 0; w < writes; w++) await log.append(Array.from({ length: 100 }, (_, i) => rec(w * 100 + i)));
  const g = await log.consume({ groupId: 'g', onBatch: async () => undefined });
  await waitFor(async () => (await log.lag('g')) === 0);
  await g.stop();
  let taken = 0;
  const h = await log.consume({
    groupId: 'h',
    maxBatchRecords: 100,
    onBatch: async (batch) => {
      if (taken >= hTakes) throw new Error('h stops here');
      taken += batch.records.length;
    },
  });
  await waitFor(async () => (await log.lag('h')) === writes * 100 - hTakes);
  await h.stop();
  await log.close();
  const files = (await readdir(join(tmp.dir, 'segments'))).filter((f) => f.endsWith('.log'));
  return join(tmp.dir, 'segments', files[0]!);
}

describe('an embedded log cut back below acknowledged records (issue 7, item 3)', () => {
  it('continues after every committed offset, reports the exact loss, and counts every new record', async () => {
    const segment = await fill(10, 200);
    // Cut inside record 300: 300 intact records stay, 700 acknowledged ones are gone.
    await truncate(segment, SEGMENT_HEADER_BYTES + 300 * RECORD_BYTES + 7);

    const logger = captureLogger();
    const log = await open({ logger });
    expect(log.recovery?.lost).toEqual({
      from: 300n,
      to: 1000n,
      count: 700n,
      evidence: 'the log held 1000 records when it was last closed',
    });
    expect(log.recovery?.nextOffset).toBe(1000n);
    const loss = logger.lines.find((l) => l.level === 'error');
    expect(loss?.message).toBe(
      'embedded log: 700 acknowledged records are lost (offsets 300..999): the files end at 300 but the log held 1000 records ' +
        'when it was last closed; new records start at 1000, no offset is reused',
    );
    expect(loss?.fields).toMatchObject({ lostRecords: '700', droppedBytes: 7 });
    // Not called a torn, unacknowledged write.
    expect(logger.lines.some((l) => l.message.includes('torn tail'))).toBe(false);
    expect(await log.endOffset()).toBe(1000n);
    expect(await log.lag('g')).toBe(0);

    for (let i = 0; i < 10; i++) await log.append(Array.from({ length: 100 }, (_, j) => rec(1000 + i * 100 + j)));
    expect(await log.lag('g')).toBe(1000);
    const g = collect();
    await log.consume({ groupId: 'g', onBatch: g.onBatch });
    await waitFor(async () => (await log.lag('g')) === 0);
    expect(g.records.map((r) => r.offset)).toEqual(Array.from({ length: 1000 }, (_, i) => 1000n + BigInt(i)));
    expect(g.records[0]!.value.toString()).toBe('record-001000');

    // A group that had read less gets the intact rest, steps over the lost offsets with a warning, then the new records.
    const h = collect();
    await log.consume({ groupId: 'h', onBatch: h.onBatch });
    await waitFor(async () => (await log.lag('h')) === 0);
    expect(h.records.length).toBe(1100);
    expect(h.records[99]!.offset).toBe(299n);
    expect(h.records[100]!.offset).toBe(1000n);
    const stepped = logger.lines.find((l) => l.message.includes('stepping over offsets the log lost'));
    expect(stepped?.fields).toMatchObject({ groupId: 'h', firstLost: '300', lastLost: '999', lost: '700' });
  });

  it('takes the committed offsets as evidence when there was no clean close (a crash)', async () => {
    const segment = await fill(5, 100);
    await rm(join(tmp.dir, 'segments', 'end.json'));
    // Records 100..119 stay whole but their write lost its COMMIT frame: a write is all or nothing.
    await truncate(segment, SEGMENT_HEADER_BYTES + 120 * RECORD_BYTES);
    const log = await open({ logger: captureLogger() });
    expect(log.recovery?.lost).toEqual({ from: 100n, to: 500n, count: 400n, evidence: 'consumer group g had committed up to 500' });
    await log.append([rec(500)]);
    const g = collect();
    await log.consume({ groupId: 'g', onBatch: g.onBatch });
    await waitFor(() => g.records.length === 1);
    expect(g.records[0]).toMatchObject({ offset: 500n });
    // And the loss is remembered: the next open finds the gap, not a new loss.
    await log.close();
    const again = await open();
    expect(again.recovery?.lost).toBeNull();
    expect(await again.endOffset()).toBe(501n);
  });

  it('calls a torn last write what it is: nothing acknowledged is lost', async () => {
    const segment = await fill(3, 100);
    await rm(join(tmp.dir, 'segments', 'end.json'));
    // A crash mid-write: a fourth write of which only part reached the file, never acknowledged.
    const log = await open();
    await log.append(Array.from({ length: 100 }, (_, i) => rec(300 + i)));
    await log.close();
    await rm(join(tmp.dir, 'segments', 'end.json'));
    await truncate(segment, SEGMENT_HEADER_BYTES + 350 * RECORD_BYTES + 3);
    const logger = captureLogger();
    const reopened = await open({ logger });
    expect(reopened.recovery?.lost).toBeNull();
    expect(reopened.recovery?.records).toBe(300n);
    expect(await reopened.endOffset()).toBe(300n);
    expect(logger.lines.find((l) => l.level === 'warn')?.message).toBe(
      'embedded log: cut the torn tail of the last write (never acknowledged: nothing is lost)',
    );
    expect(logger.lines.some((l) => l.level === 'error')).toBe(false);
  });

  it('does not step over records missing from a finished segment without a gap file', async () => {
    const logger = captureLogger();
    const log = await open({ segmentBytes: 1024, logger });
    for (let i = 0; i < 40; i++) await log.append([rec(i)]);
    const files = (await readdir(join(tmp.dir, 'segments'))).filter((f) => f.endsWith('.log')).sort();
    expect(files.length).toBeGreaterThan(1);
    const first = join(tmp.dir, 'segments', files[0]!);
    const records = ((await stat(first)).size - SEGMENT_HEADER_BYTES) / RECORD_BYTES;
    await truncate(first, SEGMENT_HEADER_BYTES + 3 * RECORD_BYTES);
    const sink = collect();
    await log.consume({ groupId: 'g', onBatch: sink.onBatch });
    await waitFor(() => logger.lines.some((l) => l.level === 'error' && l.message.includes('ends before the next one begins')));
    expect(sink.records.map((r) => r.offset)).toEqual([0n, 1n, 2n]);
    expect(logger.lines.find((l) => l.level === 'error')?.fields['missing']).toBe(`3..${records - 1}`);
  });
});
