/**
 * The query benchmark's data set, generated inside ClickHouse: rows of the
 * exact shape the roll-up consumer writes (packages/ingest/src/consumer/rows.ts),
 * made by `INSERT INTO events SELECT ... FROM numbers(...)` so that ten
 * million events load in minutes instead of hours over HTTP. The
 * materialized views fill the roll-ups and `voids` as the rows go in, as
 * they do for the consumer's inserts. The places are a county's
 * ({@link countyPlaces}) or a province's ({@link provincePlaces}).
 *
 * Every value is a function of the row number (cityHash64(n, k)), so a run
 * is reproducible. `verifySample` checks the SQL against the TypeScript that
 * defines the shape: it parses sampled rows with the zod `eventSchema`, runs
 * the consumer's own `eventRow` / `retractionRow` on them and compares.
 */
import type { ClickHouse } from '@cordon/clickhouse';
import { mostSpecificCode, type RegionRegistry } from '@cordon/regions';
import { createDayOf, eventSchema } from '@cordon/schemas';
import { eventRow, retractionRow, type EventRow } from '@cordon/ingest';

/** 2020-01-20T00:00:00+08:00: the first day, and the epoch second it starts. */
export const firstDay = '2020-01-20';
const firstDayEpoch = 1579449600;
export const days = 90;
/** The county data set's sites (the dashboard and bulletin benches load it too). */
const countySites = 200;
/** The last tenth of the sites close on days 60..79; site-bound events from day 60 use the others. */
const closedFromOf = (sites: number) => sites - Math.floor(sites / 10);
/** Every `voidEvery`-th bulk event (n % voidEvery = voidAt) is taken back by a void. */
const voidEvery = 1000;
const voidAt = 500;
/**
 * The optional late event (LoadPlan.late): a screening of nobody (so no
 * contributions) received on 2020-05-01, after every other row. A `knownAt`
 * between the two (lateKnownAt) makes the API read the raw table (a row was
 * received after it) while the answer stays the roll-up's: the only row left
 * out adds nothing.
 */
const lateReceivedMs = Date.parse('2020-05-01T00:00:00Z');
export const lateKnownAt = '2020-04-30T00:00:00.000Z';

/**
 * Where a data set's events happen: 12-digit region keys as the rows store
 * them (a town: 9-digit code + 000; a county: 6 digits + 000000).
 */
export interface Places {
  /** The area, for the print-out ("新郑市 410184"). */
  label: string;
  /** The area's public code (410184, 410000). */
  code: string;
  /** Site ids are `${sitePrefix}` and the site's number padded to `siteDigits`. */
  sitePrefix: string;
  siteDigits: number;
  /** Sites are registered as `${siteName}` and their number. */
  siteName: string;
  /** The region each site reports from (its length is the number of sites). */
  siteRegions: string[];
  /** Where the events not bound to a site happen (towns and villages). */
  spread: string[];
  /** Where donations are booked. */
  donationPlaces: string[];
  /** Regions of each level in the area, for the print-out. */
  counts: { cities: number; counties: number; towns: number; villages: number };
}

const townKey = (code: string) => `${code}000`;
const countyKey = (code: string) => `${code}000000`;
const keysAt = (regions: RegionRegistry, code: string, level: 'city' | 'county' | 'town' | 'village') =>
  regions
    .descendantsAtLevel(code, level)
    .map((r) => (level === 'village' ? r.code : level === 'town' ? townKey(r.code) : countyKey(r.code)));

/**
 * One site's region: every 4th a town, the rest villages, the `k`-th site of
 * its area spread over the area's towns and villages.
 */
const siteRegionOf = (i: number, k: number, towns: readonly string[], villages: readonly string[]): string =>
  (i % 4 === 0 && towns.length > 0) || villages.length === 0 ? towns[k % towns.length]! : villages[(k * 37) % villages.length]!;

