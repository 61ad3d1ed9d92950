/**
 * The office's questions the query bench asks (bench/query.ts): for a
 * county's data set the ten most common, for a province's the same kinds
 * of question at province, city and county level, breakdowns by city and by
 * county included. Each gives its API request and the SQL the API sends for
 * it (bench/query-sql.ts), in the API's order and parallelism.
 */
import { donatedMetrics, firstDay } from './query-data.ts';
import type { DirectSql, Row, Sum } from './query-sql.ts';

export interface Question {
  label: string;
  path: string;
  /** The API's queries for this request, in its order; the answer rows of each. */
  sql(db: DirectSql): Promise<Row[][]>;
}

const headline = ['vehicles_screened', 'people_screened', 'vehicles_turned_back', 'people_turned_back', 'fever_cases'];
const lastDay = '2020-04-18';
const qs = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** A village's totals: four flow metrics over the 90 days and the stock quarantine_active at their end (both shapes ask it). */
function villageTotals(number: string, village: string): Question {
  return {
    label: `${number} a village's totals (${village})`,
    path: `/v1/aggregates?${qs({ metrics: 'people_screened,people_turned_back,fever_cases,households_swept,quarantine_active', region: village, from: firstDay, to: lastDay })}`,
    async sql(db) {
      return Promise.all([
        db.sum({
          prefix: village,
          metrics: ['people_screened', 'people_turned_back', 'fever_cases', 'households_swept'],
          from: firstDay,
          to: lastDay,
          groupBy: 'none',
        }),
        db.sum({ prefix: village, metrics: ['quarantine_active'], from: null, to: lastDay, groupBy: 'none' }),
      ]);
    },
  };
}

/** The ten questions on a county (新郑市 410184), as the bench has asked them since issue 4. */
export function countyQuestions(county: string, village: string): Question[] {
  const base = { prefix: county };
  return [
    {
      label: '1 county totals, 5 headline metrics, to 2月13日',
      path: `/v1/aggregates?${qs({ metrics: headline.join(','), region: county, to: '2020-02-13' })}`,
      async sql(db) {
        const first = await db.firstDay(headline, county);
        const flow = await db.sum({ ...base, metrics: headline, from: first.day ?? '2020-02-13', to: '2020-02-13', groupBy: 'none' });
        return [first.rows, flow];
      },
    },
    {
      label: '2 people turned back per town, last week',
      path: `/v1/aggregates?${qs({ metrics: 'people_turned_back', region: county, from: '2020-02-07', to: '2020-02-13', groupBy: 'region', level: 'town' })}`,
      async sql(db) {
        // The totals are the rows added up (aggregate.ts): one query.
        const rows = await db.sum({
          ...base,
          metrics: ['people_turned_back'],
          from: '2020-02-07',
          to: '2020-02-13',
          groupBy: 'region',
          prefixLength: 9,
        });
        return [rows];
      },
    },
    {
      label: '3 fever cases per day since 1月24日',
      path: `/v1/timeseries?${qs({ metric: 'fever_cases', region: county, from: '2020-01-24', to: lastDay, interval: 'day' })}`,
      async sql(db) {
        // The window starts 7 days before `from` (timeseries.ts lookbackDays).
        return Promise.all([
          db.sum({ ...base, metrics: ['fever_cases'], from: null, to: '2020-01-16', groupBy: 'none' }),
          db.sum({ ...base, metrics: ['fever_cases'], from: '2020-01-17', to: lastDay, groupBy: 'day' }),
        ]);
      },
    },
    {
      label: '4 donated, by item (12 donated:* metrics)',
      path: `/v1/aggregates?${qs({ metrics: donatedMetrics.join(','), region: county, from: firstDay, to: lastDay })}`,
      async sql(db) {
        return [await db.sum({ ...base, metrics: donatedMetrics, from: firstDay, to: lastDay, groupBy: 'none' })];
      },
    },
    {
      label: '5 quarantine_active now',
      path: `/v1/aggregates?${qs({ metrics: 'quarantine_active', region: county, to: lastDay })}`,
      async sql(db) {
        const first = await db.firstDay(['quarantine_active'], county);
        return [first.rows, await db.sum({ ...base, metrics: ['quarantine_active'], from: null, to: lastDay, groupBy: 'none' })];
      },
    },
    {
      label: '6 top-10 sites by people turned back, last week',
      path: `/v1/aggregates?${qs({ metrics: 'people_turned_back', region: county, from: '2020-02-07', to: '2020-02-13', groupBy: 'site', sort: '-people_turned_back', limit: '10' })}`,
      async sql(db) {
        return [await db.sum({ ...base, metrics: ['people_turned_back'], from: '2020-02-07', to: '2020-02-13', groupBy: 'site' })];
      },
    },
    {
      label: '7 people screened, weekly trend',
      path: `/v1/timeseries?${qs({ metric: 'people_screened', region: county, from: firstDay, to: lastDay, interval: 'week' })}`,
      async sql(db) {
        // Weeks run Monday 1月20日 to Sunday 4月19日; the window starts 7 days earlier.
        return Promise.all([
          db.sum({ ...base, metrics: ['people_screened'], from: null, to: '2020-01-12', groupBy: 'none' }),
          db.sum({ ...base, metrics: ['people_screened'], from: '2020-01-13', to: '2020-04-19', groupBy: 'day' }),
        ]);
      },
    },
    {
      label: '8 turn-back reasons breakdown',
      path: `/v1/aggregates?${qs({ metrics: 'people_turned_back,vehicles_turned_back', region: county, from: firstDay, to: lastDay, groupBy: 'dimension' })}`,
      async sql(db) {
        const metrics = ['people_turned_back', 'vehicles_turned_back'];
        return [await db.sum({ ...base, metrics, from: firstDay, to: lastDay, groupBy: 'dimension' })];
      },
    },
    villageTotals('9', village),
    {
      label: '10 sites_active by day',
      path: `/v1/aggregates?${qs({ metrics: 'sites_active', region: county, from: firstDay, to: lastDay, groupBy: 'day' })}`,
      async sql(db) {
        return [await db.sum({ ...base, metrics: ['sites_active'], from: null, to: lastDay, groupBy: 'day' })];
      },
    },
  ];
}

