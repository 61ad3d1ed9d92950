import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoEvents, type DemoEvent } from '@cordon/demo';
import { loadDemo } from '../src/demo.ts';
import { event, newId, recordQueries, startTestCordon, type TestClient } from './harness.ts';

/**
 * The coarse roll-ups (`province_daily`, `city_daily`, `county_daily`,
 * `town_daily`: packages/clickhouse migrations.ts) answer the office's
 * coarse questions with the same figures as `metric_daily` and the raw
 * table: on the demo data (the seed figures of 新郑市 to 2月13日, which are
 * also 郑州市's and 河南省's: the demo's other places in the province, 中牟县
 * and 平顶山, report no screenings, turn-backs or fever cases), and after a
 * void and a revision (a tally taken back and sent again corrected), which
 * must take back from every roll-up exactly what they take from
 * metric_daily. The queries the routes send are recorded to see which
 * table answered.
 */
let cordon: TestClient;
const sent: string[] = [];
const cards = ['vehicles_screened', 'people_screened', 'vehicles_turned_back', 'people_turned_back', 'fever_cases'];
const seed = {
  vehicles_screened: 115814,
  people_screened: 184735,
  vehicles_turned_back: 10899,
  people_turned_back: 16966,
  fever_cases: 27,
};
let voided: DemoEvent;
let revised: DemoEvent;
/** An instant after the demo was counted and before the void and the revision. */
let beforeChanges: string;

beforeAll(async () => {
  cordon = await startTestCordon();
  await loadDemo(cordon.runtime);
  await cordon.settled();
  for await (const e of readDemoEvents()) {
    const inCounty = e.region.startsWith('410184') && e.region.length >= 9 && e.occurredAt < '2020-02-13T12:00:00+08:00';
    if (inCounty && e.type === 'screening' && !voided) voided = e;
    if (inCounty && e.type === 'turnback' && !revised) revised = e;
  }
  recordQueries(cordon, sent);
});
afterAll(async () => {
  await cordon?.close();
});

/** The answer to a GET, and the roll-up tables its queries read. */
async function ask(path: string): Promise<{ body: any; tables: string[] }> {
  sent.length = 0;
  const { status, body } = await cordon.get(path);
  expect(status, JSON.stringify(body)).toBe(200);
  const tables = new Set(
    sent.flatMap((q) => [...q.matchAll(/\.(province_daily|city_daily|county_daily|town_daily|metric_daily|events)\b/g)].map((m) => m[1]!)),
  );
  return { body, tables: [...tables].sort() };
}

type Table = 'province_daily' | 'city_daily' | 'county_daily' | 'town_daily' | 'metric_daily' | 'events';
/** Each table and the region prefixes it holds exactly (a region cut to 4 digits still starts with its 2 and 4). */
const prefixesOf: Record<Table, string[]> = {
  province_daily: ['41'],
  city_daily: ['41', '4101'],
  county_daily: ['41', '4101', '410184'],
  town_daily: ['41', '4101', '410184'],
  metric_daily: ['41', '4101', '410184'],
  events: ['41', '4101', '410184'],
};

/** Sums per metric of a subtree (the province, 郑州市, 新郑市) to 2月13日, read from one table with SQL of the test's own. */
async function sumsIn(table: Table, prefix: string): Promise<Record<string, number>> {
  const db = cordon.runtime.clickhouse!.database;
  const from = table === 'events' ? `${db}.events ARRAY JOIN contributions AS c` : `${db}.${table}`;
  const [metric, value] = table === 'events' ? ['c.metric', 'c.value * sign'] : ['metric', 'value'];
  const result = await cordon.runtime.clickhouse!.client.query({
    query: `SELECT ${metric} AS m, sum(${value}) AS v FROM ${from}
            WHERE ${metric} IN {cards:Array(String)} AND startsWith(region, {prefix:String}) AND day <= '2020-02-13' GROUP BY m`,
    query_params: { cards, prefix },
    format: 'JSONEachRow',
  });
  return Object.fromEntries((await result.json<{ m: string; v: number }>()).map((r) => [r.m, Number(r.v)]));
}

