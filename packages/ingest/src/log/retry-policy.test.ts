import { afterEach, describe, expect, it } from 'vitest';
import { backoffMs, createRetryPolicy, RecordsRejectedError, retriableFlag } from './retry-policy.ts';
import { LogUnavailableError } from './event-log.ts';
import { openEmbeddedLog, readDeadLetters } from './embedded/embedded-log.ts';
import { makeTempDir, waitFor } from './embedded/test-helpers.ts';

describe('retry policy (issue 7: every error was retried forever)', () => {
  it('doubles from initialMs up to maxMs', () => {
    expect([0, 1, 2, 3, 4, 5, 60].map((a) => backoffMs(a, { initialMs: 100, maxMs: 1000 }))).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
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
    expect(policy.decide(new RecordsRejectedError('the rows are wrong'), 0)).toEqual({ action: 'dead-letter', reason: 'the rows are wrong' });
    expect(() => createRetryPolicy({ initialMs: 0, maxMs: 10 })).toThrow(RangeError);
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
