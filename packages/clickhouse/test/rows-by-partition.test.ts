import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClickHouse, migrate, migrationStatements, rowsByPartition, type ClickHouse } from '../src/index.ts';
import { testDataDir } from '../src/testing.ts';

/**
 * Issue 13: the consumer counts the rows `events` holds for a partition
 * after every batch (consumer_progress, heal.ts's evidence). The projection
 * answers that count from a row per part, on a data folder made before it
 * too (migrate materializes it once), with the same figure as the rows.
 */
let ch: ClickHouse;
const db = `t_${randomBytes(6).toString('hex')}`;
const countQuery = (partition: number) => `SELECT count() AS n FROM ${db}.events WHERE log_partition = ${partition}`;

async function insertEvents(count: number, first: number): Promise<void> {
  await ch.client.command({
    query: `INSERT INTO ${db}.events (id, sign, type, occurred_at, day, region, site, source, received_at, data, log_partition, log_offset)
            SELECT toUUID(concat('0190d8a0-0000-4000-8000-', leftPad(hex(number + ${first}), 12, '0'))), 1, 'screening',
                   toDateTime64('2020-02-13 00:00:00', 3, 'UTC'), toDate('2020-02-13'), '410184001000', '', 'test',
                   toDateTime64('2020-02-13 00:00:00', 3, 'UTC'), '{}', (number + ${first}) % 3, number + ${first}
            FROM numbers(${count})`,
    clickhouse_settings: { insert_deduplicate: 0 },
  });
}

async function count(partition: number): Promise<number> {
  const rows = await (await ch.client.query({ query: countQuery(partition), format: 'JSONEachRow' })).json<{ n: string }>();
  return Number(rows[0]!.n);
}

/** Whether the plan reads the projection for every part (ReadFromMergeTree (rows_by_partition) and no read of the table itself). */
async function readsProjectionOnly(partition: number): Promise<boolean> {
  const plan = await (await ch.client.query({ query: `EXPLAIN ${countQuery(partition)}`, format: 'TabSeparatedRaw' })).text();
  return plan.includes(`ReadFromMergeTree (${rowsByPartition})`) && !/ReadFromMergeTree \((?!rows_by_partition)/.test(plan);
}

beforeAll(async () => {
  ch = await connectClickHouse({ dataDir: testDataDir(), database: db });
  // A data folder from before the projection: every statement but the one adding it.
  for (const query of migrationStatements(db).filter((s) => !s.includes(rowsByPartition))) await ch.client.command({ query });
  await insertEvents(3000, 0);
});
afterAll(async () => {
  await ch?.client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await ch?.close();
});

describe('the rows of a partition (issue 13: the count per batch read every row)', () => {
  it('are counted from the rows before the projection exists', async () => {
    expect(await readsProjectionOnly(1)).toBe(false);
    expect(await count(1)).toBe(1000);
  });

  it('are counted from the projection after migrate, old parts included, with the same figures', async () => {
    await migrate(ch);
    await insertEvents(30, 3000);
    expect(await readsProjectionOnly(1)).toBe(true);
    expect([await count(0), await count(1), await count(2)]).toEqual([1010, 1010, 1010]);
    // Materialized once: a second start does not run the mutation again.
    const marks = async () => {
      const query = `SELECT count() AS n FROM ${db}.backfills WHERE name = 'events.${rowsByPartition}'`;
      return Number((await (await ch.client.query({ query, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);
    };
    await migrate(ch);
    expect(await marks()).toBe(1);
  });
});