/** A county's places from the registry: 200 sites over its towns and villages (新郑市: 15 towns, 300 villages). */
export function countyPlaces(regions: RegionRegistry, county: string): Places {
  const towns = keysAt(regions, county, 'town');
  const villages = keysAt(regions, county, 'village');
  return {
    label: `${regions.get(county)?.name ?? county} ${county}`,
    code: county,
    sitePrefix: 'xz-cp-',
    siteDigits: 3,
    siteName: '新郑卡点',
    siteRegions: Array.from({ length: countySites }, (_, i) => siteRegionOf(i, i % 4 === 0 ? i / 4 : i, towns, villages)),
    spread: [...towns, ...villages],
    donationPlaces: [countyKey(county), ...towns],
    counts: { cities: 0, counties: 1, towns: towns.length, villages: villages.length },
  };
}

/**
 * A province's places: every county in the registry with `sitesPerCounty`
 * sites over its own towns and villages (site i in county i mod n), the
 * other events over every town and village of the province, donations over
 * its cities, counties and towns.
 */
export function provincePlaces(regions: RegionRegistry, province: string, sitesPerCounty: number): Places {
  const counties = regions.descendantsAtLevel(province, 'county').map((r) => r.code);
  const perCounty = counties.map((c) => ({ towns: keysAt(regions, c, 'town'), villages: keysAt(regions, c, 'village') }));
  const towns = keysAt(regions, province, 'town');
  const villages = keysAt(regions, province, 'village');
  const cities = keysAt(regions, province, 'city');
  return {
    label: `${regions.get(province)?.name ?? province} ${province}`,
    code: province,
    sitePrefix: 'ha-cp-',
    siteDigits: 4,
    siteName: '河南卡点',
    siteRegions: Array.from({ length: counties.length * sitesPerCounty }, (_, i) => {
      const place = perCounty[i % counties.length]!;
      return siteRegionOf(i, Math.floor(i / counties.length), place.towns, place.villages);
    }),
    spread: [...towns, ...villages],
    donationPlaces: [...cities, ...counties.map(countyKey), ...towns],
    counts: { cities: cities.length, counties: counties.length, towns: towns.length, villages: villages.length },
  };
}

export function siteId(places: Places, i: number): string {
  return `${places.sitePrefix}${String(i).padStart(places.siteDigits, '0')}`;
}

const lit = (values: readonly string[]) => `[${values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(',')}]`;

const uuidOf = (namespace: string, n: string) => `toUUID(concat('0190d8a0-${namespace}-4000-8000-', leftPad(lower(hex(${n})), 12, '0')))`;

const turnbackReasons = ['外地车辆', '无通行证', '非必要出行'];
const donationPairs: [string, string][] = [
  ['masks', 'piece'],
  ['disinfectant', 'kg'],
  ['disinfectant', 'barrel'],
  ['sprayers', 'piece'],
  ['protective_suits', 'set'],
  ['goggles', 'set'],
  ['thermometers', 'piece'],
  ['soap', 'piece'],
  ['food', 'box'],
  ['vegetables', 'kg'],
  ['cash', 'cny'],
  ['other', 'box'],
];
/** The donated:* metrics the data set has: the office's "what was donated, by item". */
export const donatedMetrics = donationPairs.map(([item, unit]) => `donated:${item}:${unit}`);

/** Share of the bulk events per type, in percent (site events and voids are added on top). */
const typeMix: [string, number][] = [
  ['screening', 35],
  ['turnback', 15],
  ['fever', 5],
  ['shift', 12],
  ['quarantine.started', 6],
  ['quarantine.ended', 4],
  ['sweep', 8],
  ['donation', 4],
  ['deployment', 3],
  ['incident', 2],
  ['resumption', 6],
];

/** A contribution tuple as the consumer stores it: (metric, dim, value). */
const c = (metric: string, dim: string, value: string) => `tuple(${metric}, ${dim}, toFloat64(${value}))`;
const s = (text: string) => `'${text}'`;

/**
 * One row per bulk event n in [start, start + count): the columns of `events`
 * before the last touches (retractions and voids reuse it).
 */
