/**
 * The writing side of a segment log: recovery of the last segment on open,
 * group commit, segment roll.
 *
 * Durability: an append resolves only after the write holding its records
 * and the fdatasync after it have both completed. Writes are serialised: the
 * next group is written only after the previous fdatasync returned, so at any
 * moment at most one write is not yet durable, and a crash can tear only
 * that last write of the last segment. Recovery relies on exactly that.
 */
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';

import { LogUnavailableError } from '../event-log.ts';
import type { LogAppend } from '../event-log.ts';
import { FRAME_HEADER_BYTES, MAX_BODY_BYTES, SEGMENT_HEADER, SEGMENT_HEADER_BYTES, encodeWrite, frameBytes } from './format.ts';
import { fsyncDir, writeAll } from './files.ts';
import { readEndMarker, writeEndMarker, writeGap } from './known-ends.ts';
import type { Logger as EmbeddedLogLogger } from '../../logger.ts';
import { EmbeddedLogCorruptError, findLaterWrite, listSegments, readCommitted, segmentPath } from './segment-reader.ts';

export interface SegmentWriterOptions {
  /** The folder of segment files; created if missing. */
  dir: string;
  segmentBytes: number;
  logger: EmbeddedLogLogger;
  /** Upper bound of one group commit write (a single larger append is written alone). */
  maxWriteBytes?: number;
  /**
   * Offsets consumers have committed: records below them were acknowledged
   * and read, so the log must never hand them out again, even if its files
   * were cut back below them.
   */
  committed?: readonly { group: string; offset: bigint }[];
}

interface Pending {
  records: readonly LogAppend[];
  bytes: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface RecoveryReport {
  segment: string;
  /** Intact records of the last segment. */
  records: bigint;
  /** Bytes cut after the last complete write. */
  droppedBytes: number;
  /**
   * Acknowledged records the files no longer hold: offsets [from, to) that a
   * consumer committed or the last clean close had written, past the intact
   * end. null when nothing acknowledged is missing (a torn last write, never
   * acknowledged, is not a loss).
   */
  lost: { from: bigint; to: bigint; count: bigint; evidence: string } | null;
  /** The offset the next append gets: never at or below one handed out before. */
  nextOffset: bigint;
  millis: number;
}

export class SegmentWriter {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private broken: unknown;
  private closed = false;
  private writes = 0;
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly options: Required<SegmentWriterOptions>,
    private fh: FileHandle,
    private base: bigint,
    private size: number,
    private next: bigint,
    readonly recovery: RecoveryReport,
  ) {}

