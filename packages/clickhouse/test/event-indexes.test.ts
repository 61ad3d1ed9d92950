import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectClickHouse,
  eventIndexes,
  indexSelect,
  migrate,
  migrationStatements,
  rowsByPartition,
  type ClickHouse,
} from '../src/index.ts';
import { testDataDir } from '../src/testing.ts';

/**
 * The event indexes (event_days, quarantine_events, site_events, place_daily,
 * the coarse roll-ups) on a data folder made before them: migrate fills them
 * from the rows already in `events`, once; their views take every row
 * inserted after; a fill cut short is made again whole on the next start.
 * And city_daily / province_daily on a folder that already had the other
 * indexes: created and filled on its next start, the others left as they are.
 */
let ch: ClickHouse;
const db = `t_${randomBytes(6).toString('hex')}`;

const indexTables = new Set(eventIndexes.map((i) => i.table));
/** The statements of the schema before the indexes: everything but them and their record of fills. */
const before = (database: string) =>
  migrationStatements(database).filter((s) => ![...indexTables, 'backfills'].some((t) => s.includes(`.${t}`)));

const uuid = (n: number) => `0190d8a0-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
/** A row of events: (n, sign, type, day, site, data, metrics, region key); received at n seconds after 2020-02-13 00:00 UTC. */
function row(
  n: number,
  sign: 1 | -1,
  type: string,
  day: string,
  site: string,
  data: object,
  metrics: string[],
  region = '410184001000',
): string {
  const at = `toDateTime64('2020-02-13 00:00:00', 3, 'UTC') + ${n}`;
  return `(toUUID('${uuid(n)}'), ${sign}, '${type}', ${at}, toDate('${day}'), '${region}', '${site}', 'test', ${at}, NULL, '${JSON.stringify(data)}',
    [${metrics.map((m) => `'${m}'`).join(',')}], [${metrics.map(() => "''").join(',')}], [${metrics.map(() => '1').join(',')}], 0, ${n})`;
}
/** Named, so columns appended by later migrations (scope) take their defaults. */
const rowColumns =
  'id, sign, type, occurred_at, day, region, site, source, received_at, void_id, data, contributions.metric, contributions.dim, contributions.value, log_partition, log_offset';
async function insert(rows: string[], into = db): Promise<void> {
  await ch.client.command({
    query: `INSERT INTO ${into}.events (${rowColumns}) VALUES ${rows.join(',\n')}`,
    clickhouse_settings: { insert_deduplicate: 0 },
  });
}
async function rowsOf(table: string, columns: string): Promise<unknown[]> {
  const result = await ch.client.query({
    query: `SELECT ${columns} FROM ${db}.${table} ORDER BY toString(id), sign`,
    format: 'JSONEachRow',
  });
  return result.json();
}
/** Each index against what its definition computes from `events` now, and its row count. */
async function compareWithEvents(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const index of eventIndexes) {
    if (index.engine === 'SummingMergeTree') {
      // A roll-up: the same sums per key (its ORDER BY), however its rows are merged (a merge drops keys that sum to zero).
      const key = index.orderBy;
      const sums = (from: string) =>
        `SELECT ${key}, sum(value) AS value, sum(events) AS events FROM (${from}) GROUP BY ${key} HAVING value != 0 OR events != 0 ORDER BY ${key}`;
      const expected = await (await ch.client.query({ query: sums(indexSelect(index, db)), format: 'JSONEachRow' })).json();
      const stored = await (await ch.client.query({ query: sums(`SELECT * FROM ${db}.${index.table}`), format: 'JSONEachRow' })).json();
      expect(stored, index.table).toEqual(expected);
      counts[index.table] = stored.length;
      continue;
    }
    const expected = await (
      await ch.client.query({ query: `SELECT * FROM (${indexSelect(index, db)}) ORDER BY toString(id), sign`, format: 'JSONEachRow' })
    ).json();
    const stored = await rowsOf(index.table, '*');
    expect(stored, index.table).toEqual(expected);
    counts[index.table] = stored.length;
  }
  return counts;
}

const earlier = [
  row(1, 1, 'site.registered', '2020-02-12', 'cp-1', { name: '一号卡点', kind: 'road_checkpoint' }, ['sites_active']),
  row(2, 1, 'screening', '2020-02-13', 'cp-1', { vehicles: 1, people: 2 }, ['vehicles_screened', 'people_screened']),
  row(3, 1, 'quarantine.started', '2020-02-12', '', { subject: 'q-1', reason: 'close_contact' }, [
    'quarantine_started',
    'quarantine_active',
  ]),
  row(4, 1, 'quarantine.ended', '2020-02-13', '', { subject: 'q-1', outcome: 'released' }, ['quarantine_ended', 'quarantine_active']),
  row(5, 1, 'void', '2020-02-13', 'cp-1', { target: uuid(2), reason: 'x' }, []),
  row(2, -1, 'screening', '2020-02-13', 'cp-1', { vehicles: 1, people: 2 }, ['vehicles_screened', 'people_screened']),
];

beforeAll(async () => {
  ch = await connectClickHouse({ dataDir: testDataDir(), database: db });
  for (const query of before(db)) await ch.client.command({ query });
  await insert(earlier);
});
afterAll(async () => {
  await ch?.close();
});

/** The rows (a roll-up: the keys) each index holds once filled from `earlier`; compareWithEvents checks each against `events`. */
const filledFromEarlier = {
  event_days: 6,
  quarantine_events: 2,
  site_events: 1,
  place_daily: 5,
  town_daily: 5,
  county_daily: 5,
  city_daily: 5,
  province_daily: 5,
};
/** The same after the three later rows (a quarantine end, a closure, a fever case). */
const withLater = {
  event_days: 9,
  quarantine_events: 3,
  site_events: 2,
  place_daily: 9,
  town_daily: 9,
  county_daily: 9,
  city_daily: 9,
  province_daily: 9,
};

describe('event indexes on a data folder from before them', () => {
  it('are filled on the first start from the rows events already holds, retractions and voids included', async () => {
    await migrate(ch);
    expect(await compareWithEvents()).toEqual(filledFromEarlier);
    expect(await rowsOf('quarantine_events', `toString(id) AS id, sign, type, subject`)).toEqual([
      { id: uuid(3), sign: 1, type: 'quarantine.started', subject: 'q-1' },
      { id: uuid(4), sign: 1, type: 'quarantine.ended', subject: 'q-1' },
    ]);
    expect(await rowsOf('site_events', `toString(id) AS id, site, name, kind`)).toEqual([
      { id: uuid(1), site: 'cp-1', name: '一号卡点', kind: 'road_checkpoint' },
    ]);
  });

  it('are not filled twice by later starts', async () => {
    await migrate(ch);
    await migrate(ch);
    expect(await compareWithEvents()).toEqual(filledFromEarlier);
  });

  it('take every row inserted after, through their views', async () => {
    await insert([
      row(6, 1, 'quarantine.ended', '2020-02-14', '', { subject: 'q-2', outcome: 'other' }, ['quarantine_ended', 'quarantine_active']),
      row(7, 1, 'site.closed', '2020-02-14', 'cp-1', { reason: '撤点' }, ['sites_active']),
      row(8, 1, 'fever', '2020-02-14', 'cp-1', { people: 1, disposition: 'referred' }, ['fever_cases']),
    ]);
    expect(await compareWithEvents()).toEqual(withLater);
  });

  it('are made again whole when a fill was cut short (no record of it)', async () => {
    await ch.client.command({ query: `TRUNCATE TABLE ${db}.backfills` });
    await ch.client.command({ query: `TRUNCATE TABLE ${db}.quarantine_events` });
    await ch.client.command({
      query: `INSERT INTO ${db}.event_days SELECT id, sign, type, day, region, site, received_at, contributions.metric FROM ${db}.events LIMIT 2`,
    });
    await migrate(ch);
    expect(await compareWithEvents()).toEqual(withLater);
  });
});

describe('the coarse roll-ups', () => {
  it('sum the sites of a town, the towns of a county, the counties of a city and the cities of the province, keeping what a void took back out', async () => {
    const screening = (n: number, region: string, site: string) =>
      row(n, 1, 'screening', '2020-02-15', site, { vehicles: 1, people: 1 }, ['people_screened'], region);
    await insert([
      screening(20, '410184001002', 'cp-2'),
      screening(21, '410184001003', 'cp-3'),
      screening(22, '410184001000', ''),
      screening(23, '410184002001', 'cp-4'),
      screening(24, '410184000000', 'cp-5'),
      // 中原区 of the same city (郑州市 4101), and 洛阳市 (4103): the city and province roll-ups part them.
      screening(26, '410102001001', 'cp-6'),
      screening(27, '410302001000', ''),
      row(25, 1, 'void', '2020-02-15', 'cp-3', { target: uuid(21), reason: 'x' }, []),
      row(21, -1, 'screening', '2020-02-15', 'cp-3', { vehicles: 1, people: 1 }, ['people_screened'], '410184001003'),
    ]);
    const read = async (table: string) =>
      (
        await ch.client.query({
          query: `SELECT toString(region) AS region, sum(value) AS value, sum(events) AS events FROM ${db}.${table}
                  WHERE metric = 'people_screened' AND day = '2020-02-15' GROUP BY region HAVING events != 0 ORDER BY region`,
          format: 'JSONEachRow',
        })
      ).json();
    expect(await read('town_daily')).toEqual([
      { region: '410102001000', value: 1, events: 1 },
      { region: '410184000000', value: 1, events: 1 },
      { region: '410184001000', value: 2, events: 2 },
      { region: '410184002000', value: 1, events: 1 },
      { region: '410302001000', value: 1, events: 1 },
    ]);
    expect(await read('county_daily')).toEqual([
      { region: '410102000000', value: 1, events: 1 },
      { region: '410184000000', value: 4, events: 4 },
      { region: '410302000000', value: 1, events: 1 },
    ]);
    expect(await read('city_daily')).toEqual([
      { region: '410100000000', value: 5, events: 5 },
      { region: '410300000000', value: 1, events: 1 },
    ]);
    expect(await read('province_daily')).toEqual([{ region: '410000000000', value: 6, events: 6 }]);
    expect(await compareWithEvents()).toEqual({
      event_days: 18,
      quarantine_events: 3,
      site_events: 2,
      place_daily: 15,
      town_daily: 14,
      county_daily: 12,
      city_daily: 11,
      province_daily: 10,
    });
  });
});

describe('city_daily and province_daily on a data folder that had the other indexes (issue 13)', () => {
  const old = `t_${randomBytes(6).toString('hex')}`;
  const added = ['city_daily', 'province_daily'];
  const sumsOf = async (table: string) =>
    (
      await ch.client.query({
        query: `SELECT toString(region) AS region, metric, sum(value) AS value, sum(events) AS events FROM ${old}.${table}
                GROUP BY region, metric HAVING events != 0 ORDER BY region, metric`,
        format: 'JSONEachRow',
      })
    ).json();
  const tablesOf = async () =>
    (
      await ch.client.query({
        query: `SELECT name FROM system.tables WHERE database = {db:String} AND name LIKE '%_daily' ORDER BY name`,
        query_params: { db: old },
        format: 'JSONEachRow',
      })
    ).json<{ name: string }>();
  const fills = async () =>
    (
      await ch.client.query({ query: `SELECT name, count() AS n FROM ${old}.backfills GROUP BY name ORDER BY name`, format: 'JSONEachRow' })
    ).json<{ name: string; n: number }>();

  it('creates them on the next start and fills them from the rows already counted, voids netted out', async () => {
    // The schema as it was: every statement but the new tables' and their views', every index filled and recorded.
    await ch.client.command({ query: `CREATE DATABASE ${old}` });
    for (const query of migrationStatements(old).filter((s) => !added.some((t) => s.includes(`.${t} `) || s.includes(`.${t}_mv `))))
      await ch.client.command({ query });
    const recorded = [...eventIndexes.map((i) => i.table).filter((t) => !added.includes(t)), `events.${rowsByPartition}`];
    for (const name of recorded) await ch.client.command({ query: `INSERT INTO ${old}.backfills VALUES ('${name}', now64(3))` });
    const screening = (n: number, region: string, site: string) =>
      row(n, 1, 'screening', '2020-02-15', site, { vehicles: 1, people: 1 }, ['vehicles_screened', 'people_screened'], region);
    await insert(
      [
        screening(30, '410184001002', 'cp-2'),
        screening(31, '410184001003', 'cp-3'),
        screening(32, '410102001001', 'cp-6'),
        screening(33, '410302001000', ''),
        row(34, 1, 'void', '2020-02-15', 'cp-3', { target: uuid(31), reason: 'x' }, []),
        row(
          31,
          -1,
          'screening',
          '2020-02-15',
          'cp-3',
          { vehicles: 1, people: 1 },
          ['vehicles_screened', 'people_screened'],
          '410184001003',
        ),
      ],
      old,
    );
    expect((await tablesOf()).map((t) => t.name)).toEqual(['county_daily', 'metric_daily', 'place_daily', 'town_daily']);

    const started = { ...ch, database: old };
    await migrate(started);
    expect((await tablesOf()).map((t) => t.name)).toEqual([
      'city_daily',
      'county_daily',
      'metric_daily',
      'place_daily',
      'province_daily',
      'town_daily',
    ]);
    expect(await sumsOf('city_daily')).toEqual([
      { region: '410100000000', metric: 'people_screened', value: 2, events: 2 },
      { region: '410100000000', metric: 'vehicles_screened', value: 2, events: 2 },
      { region: '410300000000', metric: 'people_screened', value: 1, events: 1 },
      { region: '410300000000', metric: 'vehicles_screened', value: 1, events: 1 },
    ]);
    expect(await sumsOf('province_daily')).toEqual([
      { region: '410000000000', metric: 'people_screened', value: 3, events: 3 },
      { region: '410000000000', metric: 'vehicles_screened', value: 3, events: 3 },
    ]);
    // The new ones filled once, the others not again.
    expect(await fills()).toEqual([...recorded, ...added].sort().map((name) => ({ name, n: 1 })));

    // Later starts leave them alone, and their views take what comes after.
    await migrate(started);
    await insert([screening(35, '410302001000', '')], old);
    expect(await fills()).toEqual([...recorded, ...added].sort().map((name) => ({ name, n: 1 })));
    expect(await sumsOf('province_daily')).toEqual([
      { region: '410000000000', metric: 'people_screened', value: 4, events: 4 },
      { region: '410000000000', metric: 'vehicles_screened', value: 4, events: 4 },
    ]);
    expect(await sumsOf('city_daily')).toEqual([
      { region: '410100000000', metric: 'people_screened', value: 2, events: 2 },
      { region: '410100000000', metric: 'vehicles_screened', value: 2, events: 2 },
      { region: '410300000000', metric: 'people_screened', value: 2, events: 2 },
      { region: '410300000000', metric: 'vehicles_screened', value: 2, events: 2 },
    ]);
  });
});
