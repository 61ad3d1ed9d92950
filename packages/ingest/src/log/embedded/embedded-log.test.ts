import { spawn } from 'node:child_process';
import { appendFile, readdir, readFile, readlink, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { LogBatch, LogRecord } from '../event-log.ts';
import { LogUnavailableError } from '../event-log.ts';
import { crc32, crc32Table } from './crc32.ts';
import { EmbeddedLogCorruptError, EmbeddedLogLockedError, openEmbeddedLog, readDeadLetters } from './embedded-log.ts';
import {
  FLAG_COMMIT,
  FRAME_HEADER_BYTES,
  SEGMENT_HEADER_BYTES,
  decodeFrame,
  encodeWrite,
  frameBytes,
  parseSegmentFileName,
} from './format.ts';
import { captureLogger, useEmbeddedLogFolder, waitFor } from '@cordon/ingest/testing';

const tmp = useEmbeddedLogFolder();
const open = tmp.open;

function rec(key: string, value: string): { key: string; value: Buffer } {
  return { key, value: Buffer.from(value) };
}

function collect(): { records: LogRecord[]; onBatch: (batch: LogBatch) => Promise<void> } {
  const records: LogRecord[] = [];
  return {
    records,
    onBatch: async (batch) => {
      records.push(...batch.records);
    },
  };
}

async function segmentFiles(dir = tmp.dir): Promise<string[]> {
  return (await readdir(join(dir, 'segments'))).filter((name) => name.endsWith('.log')).sort();
}

async function lastSegment(): Promise<string> {
  const files = await segmentFiles();
  return join(tmp.dir, 'segments', files[files.length - 1]!);
}

describe('format', () => {
  it('native and table CRC32 agree', () => {
    const data = Buffer.from('截至2月13日，累计排查车辆115814台 — the quick brown fox');
    expect(crc32(data)).toBe(crc32Table(data));
    expect(crc32Table(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips a write and flags its last frame as the commit', () => {
    const records = [rec('a', 'one'), rec('區', 'two')];
    const bytes = records.reduce((sum, r) => sum + frameBytes(r), 0);
    const buf = encodeWrite(records, 41n, bytes);
    const first = decodeFrame(buf, 0);
    expect(first.kind).toBe('frame');
    if (first.kind !== 'frame') return;
    expect(first.frame).toMatchObject({ offset: 41n, batchFirst: 41n, key: 'a', flags: 0 });
    const second = decodeFrame(buf, first.bytes);
    if (second.kind !== 'frame') throw new Error('second frame did not decode');
    expect(second.frame).toMatchObject({ offset: 42n, batchFirst: 41n, key: '區', flags: FLAG_COMMIT });
    expect(second.frame.value.toString()).toBe('two');
  });

  it('detects a flipped bit with the CRC', () => {
    const records = [rec('k', 'payload')];
    const buf = encodeWrite(records, 0n, frameBytes(records[0]!));
    buf[buf.length - 2]! ^= 0x04;
    expect(decodeFrame(buf, 0)).toEqual({ kind: 'invalid', reason: 'crc mismatch' });
    expect(decodeFrame(buf.subarray(0, 5), 0).kind).toBe('incomplete');
  });
});

describe('embedded log', () => {
  it('round-trips records with their keys, values and offsets', async () => {
    const log = await open();
    expect(log.kind).toBe('embedded');
    await log.append([rec('a', 'one'), rec('b', 'two')]);
    await log.append([rec('a', 'three')]);
    const sink = collect();
    await log.consume({ groupId: 'g', onBatch: sink.onBatch });
    await waitFor(() => sink.records.length === 3);
    expect(sink.records.map((r) => [r.partition, r.offset, r.key, r.value.toString()])).toEqual([
      [0, 0n, 'a', 'one'],
      [0, 1n, 'b', 'two'],
      [0, 2n, 'a', 'three'],
    ]);
    await waitFor(async () => (await log.lag('g')) === 0);
    expect(await log.append([])).toBeUndefined();
  });

  it('keeps order per key and contiguous offsets under concurrent appends', async () => {
    const log = await open();
    const callers = 8;
    const appendsPerCaller = 25;
    await Promise.all(
      Array.from({ length: callers }, async (_, c) => {
        for (let i = 0; i < appendsPerCaller; i++) {
          await log.append(Array.from({ length: 10 }, (_, j) => rec(`k${c}`, String(i * 10 + j))));
        }
      }),
    );
    const total = callers * appendsPerCaller * 10;
    expect(await log.endOffset()).toBe(BigInt(total));
    const sink = collect();
    await log.consume({ groupId: 'g', onBatch: sink.onBatch, maxBatchRecords: 333 });
    await waitFor(() => sink.records.length === total);
    expect(sink.records.map((r) => r.offset)).toEqual(Array.from({ length: total }, (_, i) => BigInt(i)));
    const lastByKey = new Map<string, number>();
    for (const record of sink.records) {
      const value = Number(record.value.toString());
      expect(value).toBe((lastByKey.get(record.key) ?? -1) + 1);
      lastByKey.set(record.key, value);
    }
  });

  it('group-commits concurrent appends into few writes (one fsync each)', async () => {
    const log = await open();
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append([rec('k', String(i)), rec('k', 'x')])));
    const bytes = await readFile(await lastSegment());
    let commits = 0;
    let frames = 0;
    for (let at = SEGMENT_HEADER_BYTES; at < bytes.length;) {
      const result = decodeFrame(bytes, at);
      if (result.kind !== 'frame') throw new Error(`bad frame at ${at}`);
      frames++;
      if (result.frame.flags & FLAG_COMMIT) commits++;
      at += result.bytes;
    }
    expect(frames).toBe(100);
    // The first append goes out alone; the 49 queued behind its fsync share one write.
    expect(commits).toBeLessThanOrEqual(3);
  });

  it('wakes an in-process consumer on append without waiting for the poll', async () => {
    const log = await open({ pollIntervalMs: 60_000 });
    const sink = collect();
    await log.consume({ groupId: 'g', onBatch: sink.onBatch });
    await log.append([rec('a', '1')]);
    await waitFor(() => sink.records.length === 1, { timeoutMs: 2000 });
  });

  it('keeps offsets and committed positions across a reopen', async () => {
    const first = await open();
    await first.append(Array.from({ length: 10 }, (_, i) => rec('k', `v${i}`)));
    const sink = collect();
    await first.consume({ groupId: 'g', onBatch: sink.onBatch, maxBatchRecords: 4 });
    await waitFor(async () => (await first.lag('g')) === 0);
    await first.close();

    const second = await open();
    expect(await second.endOffset()).toBe(10n);
    expect(await second.lag('g')).toBe(0);
    await second.append([rec('k', 'v10'), rec('k', 'v11')]);
    const again = collect();
    await second.consume({ groupId: 'g', onBatch: again.onBatch });
    await waitFor(() => again.records.length === 2);
    expect(again.records.map((r) => [r.offset, r.value.toString()])).toEqual([
      [10n, 'v10'],
      [11n, 'v11'],
    ]);
    // A new group starts from the beginning.
    const fresh = collect();
    await second.consume({ groupId: 'other', onBatch: fresh.onBatch });
    await waitFor(() => fresh.records.length === 12);
  });

  it('delivers the same records again after onBatch rejects, then commits', async () => {
    const logger = captureLogger();
    const log = await open({ logger });
    await log.append([rec('a', '1'), rec('a', '2'), rec('a', '3')]);
    const deliveries: bigint[][] = [];
    const consumer = await log.consume({
      groupId: 'g',
      maxBatchRecords: 2,
      onBatch: async (batch) => {
        deliveries.push(batch.records.map((r) => r.offset));
        if (deliveries.length === 1) throw new Error('ClickHouse is down');
        if (deliveries.length === 2) return Promise.reject(new Error('still down'));
        if (deliveries.length === 3) {
          // A synchronous throw from a non-async handler is a rejection too.
          (null as unknown as { boom: () => void }).boom();
        }
      },
    });
    await waitFor(async () => (await log.lag('g')) === 0);
    expect(deliveries).toEqual([[0n, 1n], [0n, 1n], [0n, 1n], [0n, 1n], [2n]]);
    expect(logger.lines.filter((l) => l.level === 'warn' && l.message.includes('onBatch failed'))).toHaveLength(3);
    await consumer.stop();
  });

  it('stop() waits for the batch in hand and commits it', async () => {
    const log = await open();
    await log.append([rec('a', '1'), rec('a', '2')]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = false;
    const consumer = await log.consume({
      groupId: 'g',
      onBatch: async () => {
        started = true;
        await gate;
      },
    });
    await waitFor(() => started);
    const stopping = consumer.stop();
    release();
    await stopping;
    expect(await log.lag('g')).toBe(0);
  });

  it('rolls segments named after their base offset and reads across them', async () => {
    const log = await open({ segmentBytes: 1024 });
    for (let i = 0; i < 40; i++) {
      await log.append(Array.from({ length: 5 }, (_, j) => rec(`k${j}`, `value-${i * 5 + j}`.padEnd(30, '.'))));
    }
    const files = await segmentFiles();
    expect(files.length).toBeGreaterThan(5);
    expect(parseSegmentFileName(files[0]!)).toBe(0n);
    for (const name of files) expect((await stat(join(tmp.dir, 'segments', name))).size).toBeLessThanOrEqual(1024);
    const sink = collect();
    await log.consume({ groupId: 'g', onBatch: sink.onBatch, maxBatchRecords: 7 });
    await waitFor(() => sink.records.length === 200);
    expect(sink.records.map((r) => r.value.toString().replace(/\.+$/, ''))).toEqual(Array.from({ length: 200 }, (_, i) => `value-${i}`));
    // Segment names are the offsets of their first records.
    const bases = files.map((name) => Number(parseSegmentFileName(name)));
    for (const base of bases) expect(sink.records[base]?.offset).toBe(BigInt(base));
    await log.close();

    const reopened = await open({ segmentBytes: 1024 });
    expect(await reopened.endOffset()).toBe(200n);
    await reopened.append([rec('k', 'after')]);
    const fromMiddle = collect();
    // A consumer that starts inside a middle segment.
    await reopened.consume({ groupId: 'g', onBatch: fromMiddle.onBatch });
    await waitFor(() => fromMiddle.records.length === 1);
    expect(fromMiddle.records[0]).toMatchObject({ offset: 200n, key: 'k' });
  });

  it('repairs a torn tail of garbage bytes on open and keeps the good records', async () => {
    const log = await open();
    await log.append([rec('a', '1'), rec('b', '2')]);
    await log.close();
    const path = await lastSegment();
    const garbage = Buffer.from([0xc5, 0xd0, 0x4c, 0x31, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7]);
    await appendFile(path, garbage);

    const logger = captureLogger();
    const reopened = await open({ logger });
    expect(reopened.recovery?.droppedBytes).toBe(garbage.length);
    expect(await reopened.endOffset()).toBe(2n);
    expect(logger.lines.some((l) => l.level === 'warn' && l.message.includes('torn tail'))).toBe(true);
    await reopened.append([rec('c', '3')]);
    const sink = collect();
    await reopened.consume({ groupId: 'g', onBatch: sink.onBatch });
    await waitFor(() => sink.records.length === 3);
    expect(sink.records.map((r) => r.value.toString())).toEqual(['1', '2', '3']);
  });

  it('cuts a write truncated mid-record back to the last complete write', async () => {
    const log = await open();
    await log.append([rec('a', '1'), rec('a', '2')]);
    await log.append([rec('a', '3'), rec('a', '4'), rec('a', '5')]);
    await log.close();
    const path = await lastSegment();
    const size = (await stat(path)).size;
    // A crash, not a clean close: no end marker says how far the log got.
    await rm(join(tmp.dir, 'segments', 'end.json'));
    // Inside the last record of the second write: its first two records are
    // intact but the write has no COMMIT frame, so none of it is kept.
    await truncate(path, size - 3);
    const reopened = await open();
    expect(await reopened.endOffset()).toBe(2n);
    expect((await stat(path)).size).toBeLessThan(size - 3);
    await reopened.append([rec('a', '3b')]);
    const sink = collect();
    await reopened.consume({ groupId: 'g', onBatch: sink.onBatch });
    await waitFor(() => sink.records.length === 3);
    expect(sink.records.map((r) => [r.offset, r.value.toString()])).toEqual([
      [0n, '1'],
      [1n, '2'],
      [2n, '3b'],
    ]);
    // A segment torn to less than its file header (a crash while rolling) opens as empty.
    await reopened.close();
    await rm(join(tmp.dir, 'segments', 'end.json'));
    await truncate(path, 3);
    const again = await open();
    // Empty, and it goes on after the 3 records group g committed: those offsets are never reused.
    expect(again.recovery?.records).toBe(0n);
    expect(await again.endOffset()).toBe(3n);
  });

  it('refuses to cut away a damaged record that later intact writes prove was acknowledged', async () => {
    const log = await open();
    await log.append([rec('a', 'first')]);
    await log.append([rec('a', 'second-write')]);
    await log.append([rec('a', 'third')]);
    await log.close();
    const path = await lastSegment();
    const bytes = await readFile(path);
    const at = bytes.indexOf('second-write');
    bytes[at]! ^= 0x01;
    await writeFile(path, bytes);
    await expect(openEmbeddedLog({ dir: tmp.dir })).rejects.toBeInstanceOf(EmbeddedLogCorruptError);
    await expect(openEmbeddedLog({ dir: tmp.dir })).rejects.toThrow(/the write starting at record 1 is damaged \(crc mismatch\)/);
    // The failed opens released the lock.
    const reader = await open({ readOnly: true });
    expect(await reader.endOffset()).toBe(1n);
  });

  it('a consumer stops at a corrupt record in a finished segment instead of skipping it', async () => {
    const logger = captureLogger();
    const log = await open({ segmentBytes: 1024, logger });
    for (let i = 0; i < 30; i++) await log.append([rec('k', `record-${String(i).padStart(3, '0')}`.padEnd(60, '.'))]);
    const files = await segmentFiles();
    expect(files.length).toBeGreaterThan(1);
    const firstPath = join(tmp.dir, 'segments', files[0]!);
    const bytes = await readFile(firstPath);
    bytes[bytes.indexOf('record-003')! + 8]! ^= 0x10;
    await writeFile(firstPath, bytes);
    const sink = collect();
    await log.consume({ groupId: 'g', onBatch: sink.onBatch });
    await waitFor(() => logger.lines.some((l) => l.level === 'error' && l.message.includes('damaged record')));
    expect(sink.records.map((r) => r.offset)).toEqual([0n, 1n, 2n]);
    expect(await log.lag('g')).toBe(27);
  });

  it('lets a read-only instance see the lag and the records of the writer', async () => {
    const writer = await open();
    const reader = await open({ readOnly: true, pollIntervalMs: 20 });
    await expect(reader.append([rec('a', '1')])).rejects.toThrow(/readOnly/);
    await writer.append(Array.from({ length: 10 }, (_, i) => rec('k', String(i))));
    expect(await reader.lag('g')).toBe(10);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let batches = 0;
    const consumer = await writer.consume({
      groupId: 'g',
      maxBatchRecords: 4,
      onBatch: async () => {
        batches++;
        if (batches === 2) await gate;
      },
    });
    await waitFor(async () => (await reader.lag('g')) === 6);
    release();
    await waitFor(async () => (await reader.lag('g')) === 0);
    await consumer.stop();

    // Records appended later reach a consumer of the reader instance by polling.
    const sink = collect();
    await reader.consume({ groupId: 'r', onBatch: sink.onBatch });
    await waitFor(() => sink.records.length === 10);
    await writer.append([rec('k', 'late')]);
    await waitFor(() => sink.records.length === 11);
    await waitFor(async () => (await reader.lag('r')) === 0);
  });

  it('allows one writer per folder, one consumer per group, and takes over stale locks', async () => {
    const writer = await open();
    await expect(openEmbeddedLog({ dir: tmp.dir })).rejects.toBeInstanceOf(EmbeddedLogLockedError);
    await expect(openEmbeddedLog({ dir: tmp.dir })).rejects.toThrow(/locked by another instance in this process/);
    await writer.consume({ groupId: 'g', onBatch: async () => undefined });
    await expect(writer.consume({ groupId: 'g', onBatch: async () => undefined })).rejects.toBeInstanceOf(EmbeddedLogLockedError);
    await writer.append([rec('a', '1')]);
    await writer.close();
    await expect(writer.append([rec('a', '2')])).rejects.toBeInstanceOf(LogUnavailableError);

    // A lock left by a process that is gone.
    const child = spawn(process.execPath, ['-e', '']);
    const deadPid = child.pid!;
    await new Promise((resolve) => child.once('exit', resolve));
    await writeFile(
      join(tmp.dir, 'LOCK'),
      JSON.stringify({ pid: deadPid, bootId: null, token: 'stale', createdAt: new Date().toISOString() }),
    );
    const logger = captureLogger();
    const next = await open({ logger });
    expect(logger.lines.some((l) => l.message.includes('stale lock'))).toBe(true);
    expect(await next.endOffset()).toBe(1n);
    await next.close();
    await expect(stat(join(tmp.dir, 'LOCK'))).rejects.toThrow(/ENOENT/);
  });

  it('writes dead letters durably with their reason', async () => {
    const log = await open();
    await log.append([rec('k1', '{"bad":true}')]);
    let seen: LogRecord | undefined;
    await log.consume({
      groupId: 'g',
      onBatch: async (batch) => {
        for (const record of batch.records) {
          seen = record;
          await log.deadLetter(record, 'schema: unknown type "bogus"');
        }
      },
    });
    await waitFor(async () => (await log.lag('g')) === 0 && seen);
    await log.close();
    const letters = await readDeadLetters(tmp.dir);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ reason: 'schema: unknown type "bogus"', partition: 0, offset: 0n, key: 'k1' });
    expect(letters[0]?.value.toString()).toBe('{"bad":true}');
  });

  it.runIf(process.platform === 'linux')('leaves no file descriptors open after close', async () => {
    // The descriptors open on this log's folder, not the process's count: other
    // work in the worker (its pipes, a handle another test's GC closes) moves that.
    const fds = async (): Promise<string[]> => {
      const targets = await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
      return targets.filter((target) => target.startsWith(tmp.dir));
    };
    expect(await fds()).toEqual([]);
    const writer = await open({ segmentBytes: 2048 });
    const reader = await open({ readOnly: true, pollIntervalMs: 10 });
    for (let i = 0; i < 20; i++) await writer.append([rec('k', 'v'.repeat(200))]);
    const sink = collect();
    await reader.consume({ groupId: 'r', onBatch: sink.onBatch });
    await writer.consume({ groupId: 'w', onBatch: async (batch) => writer.deadLetter(batch.records[0]!, 'test') });
    await waitFor(() => sink.records.length === 20);
    await waitFor(async () => (await reader.lag('w')) === 0);
    // Read-only, the reader sees its own group's commit of all 20 records.
    await waitFor(async () => (await reader.lag('r')) === 0);
    expect(await reader.lag('r')).toBe(0);
    // While open, the writer holds its current segment (so the listing sees the log's own descriptors).
    expect(await fds()).toContain(await lastSegment());
    await writer.close();
    await reader.close();
    expect(await fds()).toEqual([]);
  });

  it('frames start right after the segment header', async () => {
    const log = await open();
    await log.append([rec('a', 'x')]);
    const bytes = await readFile(await lastSegment());
    expect(bytes.subarray(0, SEGMENT_HEADER_BYTES).toString('latin1')).toBe('CRDLOG1\n');
    expect(decodeFrame(bytes, SEGMENT_HEADER_BYTES).kind).toBe('frame');
    expect(bytes.length).toBe(SEGMENT_HEADER_BYTES + FRAME_HEADER_BYTES + 21 + 2);
  });
});
