import { randomUUID } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes all of `buf` at `position`, looping over short writes. */
export async function writeAll(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done, position + done);
    if (bytesWritten <= 0) throw new Error('write made no progress');
    done += bytesWritten;
  }
}

/**
 * fsyncs a directory, which makes the entries created, renamed or removed in
 * it durable (a new file's data being fsync'd does not make its name durable).
 */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Replaces `dir/name` with `body` so that a crash leaves either the old file
 * or the new one, whole: written to a unique temporary file, fsync'd, renamed
 * over the target, then the directory fsync'd so the rename itself survives.
 */
export async function writeFileDurably(dir: string, name: string, body: string): Promise<void> {
  const target = join(dir, name);
  const temp = `${target}.${process.pid}.${randomUUID()}.tmp`;
  const fh = await open(temp, 'w');
  try {
    await fh.writeFile(body, 'utf8');
    await fh.sync();
  } catch (error) {
    await fh.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fh.close();
  try {
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fsyncDir(dir);
}

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