  /** Opens the log for writing, repairing a torn tail of the last segment. The caller holds the lock. */
  static async open(options: SegmentWriterOptions): Promise<SegmentWriter> {
    const started = performance.now();
    const resolved: Required<SegmentWriterOptions> = { maxWriteBytes: 8 * 1024 * 1024, committed: [], ...options };
    const { dir, logger } = resolved;
    await mkdir(dir, { recursive: true });
    let bases = await listSegments(dir);
    if (bases.length === 0) {
      await (await createSegment(dir, 0n)).close();
      // The segments folder may be new too: make its own entry durable.
      await fsyncDir(dirname(dir));
      bases = [0n];
    }
    const base = bases[bases.length - 1]!;
    const path = segmentPath(dir, base);
    const fh = await open(path, 'r+');
    try {
      let size = (await fh.stat()).size;
      if (size <= SEGMENT_HEADER_BYTES) {
        // Created but torn before its header was durable: nothing in it was acknowledged.
        const head = Buffer.alloc(size);
        await fh.read(head, 0, size, 0);
        if (!SEGMENT_HEADER.subarray(0, size).equals(head) && !head.every((b) => b === 0)) {
          throw new EmbeddedLogCorruptError('not an embedded log segment (bad file header)', path, 0);
        }
        await writeAll(fh, SEGMENT_HEADER, 0);
        await fh.datasync();
        size = SEGMENT_HEADER_BYTES;
      } else {
        const head = Buffer.alloc(SEGMENT_HEADER_BYTES);
        await fh.read(head, 0, head.length, 0);
        if (!head.equals(SEGMENT_HEADER)) {
          throw new EmbeddedLogCorruptError('not an embedded log segment (bad file header)', path, 0);
        }
      }
      const scan = await readCommitted(
        fh,
        { pos: SEGMENT_HEADER_BYTES, offset: base },
        { maxRecords: Infinity, collect: false, chunkBytes: 1024 * 1024 },
      );
      const { committed } = scan;
      let droppedBytes = 0;
      if (committed.pos < size) {
        // Bytes after the last COMMIT: the torn last write of a crash, unless
        // an intact later write follows, which means these bytes were fsync'd.
        const later = await findLaterWrite(fh, committed.pos, size, committed.offset);
        if (later !== undefined) {
          throw new EmbeddedLogCorruptError(
            `the write starting at record ${committed.offset} is damaged (${scan.reason ?? 'unreadable'}) but a later write ` +
              `(from record ${later.batchFirst}, byte ${later.pos}) is intact: acknowledged data is damaged, ` +
              `refusing to cut it away. With the server stopped, \`npm run log:repair -- ${dirname(dir)}\` ` +
              'keeps every intact record and reports the damaged ones by offset',
            path,
            scan.invalidAt ?? committed.pos,
          );
        }
        droppedBytes = size - committed.pos;
        await fh.truncate(committed.pos);
        await fh.datasync();
      }
      const end = committed.offset;
      const lost = await acknowledgedBeyond(dir, end, resolved.committed);
      if (lost === null && droppedBytes > 0) {
        logger.warn(
          { segment: path, keptRecords: String(end - base), droppedBytes, reason: scan.reason ?? 'no commit' },
          'embedded log: cut the torn tail of the last write (never acknowledged: nothing is lost)',
        );
      }
      let writer: { fh: FileHandle; base: bigint; size: number } = { fh, base, size: committed.pos };
      if (lost !== null) {
        // The files end below offsets already handed out. Handing them out
        // again would make consumers skip new records (their committed
        // offset is past them) and make two records share an offset, so the
        // log continues at `lost.to`, in a new segment, behind a gap file.
        // The gap is records that were acknowledged and are gone: a group
        // that had not read them never will (its consumer steps over the gap
        // with a warning); a group that had read them has them counted
        // already. Nothing new is skipped.
        logger.error(
          {
            segment: path,
            lostRecords: String(lost.count),
            firstLost: String(lost.from),
            lastLost: String(lost.to - 1n),
            evidence: lost.evidence,
            droppedBytes,
            nextOffset: String(lost.to),
          },
          `embedded log: ${lost.count} acknowledged records are lost (offsets ${lost.from}..${lost.to - 1n}): ` +
            `the files end at ${lost.from} but ${lost.evidence}; new records start at ${lost.to}, no offset is reused`,
        );
        await writeGap(dir, { from: lost.from, to: lost.to, reason: `lost: ${lost.evidence}` });
        const next = await createSegment(dir, lost.to);
        await fh.close();
        writer = { fh: next, base: lost.to, size: SEGMENT_HEADER_BYTES };
      }
      const nextOffset = lost?.to ?? end;
      const recovery: RecoveryReport = {
        segment: path,
        records: end - base,
        droppedBytes,
        lost,
        nextOffset,
        millis: performance.now() - started,
      };
      logger.info(
        { segment: path, nextOffset: String(nextOffset), millis: Math.round(recovery.millis) },
        'embedded log: opened for writing',
      );
      return new SegmentWriter(resolved, writer.fh, writer.base, writer.size, nextOffset, recovery);
    } catch (error) {
      await fh.close().catch(() => undefined);
      throw error;
    }
  }

  /** Offset after the last durable record (what `append` has acknowledged, or is about to). */
  get endOffset(): bigint {
    return this.next;
  }

  /** Counts durable writes: a consumer compares it to know whether it missed a wake-up. */
  get writeCount(): number {
    return this.writes;
  }

  /** Called after each durable write. Returns the unsubscribe function. */
  onDurable(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(records: readonly LogAppend[]): Promise<void> {
    if (this.closed) return Promise.reject(new LogUnavailableError('embedded log is closed'));
    if (this.broken !== undefined) return Promise.reject(this.brokenError());
    let bytes = 0;
    for (const record of records) {
      if (typeof record.key !== 'string' || !Buffer.isBuffer(record.value)) {
        return Promise.reject(new TypeError('a log record needs a string key and a Buffer value'));
      }
      const size = frameBytes(record);
      if (size - FRAME_HEADER_BYTES > MAX_BODY_BYTES) {
        return Promise.reject(new RangeError(`a log record may hold at most ${MAX_BODY_BYTES} bytes`));
      }
      bytes += size;
    }
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      // A copy: the caller may reuse its array before the group commit encodes it.
      this.queue.push({ records: [...records], bytes, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.flushing !== undefined) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = undefined;
      // An append may have queued between the loop's last check and here.
      if (this.queue.length > 0) this.kick();
    });
  }

