/**
 * Reading segment files: listing them, walking frames forward from a byte
 * position, and the rule that makes a write all-or-nothing for readers:
 * a record is visible only once the COMMIT frame of its write has been read.
 * Readers in other processes see a write while it is being copied into the
 * page cache; holding back everything after the last COMMIT hides the partial
 * write, and it is exactly what recovery keeps after a crash.
 */
import type { FileHandle } from 'node:fs/promises';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import {
  FLAG_COMMIT,
  FRAME_HEADER_BYTES,
  FRAME_MAGIC_BYTES,
  MAX_BODY_BYTES,
  SEGMENT_HEADER,
  SEGMENT_HEADER_BYTES,
  decodeFrame,
  parseSegmentFileName,
  segmentFileName,
} from './format.ts';

/** A byte position in a segment and the offset of the record that starts there. */
export interface Position {
  pos: number;
  offset: bigint;
}

export interface ReadRecord {
  offset: bigint;
  key: string;
  value: Buffer;
}

export interface ReadResult {
  /** Records covered by a COMMIT, at most maxRecords (empty unless collect). */
  records: ReadRecord[];
  /** Where the next read starts: just after the last record counted. */
  next: Position;
  /** The last COMMIT boundary seen (at or after `next`). */
  committed: Position;
  /** Why the walk stopped: the record budget, the end of the bytes, or a frame that does not decode. */
  stop: 'limit' | 'end' | 'invalid';
  /** Where an invalid frame starts, and why (stop === 'invalid'). */
  invalidAt?: number;
  reason?: string;
}

export class EmbeddedLogCorruptError extends Error {
  readonly retriable = false;
  readonly file: string;
  readonly position: number;
  constructor(message: string, file: string, position: number) {
    super(`${message} (${file} at byte ${position})`);
    this.name = 'EmbeddedLogCorruptError';
    this.file = file;
    this.position = position;
  }
}

export async function listSegments(dir: string): Promise<bigint[]> {
  const bases: bigint[] = [];
  for (const name of await readdir(dir)) {
    const base = parseSegmentFileName(name);
    if (base !== undefined) bases.push(base);
  }
  return bases.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function segmentPath(dir: string, base: bigint): string {
  return join(dir, segmentFileName(base));
}

/**
 * Opens a segment for reading and checks its file header. A file shorter
 * than the header is a segment being created (or torn at creation): it reads
 * as empty.
 */
export async function openSegmentForRead(path: string): Promise<FileHandle> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(SEGMENT_HEADER_BYTES);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    if (bytesRead === head.length && !head.equals(SEGMENT_HEADER)) {
      throw new EmbeddedLogCorruptError('not an embedded log segment (bad file header)', path, 0);
    }
    return fh;
  } catch (error) {
    await fh.close();
    throw error;
  }
}

type StreamResult =
  | { kind: 'frame'; flags: number; offset: bigint; key: string; value: Buffer; start: number; end: number }
  | { kind: 'end' }
  | { kind: 'invalid'; at: number; reason: string };

/** Frames forward from a byte position, read in chunks. One use, then dropped. */
class FrameStream {
  private buf = Buffer.alloc(0);
  private bufPos: number;
  private at = 0;
  private eof = false;

  constructor(
    private readonly fh: FileHandle,
    pos: number,
    private readonly chunkBytes: number,
  ) {
    this.bufPos = pos;
  }

  private get position(): number {
    return this.bufPos + this.at;
  }

  async next(): Promise<StreamResult> {
    for (;;) {
      const result = decodeFrame(this.buf, this.at);
      if (result.kind === 'frame') {
        const start = this.position;
        this.at += result.bytes;
        const { flags, offset, key, value } = result.frame;
        return { kind: 'frame', flags, offset, key, value, start, end: this.position };
      }
      if (result.kind === 'invalid') return { kind: 'invalid', at: this.position, reason: result.reason };
      if (this.eof) return { kind: 'end' };
      await this.fill(result.needBytes);
    }
  }

  private async fill(needBytes: number): Promise<void> {
    // A fresh buffer each time: values handed out earlier are views into the old one.
    const rest = this.buf.subarray(this.at);
    const size = Math.max(needBytes, this.chunkBytes, rest.length);
    const next = Buffer.allocUnsafe(size);
    rest.copy(next, 0);
    const want = size - rest.length;
    const { bytesRead } = await this.fh.read(next, rest.length, want, this.position + rest.length);
    if (bytesRead < want) this.eof = true;
    this.bufPos = this.position;
    this.at = 0;
    this.buf = next.subarray(0, rest.length + bytesRead);
  }
}

