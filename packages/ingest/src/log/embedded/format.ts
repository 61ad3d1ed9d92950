/**
 * On-disk format of the embedded log. One folder of segment files per log,
 * each named after the offset of its first record, each a file header then
 * frames:
 *
 *   frame  = magic u32be | bodyLength u32le | crc32(body) u32le | body
 *   body   = flags u8 | offset u64le | batchFirst u64le | keyLength u32le | key utf8 | value
 *
 * `offset` is the record number (checked on read, so a frame copied to the
 * wrong place is caught), `batchFirst` the offset of the first record of the
 * write it was part of, and the COMMIT flag marks the last record of a write.
 * A write is one group commit: one write(2), then one fdatasync. Readers
 * deliver only records followed by a COMMIT frame, and recovery cuts the tail
 * back to the last COMMIT, so a write is all-or-nothing. `batchFirst` lets
 * recovery tell a torn last write (allowed after a crash) from a damaged
 * older write (never allowed to be cut away silently): see recoverTail.
 *
 * The magic begins with 0xC5 0xD0, which is not valid UTF-8, so it cannot
 * occur inside JSON payloads; that keeps the resync scan of recovery cheap.
 */
import { crc32 } from './crc32.ts';

export const SEGMENT_HEADER = Buffer.from('CRDLOG1\n', 'latin1');
export const SEGMENT_HEADER_BYTES = SEGMENT_HEADER.length;

export const FRAME_MAGIC = 0xc5d04c31;
export const FRAME_MAGIC_BYTES = Buffer.from([0xc5, 0xd0, 0x4c, 0x31]);
export const FRAME_HEADER_BYTES = 12;
export const BODY_FIXED_BYTES = 1 + 8 + 8 + 4;
/** Largest body accepted, on write and as a sanity bound on read. */
export const MAX_BODY_BYTES = 128 * 1024 * 1024;

export const FLAG_COMMIT = 1;

export interface Frame {
  flags: number;
  offset: bigint;
  batchFirst: bigint;
  key: string;
  /** A view into the read buffer: copy it before keeping it. */
  value: Buffer;
}

export type DecodeResult =
  { kind: 'frame'; frame: Frame; bytes: number } | { kind: 'incomplete'; needBytes: number } | { kind: 'invalid'; reason: string };

export interface EncodableRecord {
  key: string;
  value: Buffer;
}

export function frameBytes(record: EncodableRecord): number {
  return FRAME_HEADER_BYTES + BODY_FIXED_BYTES + Buffer.byteLength(record.key, 'utf8') + record.value.length;
}

/**
 * Encodes one write: consecutive offsets from `firstOffset`, COMMIT on the
 * last frame. `totalBytes` must be the sum of frameBytes of the records.
 */
export function encodeWrite(records: readonly EncodableRecord[], firstOffset: bigint, totalBytes: number): Buffer {
  const buf = Buffer.allocUnsafe(totalBytes);
  let at = 0;
  let offset = firstOffset;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const bodyStart = at + FRAME_HEADER_BYTES;
    let p = bodyStart;
    buf.writeUInt8(i === records.length - 1 ? FLAG_COMMIT : 0, p);
    p += 1;
    buf.writeBigUInt64LE(offset, p);
    p += 8;
    buf.writeBigUInt64LE(firstOffset, p);
    p += 8;
    const keyBytes = buf.write(record.key, p + 4, 'utf8');
    buf.writeUInt32LE(keyBytes, p);
    p += 4 + keyBytes;
    p += record.value.copy(buf, p);
    const bodyLength = p - bodyStart;
    buf.writeUInt32BE(FRAME_MAGIC, at);
    buf.writeUInt32LE(bodyLength, at + 4);
    buf.writeUInt32LE(crc32(buf.subarray(bodyStart, p)), at + 8);
    at = p;
    offset++;
  }
  if (at !== totalBytes) throw new Error(`encodeWrite: expected ${totalBytes} bytes, wrote ${at}`);
  return buf;
}

/** Decodes the frame starting at `at`; never throws on bad bytes. */
export function decodeFrame(buf: Buffer, at: number): DecodeResult {
  const available = buf.length - at;
  if (available < FRAME_HEADER_BYTES) return { kind: 'incomplete', needBytes: FRAME_HEADER_BYTES };
  if (buf.readUInt32BE(at) !== FRAME_MAGIC) return { kind: 'invalid', reason: 'bad magic' };
  const bodyLength = buf.readUInt32LE(at + 4);
  if (bodyLength < BODY_FIXED_BYTES || bodyLength > MAX_BODY_BYTES) {
    return { kind: 'invalid', reason: `bad length ${bodyLength}` };
  }
  const total = FRAME_HEADER_BYTES + bodyLength;
  if (available < total) return { kind: 'incomplete', needBytes: total };
  const bodyStart = at + FRAME_HEADER_BYTES;
  const body = buf.subarray(bodyStart, bodyStart + bodyLength);
  if (crc32(body) !== buf.readUInt32LE(at + 8)) return { kind: 'invalid', reason: 'crc mismatch' };
  const flags = body.readUInt8(0);
  const offset = body.readBigUInt64LE(1);
  const batchFirst = body.readBigUInt64LE(9);
  const keyLength = body.readUInt32LE(17);
  if (BODY_FIXED_BYTES + keyLength > bodyLength || batchFirst > offset) {
    return { kind: 'invalid', reason: 'inconsistent body' };
  }
  const key = body.toString('utf8', BODY_FIXED_BYTES, BODY_FIXED_BYTES + keyLength);
  const value = body.subarray(BODY_FIXED_BYTES + keyLength);
  return { kind: 'frame', frame: { flags, offset, batchFirst, key, value }, bytes: total };
}

const SEGMENT_NAME = /^(\d{20})\.log$/;

export function segmentFileName(baseOffset: bigint): string {
  return `${baseOffset.toString().padStart(20, '0')}.log`;
}

export function parseSegmentFileName(name: string): bigint | undefined {
  const match = SEGMENT_NAME.exec(name);
  return match?.[1] === undefined ? undefined : BigInt(match[1]);
}