/** Where a province question is asked: the province, one of its cities, one of that city's counties, a village with a site. */
export interface ProvinceAreas {
  province: string;
  city: string;
  county: string;
  village: string;
}

/** The prefix of a 6-digit code's subtree (parseRegionCode: 410000 → 41, 410100 → 4101). */
const prefixOf = (code: string) => (code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code);

/**
 * The province's questions: totals, day and week series, items, stocks and
 * reasons for the whole province; breakdowns by city and by county; a
 * city's and a county's totals and breakdowns; top sites; a village.
 */
export function provinceQuestions(areas: ProvinceAreas): Question[] {
  const { province, city, county, village } = areas;
  const p = prefixOf(province);
  const week = { from: '2020-02-07', to: '2020-02-13' };
  const totals = (label: string, code: string): Question => ({
    label,
    path: `/v1/aggregates?${qs({ metrics: headline.join(','), region: code, ...week })}`,
    async sql(db) {
      return [await db.sum({ prefix: prefixOf(code), metrics: headline, ...week, groupBy: 'none' })];
    },
  });
  const breakdown = (label: string, code: string, metric: string, level: 'city' | 'county' | 'town'): Question => ({
    label,
    path: `/v1/aggregates?${qs({ metrics: metric, region: code, ...week, groupBy: 'region', level })}`,
    async sql(db) {
      const prefixLength = { city: 4, county: 6, town: 9 }[level];
      return [await db.sum({ prefix: prefixOf(code), metrics: [metric], ...week, groupBy: 'region', prefixLength })];
    },
  });
  /** A sum over the whole province, by default over the 90 days. */
  const all = (db: DirectSql, q: Omit<Sum, 'prefix' | 'from' | 'to'> & { from?: string | null; to?: string }): Promise<Row[]> =>
    db.sum({ prefix: p, from: firstDay, to: lastDay, ...q });
  const question = (label: string, path: string, sql: (db: DirectSql) => Promise<Row[][]>): Question => ({ label, path, sql });
  return [
    {
      label: '1 province totals, 5 headline metrics, to 2月13日',
      path: `/v1/aggregates?${qs({ metrics: headline.join(','), region: province, to: '2020-02-13' })}`,
      async sql(db) {
        const first = await db.firstDay(headline, p);
        const flow = await db.sum({ prefix: p, metrics: headline, from: first.day ?? '2020-02-13', to: '2020-02-13', groupBy: 'none' });
        return [first.rows, flow];
      },
    },
    breakdown('2 people turned back per city, last week', province, 'people_turned_back', 'city'),
    breakdown('3 people turned back per county, last week', province, 'people_turned_back', 'county'),
    question(
      '4 province fever cases per day since 1月24日',
      `/v1/timeseries?${qs({ metric: 'fever_cases', region: province, from: '2020-01-24', to: lastDay, interval: 'day' })}`,
      (db) =>
        // The window starts 7 days before `from` (timeseries.ts lookbackDays).
        Promise.all([
          all(db, { metrics: ['fever_cases'], from: null, to: '2020-01-16', groupBy: 'none' }),
          all(db, { metrics: ['fever_cases'], from: '2020-01-17', groupBy: 'day' }),
        ]),
    ),
    question(
      '5 province people screened, weekly trend',
      `/v1/timeseries?${qs({ metric: 'people_screened', region: province, from: firstDay, to: lastDay, interval: 'week' })}`,
      (db) =>
        Promise.all([
          all(db, { metrics: ['people_screened'], from: null, to: '2020-01-12', groupBy: 'none' }),
          all(db, { metrics: ['people_screened'], from: '2020-01-13', to: '2020-04-19', groupBy: 'day' }),
        ]),
    ),
    question(
      '6 province donated, by item (12 donated:* metrics)',
      `/v1/aggregates?${qs({ metrics: donatedMetrics.join(','), region: province, from: firstDay, to: lastDay })}`,
      async (db) => [await all(db, { metrics: donatedMetrics, groupBy: 'none' })],
    ),
    {
      label: '7 province quarantine_active now',
      path: `/v1/aggregates?${qs({ metrics: 'quarantine_active', region: province, to: lastDay })}`,
      async sql(db) {
        const first = await db.firstDay(['quarantine_active'], p);
        return [first.rows, await db.sum({ prefix: p, metrics: ['quarantine_active'], from: null, to: lastDay, groupBy: 'none' })];
      },
    },
    question(
      '8 province turn-back reasons breakdown',
      `/v1/aggregates?${qs({ metrics: 'people_turned_back,vehicles_turned_back', region: province, from: firstDay, to: lastDay, groupBy: 'dimension' })}`,
      async (db) => [await all(db, { metrics: ['people_turned_back', 'vehicles_turned_back'], groupBy: 'dimension' })],
    ),
    question(
      '9 province sites_active by day',
      `/v1/aggregates?${qs({ metrics: 'sites_active', region: province, from: firstDay, to: lastDay, groupBy: 'day' })}`,
      async (db) => [await all(db, { metrics: ['sites_active'], from: null, groupBy: 'day' })],
    ),
    totals(`10 city totals (${city}), 5 headline metrics, last week`, city),
    breakdown(`11 city (${city}) people screened per county, last week`, city, 'people_screened', 'county'),
    totals(`12 county totals (${county}), 5 headline metrics, last week`, county),
    breakdown(`13 county (${county}) people turned back per town, last week`, county, 'people_turned_back', 'town'),
    {
      label: `14 top-10 sites in the city (${city}) by people turned back, last week`,
      path: `/v1/aggregates?${qs({ metrics: 'people_turned_back', region: city, ...week, groupBy: 'site', sort: '-people_turned_back', limit: '10' })}`,
      async sql(db) {
        return [await db.sum({ prefix: prefixOf(city), metrics: ['people_turned_back'], ...week, groupBy: 'site' })];
      },
    },
    villageTotals('15', village),
  ];
}