  /** Drains what was appended before, then closes the file. Appends after this reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing !== undefined) await this.flushing;
    await this.fh.close();
    // The end offset of a clean close: if the files are later cut back (a
    // truncated segment, a restored backup), the next open knows exactly
    // how many acknowledged records are missing and never reuses them.
    await writeEndMarker(this.options.dir, this.next).catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'embedded log: writing the end marker failed');
    });
  }

  private brokenError(): LogUnavailableError {
    return new LogUnavailableError('embedded log stopped taking writes after an I/O error; reopen it', {
      cause: this.broken,
    });
  }

  /**
   * Group commit: everything queued while the previous write+fdatasync was
   * in flight goes out in one write and one fdatasync. Never rejects.
   */
  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.broken !== undefined) {
        for (const pending of this.queue.splice(0)) pending.reject(this.brokenError());
        return;
      }
      let bytes = 0;
      let count = 0;
      while (count < this.queue.length) {
        const size = this.queue[count]!.bytes;
        if (count > 0 && bytes + size > this.options.maxWriteBytes) break;
        bytes += size;
        count++;
      }
      const group = this.queue.splice(0, count);
      try {
        await this.writeGroup(group, bytes);
        for (const pending of group) pending.resolve();
      } catch (error) {
        this.options.logger.error({ err: error, records: group.length }, 'embedded log: write failed');
        const rejection =
          error instanceof LogUnavailableError ? error : new LogUnavailableError('embedded log write failed', { cause: error });
        for (const pending of group) pending.reject(rejection);
      }
      for (const listener of this.listeners) {
        try {
          listener();
        } catch (error) {
          this.options.logger.error({ err: error }, 'embedded log: append listener threw');
        }
      }
    }
  }

  private async writeGroup(group: readonly Pending[], bytes: number): Promise<void> {
    if (this.size > SEGMENT_HEADER_BYTES && this.size + bytes > this.options.segmentBytes) await this.roll();
    const records: LogAppend[] = [];
    for (const pending of group) for (const record of pending.records) records.push(record);
    const buf = encodeWrite(records, this.next, bytes);
    const before = this.size;
    try {
      await writeAll(this.fh, buf, before);
    } catch (error) {
      // Nothing of this write was acknowledged: cut it back so that the next
      // write follows the last good one. If even that fails, stop writing.
      await this.fh.truncate(before).catch((truncateError: unknown) => {
        this.broken = truncateError;
      });
      throw error;
    }
    try {
      await this.fh.datasync();
    } catch (error) {
      // After a failed fsync the kernel may have dropped the dirty pages and
      // cleared the error: nothing written since the last good fsync can be
      // trusted, so stop taking writes until the log is reopened (and recovered).
      this.broken = error;
      throw error;
    }
    this.size += bytes;
    this.next += BigInt(records.length);
    this.writes++;
  }

  /** Starts a new segment named after the next offset. The old one is complete and fsync'd. */
  private async roll(): Promise<void> {
    let fh: FileHandle;
    try {
      fh = await createSegment(this.options.dir, this.next);
    } catch (error) {
      // A half-made segment named after `next` would later be taken for the
      // last one; stop writing rather than write on into the old segment.
      this.broken = error;
      throw error;
    }
    const old = this.fh;
    this.fh = fh;
    this.base = this.next;
    this.size = SEGMENT_HEADER_BYTES;
    this.options.logger.debug({ segment: segmentPath(this.options.dir, this.base) }, 'embedded log: rolled segment');
    await old.close().catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'embedded log: closing the previous segment failed');
    });
  }
}

/**
 * The acknowledged offsets past `end`, the intact end of the files: the
 * highest of the end marker of the last clean close and every committed
 * group offset. null when none is past `end`.
 */
async function acknowledgedBeyond(
  dir: string,
  end: bigint,
  committed: readonly { group: string; offset: bigint }[],
): Promise<RecoveryReport['lost']> {
  let best: { offset: bigint; evidence: string } | undefined;
  const marker = await readEndMarker(dir);
  if (marker !== undefined && marker > end) best = { offset: marker, evidence: `the log held ${marker} records when it was last closed` };
  for (const { group, offset } of committed) {
    if (offset > end && (best === undefined || offset > best.offset)) {
      best = { offset, evidence: `consumer group ${group} had committed up to ${offset}` };
    }
  }
  return best === undefined ? null : { from: end, to: best.offset, count: best.offset - end, evidence: best.evidence };
}

/** Creates a segment with its header, durable (file and directory entry) before anything is written to it. */
async function createSegment(dir: string, base: bigint): Promise<FileHandle> {
  // 'w+' truncates: a file with this name can only be left over from a roll that failed.
  const fh = await open(segmentPath(dir, base), 'w+');
  try {
    await writeAll(fh, SEGMENT_HEADER, 0);
    await fh.datasync();
    await fsyncDir(dir);
    return fh;
  } catch (error) {
    await fh.close();
    throw error;
  }
}
