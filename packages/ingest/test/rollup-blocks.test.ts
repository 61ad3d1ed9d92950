import { describe, expect, it } from 'vitest';
import type { CordonEventInput } from '@cordon/schemas';
import { testEvent, useRollupStep } from './rollup-step-harness.ts';

/**
 * A batch longer than an insert block goes in block after block, the next
 * block decoded while the one before is inserted (rollup-step.ts). What
 * crosses a block boundary must count as it does inside one batch:
 * repeats, voids on either side of their target, and a refused row, whose
 * bisection must not lose or repeat the blocks around it.
 */
const rollup = useRollupStep({ blockRecords: 3 });

const ev = testEvent;
const screening = (vehicles: number, extra: Partial<CordonEventInput> = {}) => ev('screening', { vehicles, people: vehicles }, extra);
const batch = (events: CordonEventInput[]) => rollup.batch(events.map((event) => ({ event })));

async function vehicles(): Promise<number> {
  const result = await rollup.ch.client.query({
    query: `SELECT sum(value) AS v FROM ${rollup.ch.database}.metric_daily WHERE metric = 'vehicles_screened'`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ v: number }>();
  return Number(row?.v ?? 0);
}

describe('a batch of several insert blocks (3 records a block here)', () => {
  it('counts each event once, takes voids back across blocks in either order, and a replay adds nothing', async () => {
    const [a, b, c, d, e] = [1, 2, 4, 8, 16].map((n) => screening(n)) as [
      CordonEventInput,
      CordonEventInput,
      CordonEventInput,
      CordonEventInput,
      CordonEventInput,
    ];
    const events = [
      a,
      b,
      ev('void', { target: d.id, reason: 'void first, target in the next block' }),
      d,
      a, // a repeat, a block after the first
      c,
      e,
      ev('void', { target: b.id, reason: 'target two blocks back' }),
    ];
    const whole = batch(events);
    expect(await rollup.step(whole)).toMatchObject({ counted: 7, duplicates: 1, retractions: 2, undecodable: [] });
    expect(await vehicles()).toBe(1 + 4 + 16);
    expect(await rollup.step(whole)).toMatchObject({ counted: 0, duplicates: 8, retractions: 0 });
    expect(await vehicles()).toBe(21);
  });

  it('hands back an undecodable record of any block, and counts the rest', async () => {
    const good = batch([screening(1), screening(2), screening(4), screening(8)]);
    const broken = { ...good.records[3]!, value: Buffer.from('{"v":1,') };
    const result = await rollup.step({ partition: 0, records: [...good.records.slice(0, 3), broken, ...batch([screening(32)]).records] });
    expect(result).toMatchObject({ counted: 4, duplicates: 0 });
    expect(result.undecodable.map((u) => u.record.offset)).toEqual([broken.offset]);
    expect(result.undecodable[0]!.reason).toMatch(/^not JSON: /);
    expect(await vehicles()).toBe(1 + 2 + 4 + 32);
  });

  it('bisects only the block ClickHouse refuses: the blocks before and after it count once', async () => {
    await rollup.ch.client.command({ query: `ALTER TABLE ${rollup.ch.database}.events ADD CONSTRAINT refuse CHECK source != 'poison'` });
    const poison = screening(1000, { source: 'poison' });
    const events = [screening(1), screening(2), screening(4), screening(8), poison, screening(16), screening(32), screening(64)];
    const result = await rollup.step(batch(events));
    expect(result).toMatchObject({ counted: 7, duplicates: 0, retractions: 0, refusedVoids: [] });
    expect(result.undecodable).toHaveLength(1);
    expect(result.undecodable[0]!.reason).toMatch(/^ClickHouse refused the row: ClickHouse error 469 VIOLATED_CONSTRAINT/);
    expect(await vehicles()).toBe(127);
  });
});