function bulkSelect(places: Places, start: number, count: number, voidedOnly = false): string {
  let cumulative = 0;
  const typeCases = typeMix
    .map(([type, share], i) => (i === typeMix.length - 1 ? s(type) : `b < ${(cumulative += share)}, ${s(type)}`))
    .join(', ');
  const sites = places.siteRegions.length;
  const nonSite = places.spread;
  const donationPlaces = places.donationPlaces;
  return `
    SELECT n, t, occ_ms, rec_ms, region, site,
      multiIf(
        t = 'screening', concat('{"vehicles":', toString(v), ',"people":', toString(p), if(h8 % 10 = 0, '', concat(',"temperatureChecks":', toString(p))), '}'),
        t = 'turnback', concat('{"vehicles":', toString(tv), ',"people":', toString(tp), if(reason = '', '', concat(',"reason":"', reason, '"')), '}'),
        t = 'fever', concat('{"people":', toString(1 + h6 % 2), ',"disposition":"', disposition, '"}'),
        t = 'shift', concat('{"staff":', toString(staff), ',"partyMembers":', toString(pm), if(mil = 0, '', concat(',"militia":', toString(mil))),
                            if(vol = 0, '', concat(',"volunteers":', toString(vol))), ',"hours":', toString(hours), '}'),
        t = 'quarantine.started', concat('{"subject":"xz-q-', lower(hex(h6)), '","reason":"', qreason, '","plannedDays":14}'),
        t = 'quarantine.ended', concat('{"subject":"xz-q-', lower(hex(h6)), '","outcome":"', qoutcome, '"}'),
        t = 'sweep', concat('{"households":', toString(hh), ',"people":', toString(hp), ',"returnees":', toString(ret),
                            if(hubeiGiven, concat(',"returneesFromHubei":', toString(hubei)), ''), '}'),
        t = 'donation', concat('{"donorType":"', donorType, '","item":"', item, '","quantity":', toString(quantity), ',"unit":"', unit, '"}'),
        t = 'deployment', concat('{"role":"', role, '","people":', toString(1 + h7 % 30), '}'),
        t = 'incident', concat('{"kind":"', kind, '","outcome":"', ioutcome, '"}'),
        concat('{"enterprises":', toString(1 + h6 % 4), ',"employees":', toString(h7 % 200), '}')
      ) AS data,
      arrayFilter(x -> x.3 != 0, CAST(multiIf(
        t = 'screening', [${c("'vehicles_screened'", "''", 'v')}, ${c("'people_screened'", "''", 'p')}, ${c("'temperature_checks'", "''", 'if(h8 % 10 = 0, 0, p)')}],
        t = 'turnback', [${c("'vehicles_turned_back'", 'reason', 'tv')}, ${c("'people_turned_back'", 'reason', 'tp')}],
        t = 'fever', [${c("'fever_cases'", 'disposition', '1 + h6 % 2')}],
        t = 'shift', [${c("'shifts'", "''", '1')}, ${c("'staff_on_duty'", "'party_member'", 'pm')}, ${c("'staff_on_duty'", "'militia'", 'mil')},
                      ${c("'staff_on_duty'", "'volunteer'", 'vol')}, ${c("'staff_on_duty'", "'other'", 'toInt64(staff) - pm - mil - vol')}],
        t = 'quarantine.started', [${c("'quarantine_started'", 'qreason', '1')}, ${c("'quarantine_active'", "''", '1')}],
        t = 'quarantine.ended', [${c("'quarantine_ended'", 'qoutcome', '1')}, ${c("'quarantine_active'", "''", '-1')}],
        t = 'sweep', [${c("'households_swept'", "''", 'hh')}, ${c("'people_swept'", "''", 'hp')}, ${c("'returnees_found'", "'hubei'", 'hubei')},
                      ${c("'returnees_found'", "if(hubeiGiven, 'other', '')", 'toInt64(ret) - hubei')}],
        t = 'donation', [${c("'donations'", 'donorType', '1')}, ${c("concat('donated:', item, ':', unit)", 'donorType', 'quantity')}],
        t = 'deployment', [${c("'people_deployed'", 'role', '1 + h7 % 30')}],
        t = 'incident', [${c("'incidents'", 'kind', '1')}],
        [${c("'enterprises_resumed'", "''", '1 + h6 % 4')}, ${c("'employees_returned'", "''", 'h7 % 200')}]
      ) AS Array(Tuple(String, String, Float64)))) AS cs
    FROM (
      SELECT number AS n,
        cityHash64(n, 1) % 100 AS b,
        multiIf(${typeCases}) AS t,
        cityHash64(n, 2) % ${days} AS d,
        (${firstDayEpoch} + d * 86400 + cityHash64(n, 3) % 86400) * 1000 AS occ_ms,
        occ_ms + 30000 + cityHash64(n, 4) % 3600000 AS rec_ms,
        t IN ('screening', 'turnback', 'fever', 'shift', 'incident') AS atSite,
        if(d >= 60, cityHash64(n, 5) % ${closedFromOf(sites)}, cityHash64(n, 5) % ${sites}) AS siteIndex,
        if(atSite, ${siteIdSql(places, 'siteIndex')}, '') AS site,
        multiIf(atSite, ${lit(places.siteRegions)}[1 + siteIndex],
                t = 'donation', ${lit(donationPlaces)}[1 + cityHash64(n, 5) % ${donationPlaces.length}],
                ${lit(nonSite)}[1 + cityHash64(n, 5) % ${nonSite.length}]) AS region,
        cityHash64(n, 6) AS h6, cityHash64(n, 7) AS h7, cityHash64(n, 8) AS h8, cityHash64(n, 9) AS h9,
        h6 % 120 AS v, v * 2 + h7 % 80 AS p,
        h6 % 15 AS tv, tv + h7 % 25 AS tp, if(h8 % 5 = 0, '', ${lit(turnbackReasons)}[1 + h9 % 3]) AS reason,
        ['referred', 'isolated', 'released', 'other'][1 + h7 % 4] AS disposition,
        toInt64(h6 % 3) AS pm, toInt64(h7 % 2) AS mil, toInt64(h8 % 3) AS vol, pm + mil + vol + 1 + toInt64(h9 % 6) AS staff, [8, 12, 24][1 + intDiv(h9, 8) % 3] AS hours,
        ['returnee_hubei', 'returnee_other', 'close_contact', 'other'][1 + h7 % 4] AS qreason,
        ['released', 'hospitalized', 'transferred', 'other'][1 + h7 % 4] AS qoutcome,
        10 + h6 % 200 AS hh, hh * 3 + h7 % 50 AS hp, h8 % 6 AS ret, h9 % 4 != 0 AS hubeiGiven, if(hubeiGiven, toInt64(intDiv(h9, 4) % (ret + 1)), 0) AS hubei,
        ['party_member', 'resident', 'company', 'organization', 'government', 'anonymous'][1 + h6 % 6] AS donorType,
        ${lit(donationPairs.map(([item]) => item))}[1 + h7 % ${donationPairs.length}] AS item,
        ${lit(donationPairs.map(([, unit]) => unit))}[1 + h7 % ${donationPairs.length}] AS unit,
        multiIf(unit = 'kg', (h8 % 5000 + 1) / 10, unit = 'cny', toFloat64((h8 % 100 + 1) * 100), toFloat64(h8 % 500 + 1)) AS quantity,
        ['party_member', 'cadre', 'militia', 'volunteer', 'medical', 'police'][1 + h6 % 6] AS role,
        ['checkpoint_breach', 'refused_check', 'assault', 'other'][1 + h6 % 4] AS kind,
        ['warned', 'detained', 'fined', 'referred', 'other'][1 + h7 % 5] AS ioutcome
      FROM numbers(${start}, ${count})
      -- The voided events only (for their voids and retractions): filtered before the columns are made.
      ${voidedOnly ? `WHERE number % ${voidEvery} = ${voidAt}` : ''}
    )`;
}

