import { addDays, daysApart } from '@cordon/schemas';
import type { CordonClient, CordonError, MetricName, Result } from '@cordon/sdk';
import { BulletinError, fromSdkError } from './errors.ts';
import { headlineMetrics, type BulletinFigures, type HeadlineMetric, type MetricFigure, type SiteRef } from './figures.ts';

export interface FetchOptions {
  region: string;
  /** The reporting day, YYYY-MM-DD in the server's zone. */
  date: string;
  /** The instant to read at; default: the pipeline's asOf now (GET /v1/status), so the same bulletin can be made again from it. */
  knownAt?: string | undefined;
  /** For error messages only. */
  baseUrl?: string | undefined;
}

/** Families asked for with a selector; their members are kept only where the region has data. */
const families = ['donated:*', 'issued:*', 'publicity:*'] as unknown as MetricName[];
const trendMetrics = ['people_screened', 'people_turned_back'] as const satisfies readonly MetricName[];
const nextLevel: Record<string, string | undefined> = { province: 'city', city: 'county', county: 'town', town: 'village' };

/**
 * Reads every figure of one region's bulletin for one day through the SDK,
 * all at one `knownAt`: the same knownAt gives the same figures, so a past
 * bulletin can be made again byte for byte. No clock, no server internals.
 */
