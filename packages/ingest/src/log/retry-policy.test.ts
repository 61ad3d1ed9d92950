import { createRequire } from 'node:module';
import { KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffMs, createRetryPolicy, RecordsRejectedError, retriableFlag } from './retry-policy.ts';
import { LogUnavailableError } from './event-log.ts';
import { openEmbeddedLog, readDeadLetters } from './embedded/embedded-log.ts';
import { makeTempDir, waitFor } from '@cordon/ingest/testing';

describe('retry policy (issue 7: every error was retried forever)', () => {
  it('doubles from initialMs up to maxMs', () => {
    expect([0, 1, 2, 3, 4, 5, 60].map((a) => backoffMs(a, { initialMs: 100, maxMs: 1000 }))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000,
    ]);
  });

  it('reads the retriable flag anywhere in the cause chain', () => {
    expect(retriableFlag(new LogUnavailableError('down'))).toBe(true);
    expect(retriableFlag(new Error('wrapped', { cause: new RecordsRejectedError('bad rows') }))).toBe(false);
    expect(retriableFlag(Object.assign(new Error('kafkajs'), { originalError: { retriable: true } }))).toBe(true);
    expect(retriableFlag(new Error('unclassified'))).toBeUndefined();
  });

  it('retries retriable and unclassified errors, dead-letters non-retriable ones', () => {
    const policy = createRetryPolicy({ initialMs: 10, maxMs: 40 });
    expect(policy.decide(new LogUnavailableError('down'), 3)).toEqual({ action: 'retry', delayMs: 40 });
    expect(policy.decide(new Error('who knows'), 0)).toEqual({ action: 'retry', delayMs: 10 });
    expect(policy.decide(new RecordsRejectedError('the rows are wrong'), 0)).toEqual({
      action: 'dead-letter',
      reason: 'the rows are wrong',
    });
    expect(() => createRetryPolicy({ initialMs: 0, maxMs: 10 })).toThrow(RangeError);
  });
});

// kafkajs's own table of broker error codes, as its response decoders use it
// (ListOffsets turns a partition's error code into this error): the error
// lag() met, not one written for the test.
const { createErrorFromCode } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as {
  createErrorFromCode(code: number): Error & { type: string; retriable: boolean };
};
const NOT_LEADER_FOR_PARTITION = 6;

describe('bounded retry of admin reads (issue 11: lag() failed once with "not the leader for that partition")', () => {
  const policy = createRetryPolicy({ initialMs: 1, maxMs: 4 });

  it('asks again after a retriable broker answer, with a fresh client, and returns the answer', async () => {
    const notLeader = createErrorFromCode(NOT_LEADER_FOR_PARTITION);
    expect([notLeader.type, notLeader.message, notLeader.retriable]).toEqual([
      'NOT_LEADER_FOR_PARTITION',
      'This server is not the leader for that topic-partition',
      true,
    ]);
    let runs = 0;
    const dropped: number[] = [];
    const lag = await policy.retrying(
      6,
      async () => {
        runs += 1;
        if (runs <= 2) throw notLeader;
        return 120;
      },
      (_error, attempt) => dropped.push(attempt),
    );
    expect([lag, runs, dropped]).toEqual([120, 3, [0, 1]]);
  });

  it('hands back the last error after the attempts, and an error not flagged retriable at once', async () => {
    let runs = 0;
    const always = () => {
      runs += 1;
      return Promise.reject(createErrorFromCode(NOT_LEADER_FOR_PARTITION));
    };
    await expect(policy.retrying(3, always)).rejects.toThrow('This server is not the leader for that topic-partition');
    expect(runs).toBe(3);
    // kafkajs gave up already (its own retries exhausted): not retried again.
    runs = 0;
    const exhausted = new KafkaJSNumberOfRetriesExceeded(createErrorFromCode(NOT_LEADER_FOR_PARTITION), { retryCount: 5, retryTime: 2000 });
    await expect(policy.retrying(6, () => (runs++, Promise.reject(exhausted)))).rejects.toBe(exhausted);
    expect(runs).toBe(1);
    runs = 0;
    await expect(policy.retrying(6, () => (runs++, Promise.reject(new Error('unclassified'))))).rejects.toThrow('unclassified');
    expect(runs).toBe(1);
  });
});

describe('the embedded log applies it', () => {
  let remove: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await remove?.();
  });

  it('redelivers after a retriable failure; dead-letters and commits past a non-retriable one', async () => {
    const tmp = await makeTempDir();
    remove = tmp.remove;
    const log = await openEmbeddedLog({ dir: tmp.dir, retryBackoff: { initialMs: 5, maxMs: 20 } });
    const seen: string[] = [];
    let transientLeft = 2;
    await log.consume({
      groupId: 'g',
      maxBatchRecords: 1,
      onBatch: async ({ records }) => {
        const value = records[0]!.value.toString();
        seen.push(value);
        if (value === 'flaky' && transientLeft-- > 0) throw new LogUnavailableError('ClickHouse away');
        if (value === 'poison') throw new RecordsRejectedError('refused by the engine');
      },
    });
    await log.append(['a', 'flaky', 'poison', 'b'].map((v) => ({ key: 'k', value: Buffer.from(v) })));
    await waitFor(async () => (await log.lag('g')) === 0);
    expect(seen).toEqual(['a', 'flaky', 'flaky', 'flaky', 'poison', 'b']);
    await log.close();
    const letters = await readDeadLetters(tmp.dir);
    expect(letters.map((l) => [l.value.toString(), l.reason, l.offset])).toEqual([['poison', 'refused by the engine', 2n]]);
  });
});