/** The site id of site number `index` (an SQL expression), as siteId() makes it. */
const siteIdSql = (places: Places, index: string) =>
  `concat('${places.sitePrefix}', leftPad(toString(${index}), ${places.siteDigits}, '0'))`;

/** A registration per site on the first morning, and the closures (the last tenth of the sites, on days 60..79). */
function siteSelect(places: Places): string {
  const kinds = ['road_checkpoint', 'community_gate', 'highway_service_area', 'monitoring_point', 'grid_cell'];
  const sites = places.siteRegions.length;
  const closedFrom = closedFromOf(sites);
  return `
    SELECT n, t, occ_ms, occ_ms + 60000 AS rec_ms, ${lit(places.siteRegions)}[1 + i] AS region, ${siteIdSql(places, 'i')} AS site,
      if(t = 'site.registered', concat('{"name":"${places.siteName}', leftPad(toString(i), ${places.siteDigits}, '0'), '","kind":"', kind, '"}'), '{"reason":"撤点"}') AS data,
      if(t = 'site.registered', [${c("'sites_active'", 'kind', '1')}], [${c("'sites_active'", "''", '-1')}]) AS cs
    FROM (
      SELECT number AS n, if(n < ${sites}, n, ${closedFrom} + n - ${sites}) AS i,
        if(n < ${sites}, 'site.registered', 'site.closed') AS t,
        ${lit(kinds)}[1 + i % ${kinds.length}] AS kind,
        if(n < ${sites}, ${firstDayEpoch} + 7 * 3600 + i * 10, ${firstDayEpoch} + (60 + (i - ${closedFrom}) % 20) * 86400 + 10 * 3600) * 1000 AS occ_ms
      FROM numbers(${sites + (sites - closedFrom)})
    )`;
}