export async function fetchBulletinFigures(client: CordonClient, options: FetchOptions): Promise<BulletinFigures> {
  const { region, date } = options;
  const ok = async <T>(call: Promise<Result<T>>): Promise<T> => {
    const { data, error } = await call;
    if (error) throw fromSdkError(error as CordonError, { baseUrl: options.baseUrl, region });
    return data;
  };
  const [status, catalogueAnswer, regionInfo] = await Promise.all([
    ok(client.status()),
    ok(client.metrics()),
    ok(client.regions.get(region)),
  ]);
  const knownAt = options.knownAt ?? status.asOf;
  const plain = catalogueAnswer.metrics.filter((m) => !m.name.includes(':')).map((m) => m.name);
  const previousDate = addDays(date, -1);
  const level = nextLevel[regionInfo.level];
  const trendFrom = addDays(date, -13);

  const figures = (from: string | undefined, to: string) =>
    ok(client.aggregates({ metrics: [...plain, ...families], region, ...(from ? { from } : {}), to, knownAt }));
  const [total, day, previous, completeness, bySite, quality, subDay, subTotal, ...trend] = await Promise.all([
    figures(undefined, date),
    figures(date, date),
    figures(previousDate, previousDate),
    ok(client.completeness({ region, date, knownAt })),
    ok(
      client.aggregates({
        metrics: catalogueAnswer.metrics.filter((m) => m.kind === 'flow' && !m.name.includes(':')).map((m) => m.name),
        region,
        from: date,
        to: date,
        groupBy: 'site',
        knownAt,
      }),
    ),
    ok(client.quality({ region, from: date, to: date, knownAt })),
    level
      ? ok(
          client.aggregates({
            metrics: [...headlineMetrics],
            region,
            from: date,
            to: date,
            groupBy: 'region',
            level: level as 'town',
            knownAt,
          }),
        )
      : undefined,
    level
      ? ok(client.aggregates({ metrics: [...headlineMetrics], region, to: date, groupBy: 'region', level: level as 'town', knownAt }))
      : undefined,
    ...trendMetrics.map((metric) => ok(client.timeseries({ metric, region, from: trendFrom, to: date, interval: 'day', knownAt }))),
  ]);
  if (total.from === null || Object.values(total.totals).every((v) => v === 0)) {
    throw new BulletinError('no_data', `region ${region} (${regionInfo.name}) has no data up to ${date}`);
  }

  const fromOf = new Map(catalogueAnswer.metrics.map((m) => [m.name as string, m.from]));
  // A metric has data when it, or a metric fed by the same event types, is not 0 up to the day (contributions of 0 are not stored, so this is the closest the figures tell).
  const typesWithData = new Set<string>();
  const stock = new Set(catalogueAnswer.metrics.filter((m) => m.kind === 'stock').map((m) => m.name as string));
  // Flow metrics only: a stock is fed by two types (quarantine_active by starts and ends), and its level says nothing of the second.
  for (const [name, value] of Object.entries(total.totals))
    if (value !== 0 && !stock.has(name)) for (const t of fromOf.get(name) ?? []) typesWithData.add(t);
  const hasData = (name: string, cumulative: number) =>
    name.includes(':') ? cumulative !== 0 : cumulative !== 0 || (fromOf.get(name) ?? []).some((t) => typesWithData.has(t));

  const metrics: Record<string, MetricFigure> = {};
  for (const name of total.metrics) {
    const cumulative = total.totals[name] ?? 0;
    if (name.includes(':') && cumulative === 0) continue;
    metrics[name] = hasData(name, cumulative)
      ? { day: day.totals[name] ?? 0, previous: previous.totals[name] ?? 0, cumulative }
      : { day: null, previous: null, cumulative: null };
  }
  const catalogue: BulletinFigures['catalogue'] = {};
  for (const m of catalogueAnswer.metrics) if (m.name in metrics) catalogue[m.name] = { label: m.label, unit: m.unitLabel };

  const sites = new Map(completeness.sites.map((s) => [s.id, s]));
  const ref = (id: string): SiteRef => {
    const s = sites.get(id);
    return { id, name: s?.name ?? id, region: s?.region ?? { code: region, name: regionInfo.name } };
  };
  const withFigures = new Set(
    bySite.rows.filter((r) => Object.values(r.values).some((v) => v !== 0)).map((r) => (r.key as { site?: string }).site),
  );
  const zeroReports = completeness.sites.filter((s) => s.reported && !withFigures.has(s.id)).map((s) => ref(s.id));

  return {
    version: 1,
    region: { code: regionInfo.code, name: regionInfo.name, level: regionInfo.level },
    date,
    previousDate,
    timeZone: status.timeZone,
    firstDay: total.from,
    issue: daysApart(total.from, date) + 1,
    knownAt,
    asOf: total.asOf,
    catalogue,
    metrics,
    subregions: level && subDay && subTotal ? { level, rows: subregionRows(subDay.rows, subTotal.rows) } : null,
    completeness: {
      inService: completeness.inService,
      reporting: completeness.reporting,
      zeroReports,
      notReporting: completeness.notReporting.map(ref),
    },
    quality: quality.flags.map((f) => ({ check: f.check, site: f.site, region: f.region, metric: f.metric, detail: f.detail })),
    trend: {
      from: trendFrom,
      to: date,
      series: trend.map((t) => ({
        metric: t.metric,
        points: t.points.map((p) => ({ period: p.period, value: p.value, movingAverage7: p.movingAverage7 })),
      })),
    },
  };
}

type Row = { key: Record<string, unknown>; values: Record<string, number> };

/** Every subregion with data up to the day, ordered by code; a figure with no events behind it (its event type never seen there) is null. */
function subregionRows(dayRows: readonly Row[], totalRows: readonly Row[]): NonNullable<BulletinFigures['subregions']>['rows'] {
  const dayOf = new Map(dayRows.map((r) => [String(r.key['region']), r.values]));
  const groups: readonly (readonly HeadlineMetric[])[] = [
    ['vehicles_screened', 'people_screened'],
    ['vehicles_turned_back', 'people_turned_back'],
    ['fever_cases'],
  ];
  return totalRows
    .map((r) => {
      const code = String(r.key['region']);
      const today = dayOf.get(code) ?? {};
      const values = {} as Record<HeadlineMetric, { day: number | null; cumulative: number | null }>;
      for (const group of groups) {
        const seen = group.some((m) => (r.values[m] ?? 0) !== 0);
        for (const m of group) values[m] = seen ? { day: today[m] ?? 0, cumulative: r.values[m] ?? 0 } : { day: null, cumulative: null };
      }
      return { code, name: String(r.key['name']), values };
    })
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
