/**
 * Salvage of a damaged embedded log (`npm run log:repair -- <log folder>`),
 * for what recovery on open refuses to do silently: a record damaged in the
 * middle of a segment, or a finished segment cut short.
 *
 * Every segment is read whole; where a frame does not decode, the walk
 * resyncs at the next frame that does (the magic never occurs in UTF-8 and
 * every frame carries a CRC, so a false start is rejected). A frame is kept
 * when its write is proven complete: its COMMIT frame is intact, or a later
 * write follows (writes are serialised, each fsync'd before the next, so a
 * later write proves the earlier one was acknowledged). Frames of the last
 * write without a COMMIT are the torn write of a crash, never acknowledged,
 * and are dropped as recovery would.
 *
 * The kept records are written, with their offsets, into new segments, one
 * per run of consecutive offsets, with a gap file before each missing range:
 * consumers step over exactly those offsets (reported here by offset) and no
 * offset is reused. The old folder is kept beside it as
 * `segments.damaged-<time>`.
 */
import { copyFile, mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { silentLogger } from '../../logger.ts';
import type { Logger } from '../../logger.ts';
import { fsyncDir, writeAll } from './files.ts';
import {
  FLAG_COMMIT,
  FRAME_MAGIC_BYTES,
  SEGMENT_HEADER,
  SEGMENT_HEADER_BYTES,
  decodeFrame,
  encodeWrite,
  frameBytes,
  parseSegmentFileName,
  segmentFileName,
} from './format.ts';
import { readGap, writeGap } from './known-ends.ts';
import { acquireLock } from './lock-file.ts';

export interface RepairReport {
  dir: string;
  dryRun: boolean;
  /** Records kept, with their offsets. */
  kept: number;
  /** Offsets no intact record holds, in ranges [from, to]; `recorded`: a gap file already said so. */
  missing: { from: bigint; to: bigint; count: bigint; recorded: boolean }[];
  /** Byte ranges that did not decode, per segment file. */
  damagedBytes: { segment: string; from: number; to: number }[];
  /** Records of a torn last write (no COMMIT, nothing after it): never acknowledged, dropped. */
  tornRecords: number;
  /** Whether the folder was rewritten (false when nothing was wrong, or on a dry run). */
  rewritten: boolean;
  /** Where the old segments were moved. */
  backup: string | null;
}

interface Salvaged {
  offset: bigint;
  batchFirst: bigint;
  flags: number;
  key: string;
  value: Buffer;
}

/** Walks one segment file, resyncing past bytes that do not decode. */
function salvageSegment(name: string, buf: Buffer, damaged: RepairReport['damagedBytes']): Salvaged[] {
  const frames: Salvaged[] = [];
  if (buf.length < SEGMENT_HEADER_BYTES || !buf.subarray(0, SEGMENT_HEADER_BYTES).equals(SEGMENT_HEADER)) {
    if (buf.length > 0) damaged.push({ segment: name, from: 0, to: Math.min(buf.length, SEGMENT_HEADER_BYTES) });
  }
  let pos = SEGMENT_HEADER_BYTES;
  while (pos < buf.length) {
    const result = decodeFrame(buf, pos);
    if (result.kind === 'frame') {
      const { offset, batchFirst, flags, key, value } = result.frame;
      frames.push({ offset, batchFirst, flags, key, value: Buffer.from(value) });
      pos += result.bytes;
      continue;
    }
    let next = buf.indexOf(FRAME_MAGIC_BYTES, pos + 1);
    while (next !== -1 && decodeFrame(buf, next).kind !== 'frame') next = buf.indexOf(FRAME_MAGIC_BYTES, next + 1);
    damaged.push({ segment: name, from: pos, to: next === -1 ? buf.length : next });
    if (next === -1) break;
    pos = next;
  }
  return frames;
}

export async function repairEmbeddedLog(options: { dir: string; dryRun?: boolean; logger?: Logger }): Promise<RepairReport> {
  const dir = resolve(options.dir);
  const logger = options.logger ?? silentLogger;
  const segmentsDir = join(dir, 'segments');
  // The writer's lock: repairing under a running server would race its appends.
  const lock = await acquireLock(join(dir, 'LOCK'), `embedded log ${dir} (repair)`, logger);
  try {
    const names = (await readdir(segmentsDir)).filter((n) => parseSegmentFileName(n) !== undefined).sort();
    const damagedBytes: RepairReport['damagedBytes'] = [];
    const all: Salvaged[] = [];
    for (const name of names) all.push(...salvageSegment(join(segmentsDir, name), await readFile(join(segmentsDir, name)), damagedBytes));
    const firstBase = names.length > 0 ? parseSegmentFileName(names[0]!)! : 0n;

    const committedWrites = new Set<bigint>();
    let lastWrite = -1n;
    for (const f of all) {
      if ((f.flags & FLAG_COMMIT) !== 0) committedWrites.add(f.batchFirst);
      if (f.batchFirst > lastWrite) lastWrite = f.batchFirst;
    }
    const kept: Salvaged[] = [];
    let tornRecords = 0;
    for (const f of all) {
      const proven = committedWrites.has(f.batchFirst) || f.batchFirst < lastWrite;
      if (!proven) {
        tornRecords++;
        continue;
      }
      // Strictly increasing: a frame copied to a wrong place cannot come back as a duplicate.
      if (kept.length > 0 && f.offset <= kept[kept.length - 1]!.offset) continue;
      kept.push(f);
    }

    const runs: Salvaged[][] = [];
    for (const f of kept) {
      const run = runs[runs.length - 1];
      if (run !== undefined && run[run.length - 1]!.offset + 1n === f.offset) run.push(f);
      else runs.push([f]);
    }
    const missing: RepairReport['missing'] = [];
    let expected = firstBase;
    for (const run of runs) {
      const start = run[0]!.offset;
      if (start > expected) {
        const recorded = (await readGap(segmentsDir, start))?.from === expected;
        missing.push({ from: expected, to: start - 1n, count: start - expected, recorded });
      }
      expected = run[run.length - 1]!.offset + 1n;
    }

    const needed = damagedBytes.length > 0 || tornRecords > 0 || missing.some((m) => !m.recorded);
    const report: RepairReport = {
      dir,
      dryRun: options.dryRun === true,
      kept: kept.length,
      missing,
      damagedBytes,
      tornRecords,
      rewritten: false,
      backup: null,
    };
    if (!needed || options.dryRun === true) return report;

    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const fresh = join(dir, `segments.repair-${stamp}`);
    await mkdir(fresh);
    for (const run of runs) {
      const fh = await open(join(fresh, segmentFileName(run[0]!.offset)), 'w');
      try {
        await writeAll(fh, SEGMENT_HEADER, 0);
        let at = SEGMENT_HEADER_BYTES;
        // Writes of up to 1000 records, each ending in a COMMIT frame: every kept record is committed.
        for (let i = 0; i < run.length; i += 1000) {
          const chunk = run.slice(i, i + 1000);
          const bytes = chunk.reduce((sum, r) => sum + frameBytes(r), 0);
          const buf = encodeWrite(chunk, chunk[0]!.offset, bytes);
          await writeAll(fh, buf, at);
          at += buf.length;
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    let previousEnd = firstBase;
    for (const run of runs) {
      const start = run[0]!.offset;
      if (start > previousEnd) await writeGap(fresh, { from: previousEnd, to: start, reason: 'damaged (npm run log:repair)' });
      previousEnd = run[run.length - 1]!.offset + 1n;
    }
    // The end marker stays: it is the floor that keeps offsets from being reused.
    await copyFile(join(segmentsDir, 'end.json'), join(fresh, 'end.json')).catch(() => undefined);
    if (runs.length === 0) {
      // Nothing intact: an empty log that still starts after what was handed out.
      const fh = await open(join(fresh, segmentFileName(previousEnd)), 'w');
      await writeAll(fh, SEGMENT_HEADER, 0);
      await fh.sync();
      await fh.close();
    }
    await fsyncDir(fresh);
    const backup = join(dir, `segments.damaged-${stamp}`);
    await rename(segmentsDir, backup);
    await rename(fresh, segmentsDir);
    await fsyncDir(dir);
    logger.warn({ dir, kept: kept.length, missing: missing.length, backup }, 'embedded log repaired');
    return { ...report, rewritten: true, backup };
  } finally {
    await lock.release();
  }
}