/** The late event (lateKnownAt): site 0 screened nobody on the last day; received after every other row. */
function lateSelect(places: Places): string {
  return `
    SELECT toUInt64(0) AS n, 'screening' AS t, toInt64(${(firstDayEpoch + (days - 1) * 86400 + 12 * 3600) * 1000}) AS occ_ms,
      toInt64(${lateReceivedMs}) AS rec_ms, '${places.siteRegions[0]!}' AS region, ${siteIdSql(places, '0')} AS site,
      '{"vehicles":0,"people":0,"temperatureChecks":0}' AS data, CAST([], 'Array(Tuple(String, String, Float64))') AS cs`;
}

/** INSERT of rows from a select of (n, t, occ_ms, rec_ms, region, site, data, cs) plus the given id, sign and void_id. */
function insertSql(ch: ClickHouse, select: string, columns: { id: string; sign: 1 | -1; voidId: string; where?: string }): string {
  return `
    INSERT INTO ${ch.database}.events (id, sign, type, occurred_at, day, region, site, source, received_at, void_id, data,
      \`contributions.metric\`, \`contributions.dim\`, \`contributions.value\`, log_partition, log_offset)
    SELECT ${columns.id}, ${columns.sign}, t, fromUnixTimestamp64Milli(toInt64(occ_ms), 'UTC'),
      toDate('${firstDay}') + intDiv(intDiv(occ_ms, 1000) - ${firstDayEpoch}, 86400),
      region, site, 'bench', fromUnixTimestamp64Milli(toInt64(rec_ms), 'UTC'), ${columns.voidId}, data,
      arrayMap(x -> x.1, cs), arrayMap(x -> x.2, cs), arrayMap(x -> x.3, cs), 0, n
    FROM (${select}) ${columns.where ? `WHERE ${columns.where}` : ''}`;
}

