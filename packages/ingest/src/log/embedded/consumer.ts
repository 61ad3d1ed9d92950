/**
 * A consumer-group reader of the embedded log.
 *
 * Delivery is at-least-once: a batch's offset is committed only after
 * onBatch resolved; if onBatch rejects, the retry policy decides: a
 * retriable (or unclassified) error hands the same records over again after
 * its backoff, forever; an error marked `retriable: false` (the records are
 * at fault) dead-letters them with the error and commits past them. The
 * consumer never throws out of its loop: I/O errors are logged and retried
 * with backoff.
 *
 * Wake-ups: a consumer of the writing instance is woken right after each
 * durable write, and sees only durable records (so it never acts on a record
 * a power loss could take back). A consumer in another process polls the
 * files every pollMs and reads up to the last COMMIT frame.
 */
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

import { maxBatchRecordsOf, type ConsumeOptions, type LogConsumer, type LogRecord } from '../event-log.ts';
import type { RetryPolicy } from '../retry-policy.ts';
import { SEGMENT_HEADER_BYTES } from './format.ts';
import { acquireLock } from './lock-file.ts';
import type { Logger as EmbeddedLogLogger } from '../../logger.ts';
import { readGap } from './known-ends.ts';
import { groupLockPath, readGroupOffset, writeGroupOffset } from './offsets.ts';
import { listSegments, openSegmentForRead, readCommitted, segmentPath } from './segment-reader.ts';

export interface ConsumerDeps {
  segmentsDir: string;
  groupsDir: string;
  logger: EmbeddedLogLogger;
  pollMs: number;
  retry: RetryPolicy;
  /** Writes a record the handler rejected as non-retriable to the dead-letter log, durably. */
  deadLetter: (record: LogRecord, reason: string) => Promise<void>;
  /** Offset after the last durable record, when this instance is the writer. */
  durableEnd?: () => bigint;
  /** In-process wake-up after a durable write. */
  subscribe: (listener: () => void) => () => void;
  /** Changes after each durable write (to catch a write between a read and a wait). */
  writeCount: () => number;
}

interface Cursor {
  fh: FileHandle;
  base: bigint;
  pos: number;
  offset: bigint;
}

export async function startConsumer(deps: ConsumerDeps, options: ConsumeOptions): Promise<LogConsumer> {
  const maxBatch = maxBatchRecordsOf(options);
  const lock = await acquireLock(groupLockPath(deps.groupsDir, options.groupId), `consumer group ${options.groupId}`, deps.logger);
  try {
    const committed = (await readGroupOffset(deps.groupsDir, options.groupId)) ?? 0n;
    const consumer = new EmbeddedConsumer(deps, options, maxBatch, committed, () => lock.release());
    consumer.start();
    return consumer;
  } catch (error) {
    await lock.release();
    throw error;
  }
}

class EmbeddedConsumer implements LogConsumer {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private cursor: Cursor | undefined;
  private readonly wakers = new Set<() => void>();
  private reported = '';

