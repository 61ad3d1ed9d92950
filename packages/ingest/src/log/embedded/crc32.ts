/**
 * CRC-32 (IEEE, the zlib polynomial). node:zlib has a native `crc32` since
 * Node 20.15 / 22.2; older Node 20 releases get a table implementation with
 * the same results, so segments written by either read back on the other.
 */
import * as zlib from 'node:zlib';

type Crc32Fn = (data: Uint8Array, value?: number) => number;

const native = (zlib as { crc32?: Crc32Fn }).crc32;

let table: Uint32Array | undefined;

function tableCrc32(data: Uint8Array, value = 0): number {
  if (table === undefined) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  const t = table;
  let crc = (value ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) {
    crc = (t[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8)) >>> 0;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export const crc32: Crc32Fn = typeof native === 'function' ? native : tableCrc32;

/** Exposed for the test that checks both implementations agree. */
export const crc32Table: Crc32Fn = tableCrc32;