/** A retraction (sign -1) for the voided events, as the consumer writes it: the target's row with the void's id and time. */
function retractionSelect(places: Places, start: number, count: number): string {
  return `SELECT n, t, occ_ms, rec_ms + 86400000 AS rec_ms, region, site, data, cs FROM (${bulkSelect(places, start, count, true)})`;
}

/** The void events themselves (sign +1, no contributions), sent a day after their target was received. */
function voidSelect(places: Places, start: number, count: number): string {
  return `SELECT n, 'void' AS t, rec_ms + 86400000 - 60000 AS occ_ms, rec_ms + 86400000 AS rec_ms, region, site,
            concat('{"target":"', toString(${uuidOf('b001', 'n')}), '","reason":"', ['重复上报', '数据录入错误'][1 + n % 2], '"}') AS data,
            CAST([], 'Array(Tuple(String, String, Float64))') AS cs
          FROM (${bulkSelect(places, start, count, true)})`;
}

export interface LoadPlan {
  bulk: number;
  sites: number;
  voids: number;
  /** 1 with the late event (lateKnownAt), else 0. */
  late: number;
  /** sign +1 rows: bulk + site events + voids + late = the events asked for. */
  events: number;
}

/**
 * Bulk events so that bulk + site events + voids (+ the late event) =
 * `events`. `sites`: the data set's sites (places.siteRegions.length; by
 * default the county's 200).
 */
export function planLoad(events: number, options: { sites?: number; late?: boolean } = {}): LoadPlan {
  const siteCount = options.sites ?? countySites;
  const sites = siteCount + (siteCount - closedFromOf(siteCount));
  const late = options.late ? 1 : 0;
  const voidsIn = (bulk: number) => (bulk > voidAt ? Math.floor((bulk - voidAt - 1) / voidEvery) + 1 : 0);
  let bulk = events - sites - late;
  while (bulk + sites + late + voidsIn(bulk) > events) bulk--;
  return { bulk, sites, voids: voidsIn(bulk), late, events: bulk + sites + late + voidsIn(bulk) };
}

/**
 * Loads the data set in chunks of `chunk` bulk events, each with its voids
 * and retractions; `progress` is told after each chunk.
 */
export async function loadEvents(
  ch: ClickHouse,
  places: Places,
  plan: LoadPlan,
  chunk: number,
  progress: (done: number) => void,
): Promise<void> {
  // A province's towns and villages (55k keys) go into the SQL as array literals, beyond the default 256 KiB.
  const run = (query: string) =>
    ch.client.command({ query, clickhouse_settings: { insert_deduplicate: 0, max_query_size: String(64 * 2 ** 20) } });
  await run(insertSql(ch, siteSelect(places), { id: uuidOf('b003', 'n'), sign: 1, voidId: 'NULL' }));
  for (let start = 0; start < plan.bulk; start += chunk) {
    const count = Math.min(chunk, plan.bulk - start);
    await run(insertSql(ch, bulkSelect(places, start, count), { id: uuidOf('b001', 'n'), sign: 1, voidId: 'NULL' }));
    await run(insertSql(ch, voidSelect(places, start, count), { id: uuidOf('b002', 'n'), sign: 1, voidId: 'NULL' }));
    await run(insertSql(ch, retractionSelect(places, start, count), { id: uuidOf('b001', 'n'), sign: -1, voidId: uuidOf('b002', 'n') }));
    progress(start + count);
  }
  if (plan.late) await run(insertSql(ch, lateSelect(places), { id: uuidOf('b004', 'n'), sign: 1, voidId: 'NULL' }));
}

interface StoredRow extends Omit<EventRow, 'sign' | 'log_offset'> {
  sign: number;
  log_offset: string | number;
}

const rowColumns = `toString(id) AS id, sign, type, toString(occurred_at) AS occurred_at, toString(day) AS day, toString(region) AS region, site, source,
  toString(received_at) AS received_at, if(isNull(void_id), NULL, toString(void_id)) AS void_id, data,
  contributions.metric AS \`contributions.metric\`, contributions.dim AS \`contributions.dim\`, contributions.value AS \`contributions.value\`, log_partition, log_offset`;