/** metric_daily's sums per town of the county to 2月13日, keyed as the API names the rows. */
async function fineTownRows(): Promise<Record<string, Record<string, number>>> {
  const db = cordon.runtime.clickhouse!.database;
  const result = await cordon.runtime.clickhouse!.client.query({
    query: `SELECT substring(region, 1, 9) AS town, metric, sum(value) AS v FROM ${db}.metric_daily
            WHERE metric IN {cards:Array(String)} AND startsWith(region, '410184') AND day <= '2020-02-13' GROUP BY town, metric`,
    query_params: { cards },
    format: 'JSONEachRow',
  });
  const rows: Record<string, Record<string, number>> = {};
  for (const r of await result.json<{ town: string; metric: string; v: number }>()) {
    const code = r.town.endsWith('000') ? r.town.slice(0, 6) : r.town;
    rows[code] ??= Object.fromEntries(cards.map((m) => [m, 0]));
    rows[code]![r.metric] = Number(r.v);
  }
  return rows;
}

const totalsPath = `/v1/aggregates?metrics=${cards.join(',')}&region=410184&to=2020-02-13`;
const provincePath = `/v1/aggregates?metrics=${cards.join(',')}&region=410000&to=2020-02-13`;

/** An answer's rows keyed by region code. */
const byRegion = (rows: { key: { region: string }; values: Record<string, number> }[]) =>
  Object.fromEntries(rows.map((r) => [r.key.region, r.values]));

/** Every way of reading the county's figures gives `expected`, and each coarse question was answered by a coarse table. */
async function expectEverywhere(expected: Record<string, number>) {
  for (const [table, prefixes] of Object.entries(prefixesOf) as [Table, string[]][])
    for (const prefix of prefixes) expect(await sumsIn(table, prefix), `${table} ${prefix}`).toEqual(expected);

  const totals = await ask(totalsPath);
  expect(totals.body.totals).toEqual(expected);
  expect(totals.tables).toEqual(['county_daily']);

  const byTown = await ask(`${totalsPath}&groupBy=region&level=town`);
  expect(byTown.body.totals).toEqual(expected);
  expect(byTown.tables).toEqual(['county_daily', 'town_daily']); // the first day from county_daily, the rows from town_daily
  const towns = Object.fromEntries(
    byTown.body.rows.map((r: { key: { region: string }; values: Record<string, number> }) => [r.key.region, r.values]),
  );
  expect(towns).toEqual(await fineTownRows());

  const bySite = await ask(`${totalsPath}&groupBy=site`);
  expect(bySite.body.totals).toEqual(expected);
  expect(bySite.tables).toEqual(['county_daily', 'metric_daily']);

  const byVillage = await ask(`${totalsPath}&groupBy=region&level=village`);
  expect(byVillage.body.totals).toEqual(expected);
  expect(byVillage.tables).toEqual(['county_daily', 'metric_daily']);

  const series = await ask(`/v1/timeseries?metric=people_screened&region=410184&to=2020-02-13`);
  expect(series.body.points.at(-1).cumulative).toBe(expected['people_screened']);
  expect(series.tables).toEqual(['county_daily']);

  const town = await ask(`/v1/aggregates?metrics=${cards.join(',')}&region=${revised.region.slice(0, 9)}&to=2020-02-13`);
  expect(town.body.totals).toEqual(towns[revised.region.slice(0, 9)]);
  expect(town.tables).toEqual(['town_daily']);

  // The province and the city: their own roll-ups.
  const province = await ask(provincePath);
  expect(province.body.totals).toEqual(expected);
  expect(province.tables).toEqual(['province_daily']);
  const city = await ask(`/v1/aggregates?metrics=${cards.join(',')}&region=410100&to=2020-02-13`);
  expect(city.body.totals).toEqual(expected);
  expect(city.tables).toEqual(['city_daily']);

  // The province by city and by county, 郑州市 by county: the first day from the subtree's table, the rows from the breakdown's.
  const byCity = await ask(`${provincePath}&groupBy=region&level=city`);
  expect(byCity.body.totals).toEqual(expected);
  expect(byCity.tables).toEqual(['city_daily', 'province_daily']);
  expect(byRegion(byCity.body.rows)['410100']).toEqual(expected);
  const byCounty = await ask(`${provincePath}&groupBy=region&level=county`);
  expect(byCounty.body.totals).toEqual(expected);
  expect(byCounty.tables).toEqual(['county_daily', 'province_daily']);
  expect(byRegion(byCounty.body.rows)['410184']).toEqual(expected);
  const cityByCounty = await ask(`/v1/aggregates?metrics=${cards.join(',')}&region=410100&to=2020-02-13&groupBy=region&level=county`);
  expect(cityByCounty.body.totals).toEqual(expected);
  expect(cityByCounty.tables).toEqual(['city_daily', 'county_daily']);
  expect(byRegion(cityByCounty.body.rows)['410184']).toEqual(expected);

  // The province by site: still metric_daily (the sites), the first day from province_daily.
  const provinceBySite = await ask(`${provincePath}&groupBy=site`);
  expect(provinceBySite.body.totals).toEqual(expected);
  expect(provinceBySite.tables).toEqual(['metric_daily', 'province_daily']);

  const provinceSeries = await ask(`/v1/timeseries?metric=people_screened&region=410000&to=2020-02-13`);
  expect(provinceSeries.body.points.at(-1).cumulative).toBe(expected['people_screened']);
  expect(provinceSeries.tables).toEqual(['province_daily']);
  expect(provinceSeries.body.points).toEqual(series.body.points);
}

