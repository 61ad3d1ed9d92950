import type { Schemas } from '@cordon/sdk';
import type { EChartsOption, SeriesOption } from 'echarts';
import { chartFontFamily } from './fonts.ts';
import { chartWord, dayLabel, weekLabel, type ChartLang } from './labels.ts';
import { layoutOf, palette, type ChartLayout } from './layout.ts';

/** A point of `GET /v1/timeseries?interval=day` as the SDK answers it; only the fields the chart draws. */
export type TrendPoint = Pick<Schemas['TimeseriesPoint'], 'period' | 'value' | 'movingAverage7'>;

export interface TrendSeries {
  /** What the series counts, in the chart's language (the metric catalogue's label), e.g. 排查人员. */
  name: string;
  /** One per day (or ISO week), in time order; every series over the same periods (as timeseries answers for one from..to). */
  points: readonly TrendPoint[];
}

export interface DailyTrendInput {
  series: readonly TrendSeries[];
  lang?: ChartLang | undefined;
  /** Daily values drawn as bars (the default) or lines; the 7-day averages are always lines. */
  daily?: 'bar' | 'line' | undefined;
  title?: string | undefined;
  /** The unit of the y axis (人, people), from the metric catalogue. */
  unit?: string | undefined;
  /**
   * 'week': the points are ISO weeks (`2020-W07`, `interval=week`), labelled
   * 第7周 / Week 7 and drawn without a 7-day average (a week is its own).
   * Default 'day'.
   */
  interval?: 'day' | 'week' | undefined;
  /** 'print' (the default): the bulletin's fixed frame. 'screen': the dashboard's (see `ChartLayout`). */
  layout?: ChartLayout | undefined;
}

/**
 * The ECharts option of a daily trend: each series' daily values, and its
 * 7-day average as a line (or weekly totals, `interval: 'week'`). A pure function of the SDK's answer, so the
 * bulletin (SVG on the server) and the dashboard (in the browser) draw the
 * same chart, and tests read it as data.
 */
export function dailyTrendOption(input: DailyTrendInput): EChartsOption {
  const lang = input.lang ?? 'zh';
  const weekly = input.interval === 'week';
  const screen = layoutOf(input.layout);
  const periods = input.series[0]?.points.map((p) => p.period) ?? [];
  const series: SeriesOption[] = input.series.flatMap((s, i) => {
    const colours = palette[i % palette.length]!;
    const averageName =
      lang === 'zh' ? `${s.name}（${chartWord(lang, 'movingAverage7')}）` : `${s.name} (${chartWord(lang, 'movingAverage7')})`;
    const daily: SeriesOption = {
      type: input.daily ?? 'bar',
      name: s.name,
      data: s.points.map((p) => p.value),
      itemStyle: { color: colours.daily },
      ...(input.daily === 'line' ? { symbol: 'none' } : { barMaxWidth: 18 }),
    };
    if (weekly) return [daily];
    return [
      daily,
      {
        type: 'line',
        name: averageName,
        // The server gives the mean to 6 decimals; one is what a reader can see.
        data: s.points.map((p) => Math.round(p.movingAverage7 * 10) / 10),
        itemStyle: { color: colours.average },
        lineStyle: { width: 2, color: colours.average },
        symbol: 'circle',
        symbolSize: 4,
        smooth: false,
      },
    ];
  });
  return {
    // Server-side SVG is one frame: no animation, and the output is the same every time.
    animation: false,
    textStyle: { fontFamily: chartFontFamily },
    ...(input.title
      ? {
          title: {
            text: input.title,
            left: 'center',
            top: 4,
            textStyle: { fontSize: 15, fontWeight: 'bold', fontFamily: chartFontFamily },
          },
        }
      : {}),
    legend: screen ? { top: 0, textStyle: { fontFamily: chartFontFamily } } : { bottom: 4, textStyle: { fontFamily: chartFontFamily } },
    // On a screen the legend sits on top and may wrap; the unit's name above the axis needs its own line below it.
    grid: screen
      ? { ...screen.grid, top: screen.grid.top + (input.title ? 28 : 0) + (input.unit ? 14 : 0) }
      : { left: 56, right: 24, top: input.title ? 44 : 24, bottom: 64 },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: periods.map((p) => (weekly ? weekLabel(p, lang) : dayLabel(p, lang))),
      axisLabel: { fontFamily: chartFontFamily, ...(screen ? { hideOverlap: true } : {}) },
    },
    yAxis: {
      type: 'value',
      ...(input.unit ? { name: input.unit, nameTextStyle: { fontFamily: chartFontFamily } } : {}),
      axisLabel: { fontFamily: chartFontFamily },
      ...(screen ? { minInterval: 1 } : {}),
    },
    series,
  };
}
