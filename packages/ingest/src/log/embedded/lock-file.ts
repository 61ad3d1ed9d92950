/**
 * Pid lock files: one writer per log folder, one consumer per group.
 *
 * The lock is created complete with link(2) from a temp file, which fails
 * atomically when the lock exists, so nobody ever reads a half-written lock.
 * A lock whose process is gone (no such pid, a zombie, or another boot) is
 * stale and taken over. Locks held in this process are tracked here, so a
 * stale lock that happens to carry our own pid (pid 1 in a container, after a
 * restart) is told apart from a second instance in this process.
 */
import { randomUUID } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';

import { errorCode } from './files.ts';
import type { Logger as EmbeddedLogLogger } from '../../logger.ts';

export class EmbeddedLogLockedError extends Error {
  readonly retriable = false;
  readonly code = 'EMBEDDED_LOG_LOCKED';
  readonly path: string;
  readonly holderPid: number | undefined;
  constructor(message: string, path: string, holderPid: number | undefined) {
    super(message);
    this.name = 'EmbeddedLogLockedError';
    this.path = path;
    this.holderPid = holderPid;
  }
}

interface LockContent {
  pid: number;
  bootId: string | null;
  token: string;
  createdAt: string;
}

export interface HeldLock {
  readonly path: string;
  release(): Promise<void>;
}

/** path -> token of the locks this process holds. */
const heldHere = new Map<string, string>();

let bootIdCache: string | null | undefined;
async function bootId(): Promise<string | null> {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
    } catch {
      bootIdCache = null;
    }
  }
  return bootIdCache;
}

async function readLock(path: string): Promise<LockContent | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockContent>;
    if (typeof parsed.pid !== 'number' || typeof parsed.token !== 'string') return 'unreadable';
    return { pid: parsed.pid, bootId: parsed.bootId ?? null, token: parsed.token, createdAt: parsed.createdAt ?? '' };
  } catch {
    return 'unreadable';
  }
}

async function isAlive(path: string, lock: LockContent): Promise<boolean> {
  const currentBoot = await bootId();
  if (lock.bootId !== null && currentBoot !== null && lock.bootId !== currentBoot) return false;
  if (lock.pid === process.pid) return heldHere.get(path) === lock.token;
  try {
    process.kill(lock.pid, 0);
  } catch (error) {
    if (errorCode(error) === 'ESRCH') return false;
    // EPERM: it exists, owned by someone else.
  }
  try {
    // Killed but not yet reaped by its parent: dead for our purposes.
    const stat = await readFile(`/proc/${lock.pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
  } catch {
    // No /proc (not Linux) or it just exited: trust kill(0).
  }
  return true;
}

export async function acquireLock(path: string, what: string, logger: EmbeddedLogLogger): Promise<HeldLock> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const content: LockContent = {
      pid: process.pid,
      bootId: await bootId(),
      token: randomUUID(),
      createdAt: new Date().toISOString(),
    };
    const temp = `${path}.${process.pid}.${content.token}.tmp`;
    await writeFile(temp, JSON.stringify(content));
    let linked = false;
    try {
      await link(temp, path);
      linked = true;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    if (linked) {
      heldHere.set(path, content.token);
      return {
        path,
        release: async () => {
          if (heldHere.get(path) !== content.token) return;
          heldHere.delete(path);
          const current = await readLock(path);
          if (typeof current === 'object' && current.token === content.token) {
            await unlink(path).catch(() => undefined);
          }
        },
      };
    }
    const existing = await readLock(path);
    if (existing === 'missing') continue;
    if (existing !== 'unreadable' && (await isAlive(path, existing))) {
      const who = existing.pid === process.pid ? 'another instance in this process' : `process ${existing.pid}`;
      throw new EmbeddedLogLockedError(`${what} is locked by ${who} (${path})`, path, existing.pid);
    }
    logger.warn({ path, stalePid: existing === 'unreadable' ? undefined : existing.pid }, `taking over stale lock of ${what}`);
    // Two processes taking over the same stale lock at once can both unlink;
    // link() below still lets only one of them create the new lock, unless
    // the second unlink lands between the first's link and its return (see
    // README, Limitations).
    await unlink(path).catch((error: unknown) => {
      if (errorCode(error) !== 'ENOENT') throw error;
    });
  }
  throw new EmbeddedLogLockedError(`could not take the lock of ${what} (${path})`, path, undefined);
}
