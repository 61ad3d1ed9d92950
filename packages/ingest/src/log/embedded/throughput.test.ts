/**
 * Throughput and recovery time, printed, not asserted (targets live in
 * bench/ as ratios). 8 concurrent callers append 100-record batches of
 * ~110-byte events; then the log is reopened, which scans the last segment.
 */
import { stat } from 'node:fs/promises';

import { afterEach, beforeEach, expect, it } from 'vitest';

import { openEmbeddedLog } from './embedded-log.ts';
import { makeTempDir, waitFor } from './test-helpers.ts';

let tmp: { dir: string; remove: () => Promise<void> };
beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(async () => {
  await tmp.remove();
});

it('prints append throughput and recovery time', async () => {
  const callers = 8;
  const batch = 100;
  const total = Number(process.env['EMBEDDED_LOG_BENCH_RECORDS'] ?? 400_000);
  const perCaller = Math.ceil(total / callers / batch);
  const log = await openEmbeddedLog({ dir: tmp.dir });
  const value = (i: number): Buffer =>
    Buffer.from(
      JSON.stringify({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 'screening', region: '410184', data: { vehicles: 3 } }),
    );
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let b = 0; b < perCaller; b++) {
        const base = (c * perCaller + b) * batch;
        await log.append(Array.from({ length: batch }, (_, j) => ({ key: '410184', value: value(base + j) })));
      }
    }),
  );
  const appendMs = performance.now() - started;
  const records = callers * perCaller * batch;

  const readStarted = performance.now();
  let read = 0;
  const consumer = await log.consume({
    groupId: 'bench',
    maxBatchRecords: 5000,
    onBatch: async (b) => {
      read += b.records.length;
    },
  });
  await waitFor(() => read === records, { timeoutMs: 60_000 });
  const readMs = performance.now() - readStarted;
  await consumer.stop();
  await log.close();

  const reopenStarted = performance.now();
  const reopened = await openEmbeddedLog({ dir: tmp.dir });
  const reopenMs = performance.now() - reopenStarted;
  expect(await reopened.endOffset()).toBe(BigInt(records));
  const segmentMiB = ((await stat(reopened.recovery?.segment ?? '')).size / 1024 / 1024).toFixed(1);
  await reopened.close();

  console.log(
    [
      `embedded log: ${records} records, ${callers} callers x ${batch}-record appends`,
      `  append:  ${Math.round(records / (appendMs / 1000))} records/s (${Math.round(appendMs)} ms)`,
      `  consume: ${Math.round(records / (readMs / 1000))} records/s (${Math.round(readMs)} ms, incl. offset commits)`,
      `  reopen:  ${Math.round(reopenMs)} ms (recovery scan of the last segment: ${reopened.recovery?.records} records, ${segmentMiB} MiB)`,
    ].join('\n'),
  );
}, 120_000);
