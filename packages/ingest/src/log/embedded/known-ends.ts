/**
 * What the log knows about the offsets it has handed out, beside the
 * segments themselves, so that a log cut back (a truncated file, a restored
 * backup, a repair) never hands out an offset again:
 *
 *   segments/end.json        the durable end offset at the last clean close
 *   segments/<base>.gap      offsets [from, base) that the log lost; the
 *                            segment <base>.log follows the gap
 *
 * Offsets only grow, so an old end marker is never too high: it is a safe
 * floor even when later writes followed it (a crash then leaves it stale,
 * lower than the true end, never above it).
 *
 * A gap file is what lets a consumer step over missing offsets: without one,
 * a finished segment that ends before the next segment's base is damage and
 * the consumer stops there (see consumer.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { errorCode, writeFileDurably } from './files.ts';

export interface Gap {
  /** First lost offset; the gap ends where the segment named after the gap file begins. */
  from: bigint;
  to: bigint;
  reason: string;
}

const END_MARKER = 'end.json';

function gapName(base: bigint): string {
  return `${base.toString().padStart(20, '0')}.gap`;
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as Record<string, unknown>;
}

function offsetField(value: unknown, what: string): bigint {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new Error(`unreadable ${what}`);
  return BigInt(value);
}

export async function readEndMarker(segmentsDir: string): Promise<bigint | undefined> {
  const parsed = await readJson(join(segmentsDir, END_MARKER));
  return parsed === undefined ? undefined : offsetField(parsed['offset'], `end marker in ${segmentsDir}`);
}

export async function writeEndMarker(segmentsDir: string, offset: bigint): Promise<void> {
  await writeFileDurably(segmentsDir, END_MARKER, JSON.stringify({ offset: offset.toString(), closedAt: new Date().toISOString() }));
}

export async function readGap(segmentsDir: string, base: bigint): Promise<Gap | undefined> {
  const parsed = await readJson(join(segmentsDir, gapName(base)));
  if (parsed === undefined) return undefined;
  return { from: offsetField(parsed['from'], 'gap file'), to: base, reason: String(parsed['reason'] ?? '') };
}

/** Records that offsets [gap.from, gap.to) are lost, before the segment named gap.to is created. */
export async function writeGap(segmentsDir: string, gap: Gap): Promise<void> {
  const body = { from: gap.from.toString(), to: gap.to.toString(), reason: gap.reason, at: new Date().toISOString() };
  await writeFileDurably(segmentsDir, gapName(gap.to), JSON.stringify(body));
}