export interface ReadOptions {
  /** At most this many records are counted (Infinity to walk to the end). */
  maxRecords: number;
  /** Copy the records out (a consumer), or only walk (positioning, recovery, lag). */
  collect: boolean;
  chunkBytes?: number;
}

/**
 * Walks frames from `from` and returns the records covered by a COMMIT.
 * Stops at the record budget, at the end of the readable bytes, or at a frame
 * that does not decode (torn, corrupt, or not yet fully written by another
 * process: the caller decides which, this function only reports).
 */
export async function readCommitted(fh: FileHandle, from: Position, options: ReadOptions): Promise<ReadResult> {
  const stream = new FrameStream(fh, from.pos, options.chunkBytes ?? 256 * 1024);
  const records: ReadRecord[] = [];
  let pending: ReadRecord[] = [];
  let taken = 0; // records counted so far, committed or not
  let takenEnd = from; // position after the last record counted
  let next = from;
  let committed = from;
  let expected = from.offset;
  let committedCount = 0;
  for (;;) {
    if (committedCount >= options.maxRecords) return { records, next, committed, stop: 'limit' };
    const result = await stream.next();
    if (result.kind === 'end') return { records, next, committed, stop: 'end' };
    if (result.kind === 'invalid') {
      return { records, next, committed, stop: 'invalid', invalidAt: result.at, reason: result.reason };
    }
    if (result.offset !== expected) {
      const reason = `offset ${result.offset} where ${expected} was expected`;
      return { records, next, committed, stop: 'invalid', invalidAt: result.start, reason };
    }
    expected++;
    if (taken < options.maxRecords) {
      taken++;
      takenEnd = { pos: result.end, offset: expected };
      if (options.collect) {
        pending.push({ offset: result.offset, key: result.key, value: Buffer.from(result.value) });
      }
    }
    if ((result.flags & FLAG_COMMIT) !== 0) {
      committed = { pos: result.end, offset: expected };
      next = takenEnd;
      committedCount = taken;
      if (options.collect) {
        for (const record of pending) records.push(record);
        pending = [];
      }
    }
  }
}

/** Reads one frame at an exact position with positional reads (recovery's resync scan). */
async function frameAt(fh: FileHandle, pos: number, size: number): Promise<{ batchFirst: bigint; offset: bigint } | undefined> {
  if (pos + FRAME_HEADER_BYTES > size) return undefined;
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  await fh.read(header, 0, FRAME_HEADER_BYTES, pos);
  const bodyLength = header.readUInt32LE(4);
  if (bodyLength > MAX_BODY_BYTES || pos + FRAME_HEADER_BYTES + bodyLength > size) return undefined;
  const frame = Buffer.alloc(FRAME_HEADER_BYTES + bodyLength);
  await fh.read(frame, 0, frame.length, pos);
  const result = decodeFrame(frame, 0);
  return result.kind === 'frame' ? { batchFirst: result.frame.batchFirst, offset: result.frame.offset } : undefined;
}

/**
 * Looks in [from, size) for an intact frame of a write that began after
 * `nextOffset`. Writes are serialised and each is fsync'd before the next
 * begins, so such a frame proves that the write at `from` completed and was
 * fsync'd: damage there is corruption of acknowledged data, not a torn tail.
 */
export async function findLaterWrite(
  fh: FileHandle,
  from: number,
  size: number,
  nextOffset: bigint,
): Promise<{ pos: number; batchFirst: bigint } | undefined> {
  const chunkBytes = 1024 * 1024;
  const overlap = FRAME_MAGIC_BYTES.length - 1;
  const chunk = Buffer.allocUnsafe(chunkBytes);
  for (let start = from; start < size; start += chunkBytes - overlap) {
    const { bytesRead } = await fh.read(chunk, 0, Math.min(chunkBytes, size - start), start);
    const view = chunk.subarray(0, bytesRead);
    for (let i = view.indexOf(FRAME_MAGIC_BYTES); i !== -1; i = view.indexOf(FRAME_MAGIC_BYTES, i + 1)) {
      const frame = await frameAt(fh, start + i, size);
      if (frame !== undefined && frame.batchFirst > nextOffset) return { pos: start + i, batchFirst: frame.batchFirst };
    }
    if (start + bytesRead >= size) break;
  }
  return undefined;
}