async function rows(ch: ClickHouse, query: string, params: Record<string, unknown> = {}): Promise<StoredRow[]> {
  const result = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<StoredRow>();
}

/** The event a stored row came from, as a field app would have sent it. */
function eventOf(row: StoredRow): unknown {
  return {
    id: row.id,
    type: row.type,
    occurredAt: `${row.occurred_at.replace(' ', 'T')}Z`,
    region: mostSpecificCode(row.region),
    ...(row.site === '' ? {} : { site: row.site }),
    source: row.source,
    data: JSON.parse(row.data) as unknown,
  };
}

const shapeFields = [
  'id',
  'type',
  'occurred_at',
  'day',
  'region',
  'site',
  'source',
  'data',
  'contributions.metric',
  'contributions.dim',
  'contributions.value',
] as const;

function differences(stored: StoredRow, expected: EventRow, fields: readonly string[]): string[] {
  return fields
    .filter((f) => JSON.stringify(stored[f as keyof StoredRow]) !== JSON.stringify(expected[f as keyof EventRow]))
    .map((f) => `${f}: stored ${JSON.stringify(stored[f as keyof StoredRow])}, TS ${JSON.stringify(expected[f as keyof EventRow])}`);
}

export interface SampleCheck {
  rows: number;
  byType: Record<string, number>;
  mismatches: string[];
  retractions: number;
  retractionMismatches: string[];
}

/**
 * Reads back `size` sign +1 rows (spread over every type), parses each with
 * the zod eventSchema and rebuilds its row with the consumer's `eventRow`
 * (contributionsOf, the day in CORDON_TZ, the 12-digit region key, the data
 * JSON): every field but the log position and receipt time must be equal.
 * Then rebuilds sampled retractions with `retractionRow` from their target.
 */
export async function verifySample(ch: ClickHouse, size: number, timeZone: string): Promise<SampleCheck> {
  const dayOf = createDayOf(timeZone);
  // 13 types have thousands of events; site.closed has 20.
  const perType = Math.ceil(size / 13);
  // Sorting every row whole by its hash needs them all in memory (at 100M
  // events more than the machine has), so about 100k rows of the common
  // types are kept first, by the same hash, and every row of the rare ones.
  const [count] = await (
    await ch.client.query({ query: `SELECT count() AS n FROM ${ch.database}.events`, format: 'JSONEachRow' })
  ).json<{
    n: string;
  }>();
  const every = Math.max(1, Math.floor(Number(count?.n ?? 0) / 100_000));
  const sample = await rows(
    ch,
    `SELECT ${rowColumns} FROM ${ch.database}.events
     WHERE sign = 1 AND (cityHash64(id) % ${every} = 0 OR type IN ('site.registered', 'site.closed', 'void'))
     ORDER BY cityHash64(id) LIMIT ${perType} BY type LIMIT ${size}`,
  );
  const mismatches: string[] = [];
  const byType: Record<string, number> = {};
  for (const row of sample) {
    byType[row.type] = (byType[row.type] ?? 0) + 1;
    const parsed = eventSchema.safeParse(eventOf(row));
    if (!parsed.success) {
      mismatches.push(`${row.id} (${row.type}): not a valid event: ${parsed.error.message}`);
      continue;
    }
    const expected = eventRow(parsed.data, { receivedAt: `${row.received_at.replace(' ', 'T')}Z`, partition: 0, offset: 0n, dayOf });
    for (const d of differences(row, expected, shapeFields)) mismatches.push(`${row.id} (${row.type}) ${d}`);
  }

  const retractions = await rows(ch, `SELECT ${rowColumns} FROM ${ch.database}.events WHERE sign = -1 ORDER BY cityHash64(id) LIMIT 100`);
  const ids = retractions.map((r) => r.id);
  const targets = new Map(
    (await rows(ch, `SELECT ${rowColumns} FROM ${ch.database}.events WHERE sign = 1 AND id IN {ids:Array(String)}`, { ids })).map((r) => [
      r.id,
      r,
    ]),
  );
  const voidIds = retractions.map((r) => r.void_id ?? '');
  const voids = new Map(
    (
      await rows(ch, `SELECT ${rowColumns} FROM ${ch.database}.events WHERE sign = 1 AND type = 'void' AND id IN {ids:Array(String)}`, {
        ids: voidIds,
      })
    ).map((r) => [r.id, r]),
  );
  const retractionMismatches: string[] = [];
  for (const r of retractions) {
    const target = targets.get(r.id);
    const voidRow = r.void_id === null ? undefined : voids.get(r.void_id);
    if (!target || !voidRow) {
      retractionMismatches.push(`${r.id}: ${target ? '' : 'no target '}${voidRow ? '' : 'no void'}`);
      continue;
    }
    const voidData = JSON.parse(voidRow.data) as { target?: string };
    if (voidData.target !== r.id) retractionMismatches.push(`${r.id}: its void ${voidRow.id} targets ${voidData.target}`);
    const laterOf = target.received_at > voidRow.received_at ? target.received_at : voidRow.received_at;
    const expected = retractionRow(target as unknown as EventRow, voidRow.id, `${laterOf.replace(' ', 'T')}Z`);
    for (const d of differences(r, expected, [...shapeFields, 'sign', 'void_id', 'received_at'])) retractionMismatches.push(`${r.id} ${d}`);
  }
  return { rows: sample.length, byType, mismatches, retractions: retractions.length, retractionMismatches };
}

