import type { MetricName, Schemas } from '@cordon/sdk';

/** What the page shows: everything a person can choose, and nothing else. */
export interface View {
  region: string;
  /** null: from the first day with data. */
  from: string | null;
  to: string;
  /** The metric of the daily chart and the breakdown's bar chart. */
  metric: MetricName;
  interval: 'day' | 'week';
  /** The figures as known at this instant (ISO), or null for now. */
  knownAt: string | null;
}

export type Level = Schemas['RegionDetail']['level'];

/** The headline cards, in the order the county bulletins list them. */
export const cardMetrics = [
  'people_screened',
  'vehicles_screened',
  'people_turned_back',
  'vehicles_turned_back',
  'fever_cases',
  'quarantine_active',
  'sites_active',
] as const satisfies readonly MetricName[];

export type CardMetric = (typeof cardMetrics)[number];

/** Metrics the chart may show: the cards' (the catalogue's stock metrics are levels, charted as such). */
export const chartMetrics: readonly MetricName[] = cardMetrics;

const nextLevels: Record<Level, Level | null> = { province: 'city', city: 'county', county: 'town', town: 'village', village: null };

/** The level a region's breakdown is by: a county by its towns, a town by its villages. */
export function nextLevel(level: Level): Level | null {
  return nextLevels[level];
}

export interface BreakdownRow {
  code: string;
  name: string;
  /** True for the figures booked on the region itself rather than on a region below it. */
  own: boolean;
  values: Partial<Record<MetricName, number>>;
}

export type SortKey = 'name' | MetricName;
export interface Sort {
  key: SortKey;
  descending: boolean;
}

/** Rows in the table's order; ties by code, so the order is stable between refreshes. */
export function sortRows(rows: readonly BreakdownRow[], sort: Sort): BreakdownRow[] {
  const direction = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const order = sort.key === 'name' ? a.name.localeCompare(b.name, 'zh-CN') : (a.values[sort.key] ?? 0) - (b.values[sort.key] ?? 0);
    return order !== 0 ? order * direction : a.code.localeCompare(b.code);
  });
}

/** The breakdown answer's rows, the region's own row (events booked on it directly) marked. */
export function breakdownRows(answer: Schemas['Aggregates'], region: string): BreakdownRow[] {
  const rows: BreakdownRow[] = [];
  for (const row of answer.rows) {
    const key = row.key as { region?: string; name?: string };
    if (key.region === undefined) continue;
    rows.push({ code: key.region, name: key.name ?? key.region, own: key.region === region, values: row.values });
  }
  return rows;
}

export interface Card {
  metric: CardMetric;
  /** Flow metrics: the sum from..to; stock metrics: the level at the end of `to`. */
  total: number;
  /** The last day's value (a stock metric's level that day). */
  lastDay: number;
  /** lastDay minus the day before's. */
  change: number;
}

/** The cards from the totals answer and the two-day answer (groupBy=day over to−1..to). */
export function cardsOf(totals: Schemas['Aggregates'], days: Schemas['Aggregates'], to: string): Card[] {
  const byDay = new Map(days.rows.map((row) => [(row.key as { day?: string }).day, row.values]));
  const last = byDay.get(to) ?? {};
  const previous = [...byDay.entries()].find(([day]) => day !== to)?.[1] ?? {};
  return cardMetrics.map((metric) => {
    const lastDay = last[metric] ?? 0;
    return { metric, total: totals.totals[metric] ?? 0, lastDay, change: lastDay - (previous[metric] ?? 0) };
  });
}