  constructor(
    private readonly deps: ConsumerDeps,
    private readonly options: ConsumeOptions,
    private readonly maxBatch: number,
    private committed: bigint,
    private readonly releaseLock: () => Promise<void>,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.wakers) wake();
    await this.loop;
  }

  private get log(): Record<string, unknown> {
    return { groupId: this.options.groupId };
  }

  private async run(): Promise<void> {
    let errors = 0;
    while (!this.stopping) {
      try {
        const seen = this.deps.writeCount();
        const batch = await this.fetch();
        if (batch === undefined) {
          if (this.deps.writeCount() === seen) await this.pause(this.deps.pollMs, true);
        } else {
          await this.deliver(batch.records, batch.next);
        }
        errors = 0;
      } catch (error) {
        this.deps.logger.error({ ...this.log, err: error }, 'embedded log consumer: read failed, retrying');
        await this.closeCursor();
        await this.pause(this.deps.retry.delayMs(errors++), false);
      }
    }
    await this.closeCursor();
    await this.releaseLock().catch((error: unknown) => {
      this.deps.logger.warn({ ...this.log, err: error }, 'embedded log consumer: releasing the group lock failed');
    });
  }

  /** Waits `ms`, or less when stopped (or, with wakeOnAppend, on an in-process durable write). */
  private async pause(ms: number, wakeOnAppend: boolean): Promise<void> {
    if (this.stopping) return;
    const controller = new AbortController();
    const wake = (): void => controller.abort();
    this.wakers.add(wake);
    const unsubscribe = wakeOnAppend ? this.deps.subscribe(wake) : undefined;
    try {
      await delay(ms, undefined, { signal: controller.signal });
    } catch {
      // aborted: woken up
    } finally {
      this.wakers.delete(wake);
      unsubscribe?.();
    }
  }

  private async closeCursor(): Promise<void> {
    const cursor = this.cursor;
    this.cursor = undefined;
    await cursor?.fh.close().catch(() => undefined);
  }

  /** Places the cursor at the committed offset: the segment holding it, walked from its start. */
  private async position(): Promise<Cursor | undefined> {
    const bases = await listSegments(this.deps.segmentsDir);
    if (bases.length === 0) return undefined;
    let base = bases[0]!;
    for (const candidate of bases) if (candidate <= this.committed) base = candidate;
    const fh = await openSegmentForRead(segmentPath(this.deps.segmentsDir, base));
    try {
      const skip = this.committed > base ? Number(this.committed - base) : 0;
      const walk = await readCommitted(
        fh,
        { pos: SEGMENT_HEADER_BYTES, offset: base },
        { maxRecords: skip, collect: false, chunkBytes: 1024 * 1024 },
      );
      if (walk.next.offset < this.committed && base === bases[bases.length - 1]) {
        // Possible only if records that were read and committed vanished
        // (a power loss took back writes that were not yet fsync'd and a
        // reader in another process had seen them); see README, Limitations.
        this.deps.logger.warn(
          { ...this.log, committed: String(this.committed), end: String(walk.next.offset) },
          'embedded log consumer: committed offset is past the end of the log; waiting for it',
        );
      }
      return { fh, base, pos: walk.next.pos, offset: walk.next.offset };
    } catch (error) {
      await fh.close();
      throw error;
    }
  }

  private async fetch(): Promise<{ records: LogRecord[]; next: { pos: number; offset: bigint } } | undefined> {
    this.cursor ??= await this.position();
    const cursor = this.cursor;
    if (cursor === undefined) return undefined;
    let max = this.maxBatch;
    const durableEnd = this.deps.durableEnd?.();
    if (durableEnd !== undefined) {
      if (durableEnd <= cursor.offset) return undefined;
      if (durableEnd - cursor.offset < BigInt(max)) max = Number(durableEnd - cursor.offset);
    }
    const read = await readCommitted(cursor.fh, cursor, { maxRecords: max, collect: true });
    if (read.records.length > 0) {
      const records: LogRecord[] = [];
      for (const r of read.records) {
        // Offsets below the committed one were delivered before (see position()).
        if (r.offset >= this.committed) records.push({ partition: 0, offset: r.offset, key: r.key, value: r.value });
      }
      if (records.length === 0) {
        Object.assign(cursor, read.next);
        return this.fetch();
      }
      return { records, next: read.next };
    }
    if (read.committed.offset !== cursor.offset) return undefined;
    const bases = await listSegments(this.deps.segmentsDir);
    // The writer names a new segment after the next offset only once every
    // earlier record is durable in the previous one, so a segment named after
    // our offset means this one is finished.
    if (cursor.base !== cursor.offset && bases.includes(cursor.offset)) {
      const fh = await openSegmentForRead(segmentPath(this.deps.segmentsDir, cursor.offset));
      await cursor.fh.close().catch(() => undefined);
      this.cursor = { fh, base: cursor.offset, pos: SEGMENT_HEADER_BYTES, offset: cursor.offset };
      return this.fetch();
    }
    const following = bases.find((base) => base > cursor.base);
    if (following !== undefined && read.stop === 'end' && read.committed.pos === (await cursor.fh.stat()).size) {
      // A finished segment read cleanly to its end, and the next segment
      // starts further on: offsets are missing between them. Step over them
      // only if the writer or a repair recorded the gap (those records are
      // lost and reported); otherwise it is damage, and it is not skipped.
      const gap = await readGap(this.deps.segmentsDir, following);
      if (gap !== undefined && gap.from <= cursor.offset) {
        this.deps.logger.warn(
          {
            ...this.log,
            firstLost: String(cursor.offset),
            lastLost: String(following - 1n),
            lost: String(following - cursor.offset),
            reason: gap.reason,
          },
          'embedded log consumer: stepping over offsets the log lost (recorded in a gap file); they cannot be delivered',
        );
        const fh = await openSegmentForRead(segmentPath(this.deps.segmentsDir, following));
        await cursor.fh.close().catch(() => undefined);
        this.cursor = { fh, base: following, pos: SEGMENT_HEADER_BYTES, offset: following };
        return this.fetch();
      }
      const where = `${cursor.base}:end`;
      if (this.reported !== where) {
        this.reported = where;
        this.deps.logger.error(
          {
            ...this.log,
            segment: segmentPath(this.deps.segmentsDir, cursor.base),
            missing: `${cursor.offset}..${following - 1n}`,
          },
          'embedded log consumer: a finished segment ends before the next one begins (cut back?); not skipping, waiting. ' +
            'With the server stopped, `npm run log:repair -- <data dir>` salvages the intact records',
        );
      }
      return undefined;
    }
    if (read.stop === 'invalid' && bases.some((base) => base > cursor.offset)) {
      const where = `${cursor.base}:${read.invalidAt ?? cursor.pos}`;
      if (this.reported !== where) {
        this.reported = where;
        this.deps.logger.error(
          { ...this.log, segment: segmentPath(this.deps.segmentsDir, cursor.base), position: read.invalidAt, reason: read.reason },
          'embedded log consumer: damaged record in a finished segment; not skipping it, waiting. ' +
            'With the server stopped, `npm run log:repair -- <data dir>` salvages the intact records',
        );
      }
    }
    return undefined;
  }

  private async deliver(records: LogRecord[], next: { pos: number; offset: bigint }): Promise<void> {
    const first = records[0]!.offset;
    for (let attempt = 0; ; attempt++) {
      try {
        await Promise.resolve().then(() => this.options.onBatch({ partition: 0, records: [...records] }));
        break;
      } catch (error) {
        const decision = this.deps.retry.decide(error, attempt);
        if (decision.action === 'dead-letter') {
          this.deps.logger.error(
            { ...this.log, err: error, firstOffset: String(first), records: records.length },
            'embedded log consumer: onBatch rejected the records as non-retriable; dead-lettering them and moving on',
          );
          // Durable in the dead-letter log before the offset moves past them.
          if (!(await this.deadLetterAll(records, decision.reason))) return;
          break;
        }
        this.deps.logger.warn(
          { ...this.log, err: error, firstOffset: String(first), records: records.length, attempt, waitMs: decision.delayMs },
          'embedded log consumer: onBatch failed; the same records will be delivered again',
        );
        // Stopping abandons the batch uncommitted: it is delivered again on the next start.
        if (this.stopping) return;
        await this.pause(decision.delayMs, false);
        if (this.stopping) return;
      }
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await writeGroupOffset(this.deps.groupsDir, this.options.groupId, next.offset);
        break;
      } catch (error) {
        this.deps.logger.error({ ...this.log, err: error, attempt }, 'embedded log consumer: committing the offset failed');
        if (this.stopping) return;
        await this.pause(this.deps.retry.delayMs(attempt), false);
        if (this.stopping) return;
      }
    }
    this.committed = next.offset;
    if (this.cursor !== undefined) Object.assign(this.cursor, next);
  }

  /** Dead-letters every record, retrying the writes; false when stopped first (nothing is committed then). */
  private async deadLetterAll(records: readonly LogRecord[], reason: string): Promise<boolean> {
    for (const record of records) {
      for (let attempt = 0; ; attempt++) {
        try {
          await this.deps.deadLetter(record, reason);
          break;
        } catch (error) {
          this.deps.logger.error({ ...this.log, err: error, attempt }, 'embedded log consumer: writing a dead letter failed');
          if (this.stopping) return false;
          await this.pause(this.deps.retry.delayMs(attempt), false);
          if (this.stopping) return false;
        }
      }
    }
    return true;
  }
}
