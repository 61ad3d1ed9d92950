/**
 * The embedded log alone (no HTTP, no consumer of ClickHouse): append
 * throughput from 8 concurrent callers of 100-record batches of ~110-byte
 * events, next to a reference measured in the same run on the same disk (the
 * same batches written to one file with an fdatasync after each, which is
 * what a log without group commit would do); then consume throughput, and
 * the time to reopen (the recovery scan of the last segment). Not part of
 * `npm test`; was `packages/ingest/src/log/embedded/throughput.test.ts`.
 *
 *   npm run bench:embedded-log          BENCH_LOG_RECORDS (default 400,000)
 */
import { mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { openEventLog, silentLogger, type LogAppend } from '@cordon/ingest';

const callers = 8;
const batch = 100;
const wanted = Number(process.env['BENCH_LOG_RECORDS'] ?? 400_000);
const perCaller = Math.ceil(wanted / callers / batch);
const records = callers * perCaller * batch;

function value(i: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      type: 'screening',
      region: '410184',
      data: { vehicles: 3 },
    }),
  );
}

function batchAt(caller: number, b: number): LogAppend[] {
  const base = (caller * perCaller + b) * batch;
  return Array.from({ length: batch }, (_, j) => ({ key: '410184', value: value(base + j) }));
}

/** The same batches, from the same 8 callers, each written and fdatasync'd on its own (one file, writes serialised). */
async function fdatasyncPerBatch(dir: string): Promise<number> {
  const file = await open(join(dir, 'reference.bin'), 'a');
  let tail = Promise.resolve();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let b = 0; b < perCaller; b++) {
        const bytes = Buffer.concat(batchAt(c, b).map((r) => r.value));
        const mine = tail.then(async () => {
          await file.write(bytes);
          await file.datasync();
        });
        tail = mine;
        await mine;
      }
    }),
  );
  const ms = performance.now() - started;
  await file.close();
  return ms;
}

async function folderMiB(dir: string): Promise<string> {
  let bytes = 0;
  for (const name of await readdir(dir)) bytes += (await stat(join(dir, name))).size;
  return (bytes / 1024 / 1024).toFixed(1);
}

const dataDir = await mkdtemp(join(tmpdir(), 'cordon-bench-log-'));
try {
  const log = await openEventLog({ kafka: null, dataDir, logger: silentLogger });
  const appendStarted = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let b = 0; b < perCaller; b++) await log.append(batchAt(c, b));
    }),
  );
  const appendMs = performance.now() - appendStarted;

  const readStarted = performance.now();
  let read = 0;
  const consumer = await log.consume({
    groupId: 'bench',
    maxBatchRecords: 5000,
    onBatch: async (b) => {
      read += b.records.length;
    },
  });
  while ((await log.lag('bench')) > 0 || read < records) await delay(5);
  const readMs = performance.now() - readStarted;
  await consumer.stop();
  await log.close();

  const reopenStarted = performance.now();
  const reopened = await openEventLog({ kafka: null, dataDir, logger: silentLogger });
  const reopenMs = performance.now() - reopenStarted;
  const lag = await reopened.lag('bench');
  await reopened.close();
  if (read !== records || lag !== 0) throw new Error(`read ${read} of ${records} records, lag ${lag} after reopening`);

  const referenceMs = await fdatasyncPerBatch(dataDir);
  const perSecond = (ms: number): number => Math.round(records / (ms / 1000));
  console.log(
    [
      `embedded log: ${records} records, ${callers} callers x ${batch}-record appends, ${await folderMiB(join(dataDir, 'log', 'segments'))} MiB of segments`,
      `  append:    ${perSecond(appendMs)} records/s (${Math.round(appendMs)} ms)`,
      `  reference: ${perSecond(referenceMs)} records/s (${Math.round(referenceMs)} ms): one write + fdatasync per batch`,
      `  ratio:     ${(referenceMs / appendMs).toFixed(2)}x the reference (group commit: concurrent appends share one fdatasync)`,
      `  consume:   ${perSecond(readMs)} records/s (${Math.round(readMs)} ms, incl. offset commits)`,
      `  reopen:    ${Math.round(reopenMs)} ms (recovery scan of the last segment)`,
    ].join('\n'),
  );
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
