import type { MetricName } from '@cordon/sdk';

/** The languages a bulletin is written in: the metric catalogue's. */
export type BulletinLang = 'zh' | 'en';
export type Localized = Readonly<Record<BulletinLang, string>>;

/** The five figures of the headline sentence (截至…，累计排查车辆…台、…人，劝返车辆…台、…人，发现发热人员…名). */
export const headlineMetrics = [
  'vehicles_screened',
  'people_screened',
  'vehicles_turned_back',
  'people_turned_back',
  'fever_cases',
] as const satisfies readonly MetricName[];
export type HeadlineMetric = (typeof headlineMetrics)[number];

/**
 * One metric on the reporting day. `null` everywhere is 无数据: the region
 * has no event at all that this metric counts, which is not the same as 0.
 * For stock metrics (quarantine_active, sites_active) `day` and `previous`
 * are the levels at the end of those days and `cumulative` the level at the
 * end of the reporting day.
 */
export interface MetricFigure {
  day: number | null;
  previous: number | null;
  cumulative: number | null;
}

export interface SiteRef {
  id: string;
  name: string;
  region: { code: string; name: string };
}

export interface QualityWarning {
  check: string;
  site: string | null;
  region: { code: string; name: string };
  metric: string | null;
  detail: string;
}

/**
 * Everything a bulletin prints, read through the SDK at one `knownAt`; the
 * renderer adds only words. It is also the bulletin's `.json` file, which
 * the schedule compares to tell a revision (修订) from an unchanged day, so
 * what says when it was made (`asOf`, `knownAt`) stays apart from figures.
 */
export interface BulletinFigures {
  version: 1;
  region: { code: string; name: string; level: string };
  /** The reporting day (YYYY-MM-DD in `timeZone`) and the day before it. */
  date: string;
  previousDate: string;
  /** The server's CORDON_TZ. */
  timeZone: string;
  /** The region's first day with data: issue 1 (第1期). */
  firstDay: string;
  issue: number;
  knownAt: string;
  asOf: string;
  /** Label and unit of every metric below, from GET /v1/metrics. */
  catalogue: Record<string, { label: Localized; unit: Localized }>;
  /** Every metric of the catalogue without a family, and those of donated:*, issued:*, publicity:* the region has data for. */
  metrics: Record<string, MetricFigure>;
  /** The next level down (towns of a county, villages of a town), headline metrics only. */
  subregions: {
    level: string;
    rows: { code: string; name: string; values: Record<HeadlineMetric, { day: number | null; cumulative: number | null }> }[];
  } | null;
  completeness: {
    inService: number;
    reporting: number;
    /** Sites that reported, every figure zero (零报告). */
    zeroReports: SiteRef[];
    notReporting: SiteRef[];
  };
  quality: QualityWarning[];
  /** The 14 days ending on `date`: people screened and turned back, with their 7-day averages. */
  trend: {
    from: string;
    to: string;
    series: { metric: MetricName; points: { period: string; value: number; movingAverage7: number }[] }[];
  };
}
