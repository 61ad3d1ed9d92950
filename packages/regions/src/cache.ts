/**
 * The derived index on disk: one binary file per data version, read back
 * with a single `readFile` and a few typed-array copies (no parsing).
 *
 * Layout (little endian):
 *   0  magic "CORDONRG"          8 bytes
 *   8  format version            u32
 *  12  n (regions)               u32
 *  16  names byte length (UTF-16LE) u32
 *  20  names char length (UTF-16 units, the JS string length) u32
 *  24  CRC-32 of everything after the header (0: not computed) u32
 *  28  reserved                  u32
 *  32  keys        f64 × n
 *      parents     i32 × n
 *      ends        i32 × n
 *      nameOffsets u32 × (n + 1)
 *      names       UTF-16LE (JS strings are UTF-16: no transcoding, and
 *                  smaller than UTF-8 for Chinese)
 *
 * The file is written to a temporary name and renamed into place, so a
 * reader sees a whole file or none; two processes building at once both
 * write the same bytes. A file that fails any check is ignored and rebuilt.
 */
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import * as zlib from 'node:zlib';
import type { RegionIndex } from './region-index.ts';

const MAGIC = 'CORDONRG';
export const CACHE_FORMAT = 2;
const HEADER = 32;

// zlib.crc32 exists from Node 20.15 / 22.2; without it the checksum is skipped.
const crc32: ((data: Uint8Array) => number) | undefined =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (zlib as unknown as { crc32: (data: Uint8Array) => number }).crc32
    : undefined;

export function encodeIndex(index: RegionIndex): Buffer {
  const n = index.keys.length;
  const names = Buffer.from(index.names, 'utf16le');
  const bodyLen = 8 * n + 4 * n + 4 * n + 4 * (n + 1) + names.length;
  const buf = Buffer.alloc(HEADER + bodyLen);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(CACHE_FORMAT, 8);
  buf.writeUInt32LE(n, 12);
  buf.writeUInt32LE(names.length, 16);
  buf.writeUInt32LE(index.names.length, 20);
  let at = HEADER;
  const put = (arr: Float64Array | Int32Array | Uint32Array): void => {
    const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
    buf.set(bytes, at);
    at += bytes.length;
  };
  put(index.keys);
  put(index.parents);
  put(index.ends);
  put(index.nameOffsets);
  buf.set(names, at);
  buf.writeUInt32LE(crc32 ? crc32(buf.subarray(HEADER)) >>> 0 : 0, 24);
  return buf;
}

/** The index stored in `buf`, or `undefined` if the bytes are not a complete, intact index. */
export function decodeIndex(buf: Buffer): RegionIndex | undefined {
  if (buf.length < HEADER || buf.toString('latin1', 0, 8) !== MAGIC) return undefined;
  if (buf.readUInt32LE(8) !== CACHE_FORMAT) return undefined;
  const n = buf.readUInt32LE(12);
  const nameBytes = buf.readUInt32LE(16);
  const nameChars = buf.readUInt32LE(20);
  const sum = buf.readUInt32LE(24);
  if (buf.length !== HEADER + 20 * n + 4 + nameBytes) return undefined;
  if (sum !== 0 && crc32 && crc32(buf.subarray(HEADER)) >>> 0 !== sum) return undefined;
  // Copy out of the file buffer: typed arrays need aligned offsets, and the
  // copies let the (larger) file buffer be collected.
  let at = HEADER;
  const take = (bytes: number): ArrayBuffer => {
    const ab = new ArrayBuffer(bytes);
    new Uint8Array(ab).set(buf.subarray(at, at + bytes));
    at += bytes;
    return ab;
  };
  const keys = new Float64Array(take(8 * n));
  const parents = new Int32Array(take(4 * n));
  const ends = new Int32Array(take(4 * n));
  const nameOffsets = new Uint32Array(take(4 * (n + 1)));
  const names = buf.toString('utf16le', at, at + nameBytes);
  if (names.length !== nameChars || nameOffsets[n] !== nameChars) return undefined;
  return { keys, parents, ends, nameOffsets, names };
}

export function cacheFileName(fingerprint: string): string {
  const hash = createHash('sha256').update(`${CACHE_FORMAT};${fingerprint}`).digest('hex').slice(0, 16);
  return `regions-v${CACHE_FORMAT}-${hash}.bin`;
}

/** Candidate cache folders, in order: `node_modules/.cache/cordon-regions`, then the OS temp folder. */
export function defaultCacheDirs(chinaDivisionDir: string): string[] {
  const dirs: string[] = [];
  const parent = path.dirname(chinaDivisionDir);
  if (path.basename(parent) === 'node_modules') dirs.push(path.join(parent, '.cache', 'cordon-regions'));
  dirs.push(path.join(os.tmpdir(), 'cordon-regions'));
  return dirs;
}

export async function readCachedIndex(file: string): Promise<RegionIndex | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch {
    return undefined;
  }
  return decodeIndex(buf);
}

/** Writes atomically; returns false (and leaves no partial file) when the folder is not writable. */
export async function writeCachedIndex(file: string, index: RegionIndex): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tmp, encodeIndex(index));
    await rename(tmp, file);
    return true;
  } catch {
    await unlink(tmp).catch(() => undefined);
    return false;
  }
}