describe('the coarse roll-ups', () => {
  it('give the seed figures of 新郑市 (and so of 郑州市 and 河南省) to 2月13日, as metric_daily and the raw table do', async () => {
    await expectEverywhere(seed);
    // The dimension breakdown of the county from county_daily, the same reasons as the raw table's.
    const reasons = await ask(`/v1/aggregates?metrics=people_turned_back&region=410184&to=2020-02-13&groupBy=dimension`);
    expect(reasons.tables).toEqual(['county_daily']);
    expect(reasons.body.totals).toEqual({ people_turned_back: 16966 });
    // The province's reasons from province_daily: the same rows.
    const provinceReasons = await ask(`/v1/aggregates?metrics=people_turned_back&region=410000&to=2020-02-13&groupBy=dimension`);
    expect(provinceReasons.tables).toEqual(['province_daily']);
    expect(provinceReasons.body.totals).toEqual({ people_turned_back: 16966 });
    expect(provinceReasons.body.rows).toEqual(reasons.body.rows);
    // A custom region (the demo adds 郑州新郑教育园区 410184499 as a town of 新郑市): its own digits, so town_daily, never coarser.
    const custom = await ask(`/v1/aggregates?metrics=sites_active&region=410184499&to=2020-02-15`);
    expect(custom.tables).toEqual(['town_daily']);
    expect(custom.body.totals).toEqual({ sites_active: 129 });
    beforeChanges = new Date().toISOString();
  });

  it('after a void and a revision take back exactly what metric_daily takes back', async () => {
    const screening = voided.data as { vehicles: number; people: number };
    const turnback = revised.data as { vehicles: number; people: number; reason?: string };
    await new Promise((resolve) => setTimeout(resolve, 5)); // received_at has millisecond precision
    const { body } = await cordon.send([
      event('void', { target: voided.id, reason: 'entered twice' }),
      // A revision: the tally taken back and sent again, corrected.
      event('void', { target: revised.id, reason: 'miscounted' }),
      {
        ...revised,
        id: newId(),
        data: { ...turnback, vehicles: turnback.vehicles + 1, people: turnback.people + 2 },
      },
    ]);
    expect(body).toMatchObject({ accepted: 3, rejected: 0 });
    await cordon.settled();
    // The first screening of the county in the demo data took 55 vehicles and 94 people off; the revised turnback adds 1 and 2.
    expect([screening.vehicles, screening.people]).toEqual([55, 94]);
    await expectEverywhere({
      vehicles_screened: 115759,
      people_screened: 184641,
      vehicles_turned_back: 10900,
      people_turned_back: 16968,
      fever_cases: 27,
    });
    // As known before the changes: the raw table, the seed figures again.
    const known = await ask(`${totalsPath}&knownAt=${encodeURIComponent(beforeChanges)}`);
    expect(known.body.totals).toEqual(seed);
    expect(known.tables).toEqual(['events']);
    const knownProvince = await ask(`${provincePath}&knownAt=${encodeURIComponent(beforeChanges)}`);
    expect(knownProvince.body.totals).toEqual(seed);
    expect(knownProvince.tables).toEqual(['events']);
  });
});