/** The roll-up tables the query API reads (packages/query-api figure-source.ts), finest first. */
export const rollupTables = ['metric_daily', 'town_daily', 'county_daily', 'city_daily', 'province_daily'] as const;

/** Counts and every roll-up checked against the raw table, metric by metric. */
export async function verifyTotals(
  ch: ClickHouse,
): Promise<{ plus: number; minus: number; voids: number; voidsTable: number; metrics: number; rollupMismatches: string[] }> {
  const db = ch.database;
  const [counts] = await (
    await ch.client.query({
      query: `SELECT countIf(sign = 1) AS plus, countIf(sign = -1) AS minus, countIf(type = 'void') AS voids, (SELECT count() FROM ${db}.voids) AS voids_table FROM ${db}.events`,
      format: 'JSONEachRow',
    })
  ).json<{ plus: string; minus: string; voids: string; voids_table: string }>();
  const sums = async (query: string) =>
    new Map(
      (await (await ch.client.query({ query, format: 'JSONEachRow' })).json<{ metric: string; total: number; n: string }>()).map((r) => [
        r.metric,
        { total: Number(r.total), n: Number(r.n) },
      ]),
    );
  const raw = await sums(
    `SELECT c.metric AS metric, sum(c.value * sign) AS total, sum(sign) AS n FROM ${db}.events ARRAY JOIN contributions AS c GROUP BY metric`,
  );
  const rollupMismatches: string[] = [];
  // Every roll-up the API reads, each against the raw table.
  for (const table of rollupTables) {
    const rollup = await sums(`SELECT metric, sumKahan(value) AS total, sum(events) AS n FROM ${db}.${table} GROUP BY metric`);
    for (const metric of new Set([...rollup.keys(), ...raw.keys()])) {
      const a = rollup.get(metric);
      const b = raw.get(metric);
      if (!a || !b || Math.abs(a.total - b.total) > 1e-6 * Math.max(1, Math.abs(b.total)) || a.n !== b.n) {
        rollupMismatches.push(`${table} ${metric}: roll-up ${JSON.stringify(a)}, raw ${JSON.stringify(b)}`);
      }
    }
  }
  return {
    plus: Number(counts!.plus),
    minus: Number(counts!.minus),
    voids: Number(counts!.voids),
    voidsTable: Number(counts!.voids_table),
    metrics: raw.size,
    rollupMismatches,
  };
}
