/**
 * Helpers for tests of the event logs and of what sits on them, exported as
 * `@cordon/ingest/testing` (not part of the library: nothing in `src/` imports it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach } from 'vitest';

import type { Logger as EmbeddedLogLogger } from '../src/logger.ts';
import { LogUnavailableError, type EventLog, type LogRecord } from '../src/log/event-log.ts';
import { openEmbeddedLog, type EmbeddedEventLog, type EmbeddedLogOptions } from '../src/log/embedded/embedded-log.ts';

/** Polls `probe` until it returns a truthy value; fails with `message` after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting: ${options.message ?? probe.toString()} (last: ${String(last)})`);
    }
    await delay(options.intervalMs ?? 10);
  }
}

export async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'cordon-embedded-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A fresh folder for each test of the file and the embedded logs opened on
 * it with a short retry backoff; after each test they are closed (close is
 * idempotent, so a test may close one itself first) and the folder removed.
 */
export function useEmbeddedLogFolder() {
  let tmp: { dir: string; remove: () => Promise<void> } | undefined;
  const opened: EmbeddedEventLog[] = [];
  beforeEach(async () => {
    tmp = await makeTempDir();
  });
  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close();
    await tmp?.remove();
  });
  const dir = (): string => {
    if (!tmp) throw new Error('useEmbeddedLogFolder: the folder is made in beforeEach');
    return tmp.dir;
  };
  return {
    get dir(): string {
      return dir();
    },
    async open(options: Partial<EmbeddedLogOptions> = {}): Promise<EmbeddedEventLog> {
      const log = await openEmbeddedLog({ dir: dir(), retryBackoff: { initialMs: 5, maxMs: 50 }, ...options });
      opened.push(log);
      return log;
    },
  };
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

export function captureLogger(): EmbeddedLogLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (fields: Record<string, unknown>, message: string): void => {
      lines.push({ level, fields, message });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * An event log in memory, for tests of what sits on the log (the ingest
 * route) that need no durability: one partition, appends kept in `records`.
 * `unavailable(true)` makes every append reject as a broker or disk that is
 * down does. `consume` is not offered: tests of delivery use the real logs.
 */
export function createMemoryEventLog(): EventLog & { records: LogRecord[]; unavailable(down: boolean): void } {
  const records: LogRecord[] = [];
  let down = false;
  const notHere = (what: string) => Promise.reject(new Error(`the in-memory event log does not ${what}`));
  return {
    kind: 'embedded',
    records,
    unavailable(value) {
      down = value;
    },
    async append(appends) {
      if (down) throw new LogUnavailableError('the in-memory log is set unavailable');
      for (const { key, value } of appends) records.push({ partition: 0, offset: BigInt(records.length), key, value });
    },
    consume: () => notHere('consume'),
    lag: async () => records.length,
    committedOffsets: async () => new Map(),
    rewindGroup: () => notHere('rewind'),
    deadLetter: () => notHere('dead-letter'),
    close: async () => {},
  };
}
