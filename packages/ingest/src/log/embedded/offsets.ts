/**
 * Committed consumer-group offsets, one small file per group. A commit is
 * atomic and durable: write a temp file, fsync it, rename it over the old
 * one, fsync the folder. A crash leaves either the old or the new offset,
 * never a torn one, and a reader in another process sees one or the other.
 * The offset stored is the next record to deliver (Kafka's convention).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { errorCode, writeFileDurably } from './files.ts';

/** A file-name-safe stem for a group id ('/' and every other special character escaped). */
export function groupStem(groupId: string): string {
  if (typeof groupId !== 'string' || groupId.length === 0) throw new TypeError('groupId must be a non-empty string');
  const stem = encodeURIComponent(groupId).replace(/\*/g, '%2A');
  if (stem.length > 200) throw new RangeError('groupId is too long for the embedded log (200 bytes once escaped)');
  return stem;
}

function offsetFileName(groupId: string): string {
  return `${groupStem(groupId)}.offset`;
}

function offsetPath(groupsDir: string, groupId: string): string {
  return join(groupsDir, offsetFileName(groupId));
}

export function groupLockPath(groupsDir: string, groupId: string): string {
  return join(groupsDir, `${groupStem(groupId)}.lock`);
}

export async function readGroupOffset(groupsDir: string, groupId: string): Promise<bigint | undefined> {
  let text: string;
  try {
    text = await readFile(offsetPath(groupsDir, groupId), 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as { offset?: unknown };
  if (typeof parsed.offset !== 'string' || !/^\d+$/.test(parsed.offset)) {
    throw new Error(`unreadable committed offset for group ${groupId}`);
  }
  return BigInt(parsed.offset);
}

export async function writeGroupOffset(groupsDir: string, groupId: string, offset: bigint): Promise<void> {
  const body = JSON.stringify({ groupId, offset: offset.toString(), committedAt: new Date().toISOString() });
  await writeFileDurably(groupsDir, offsetFileName(groupId), body);
}

/** Every group's committed offset in the folder (the writer's floor on open: see SegmentWriter). */
export async function readAllGroupOffsets(groupsDir: string): Promise<{ group: string; offset: bigint }[]> {
  const groups: { group: string; offset: bigint }[] = [];
  for (const name of await readdir(groupsDir)) {
    if (!name.endsWith('.offset')) continue;
    const group = decodeURIComponent(name.slice(0, -'.offset'.length));
    const offset = await readGroupOffset(groupsDir, group);
    if (offset !== undefined) groups.push({ group, offset });
  }
  return groups;
}
