/**
 * Crash safety: a child process appends in a loop and prints each id once
 * its append resolved; it is killed with SIGKILL at a random moment. Every
 * printed (acknowledged) id must then be in the log exactly once, and the log
 * must open cleanly. Repeated in one folder so that later rounds also recover
 * from the earlier crashes, with small segments so that rolls get crashed too.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { afterEach, beforeEach, expect, it } from 'vitest';

import type { LogRecord } from '../src/log/event-log.ts';
import { EmbeddedLogLockedError, openEmbeddedLog } from '../src/log/embedded/embedded-log.ts';
import { makeTempDir, waitFor } from './testing.ts';

const childScript = fileURLToPath(new URL('./kill9-child.ts', import.meta.url));
const SEGMENT_BYTES = 64 * 1024;

let tmp: { dir: string; remove: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(async () => {
  await tmp.remove();
});

const recoveries: string[] = [];

async function readAll(dir: string, groupId: string): Promise<LogRecord[]> {
  const log = await openEmbeddedLog({ dir, segmentBytes: SEGMENT_BYTES });
  try {
    const { recovery } = log;
    if (recovery !== undefined) {
      recoveries.push(`${recovery.droppedBytes} bytes cut, ${Math.round(recovery.millis)} ms`);
    }
    const end = await log.endOffset();
    const records: LogRecord[] = [];
    await log.consume({
      groupId,
      maxBatchRecords: 5000,
      onBatch: async (batch) => {
        records.push(...batch.records);
      },
    });
    await waitFor(() => BigInt(records.length) === end, { timeoutMs: 20_000 });
    return records;
  } finally {
    await log.close();
  }
}

it('keeps every acknowledged record exactly once across kill -9', async () => {
  const acknowledged: string[] = [];
  for (let round = 0; round < 5; round++) {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, tmp.dir, String(SEGMENT_BYTES), `r${round}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const killAfter = 50 + Math.floor(Math.random() * 4000);
    await waitFor(() => stdout.split('\n').length > killAfter || child.exitCode !== null, {
      timeoutMs: 30_000,
      intervalMs: 1,
      message: `child acknowledged ${killAfter} records`,
    });
    expect(child.exitCode, stderr).toBeNull();

    if (round === 0) {
      // The live child holds the writer lock; a reader may still look.
      await expect(openEmbeddedLog({ dir: tmp.dir })).rejects.toBeInstanceOf(EmbeddedLogLockedError);
      const reader = await openEmbeddedLog({ dir: tmp.dir, readOnly: true });
      expect(await reader.lag('nobody')).toBeGreaterThan(0);
      await reader.close();
    }

    child.kill('SIGKILL');
    await closed;
    expect(child.signalCode).toBe('SIGKILL');
    const lines = stdout.split('\n');
    lines.pop(); // an unterminated last line was not fully printed: not counted
    acknowledged.push(...lines.filter((line) => line !== 'ready'));

    const records = await readAll(tmp.dir, `verify-${round}`);
    const counts = new Map<string, number>();
    for (const record of records) {
      const { id } = JSON.parse(record.value.toString()) as { id: string };
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const missing = acknowledged.filter((id) => counts.get(id) !== 1);
    expect(missing, `round ${round}: acknowledged ids missing or doubled`).toEqual([]);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(records.map((r) => r.offset)).toEqual(records.map((_, i) => BigInt(i)));
  }
  expect(acknowledged.length).toBeGreaterThan(250);
  console.log(`kill -9: ${acknowledged.length} acknowledged ids kept; recoveries: ${recoveries.join('; ')}`);
}, 120_000);
