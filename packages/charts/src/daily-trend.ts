import type { Schemas } from '@cordon/sdk';
import type { EChartsOption, SeriesOption } from 'echarts';
import { chartFontFamily } from './fonts.ts';
import { chartWord, dayLabel, type ChartLang } from './labels.ts';

/** A point of `GET /v1/timeseries?interval=day` as the SDK answers it; only the fields the chart draws. */
export type TrendPoint = Pick<Schemas['TimeseriesPoint'], 'period' | 'value' | 'movingAverage7'>;

export interface TrendSeries {
  /** What the series counts, in the chart's language (the metric catalogue's label), e.g. 排查人员. */
  name: string;
  /** One per day, in time order; every series over the same days (as timeseries answers for one from..to). */
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
}

/**
 * Colours that stay apart in print and in grey: one hue per series, its
 * 7-day average a darker shade of it.
 */
const palette = [
  { daily: '#c23531', average: '#7a1512' },
  { daily: '#2f6fb0', average: '#143a66' },
  { daily: '#d9892b', average: '#8a4f0c' },
  { daily: '#4c9a5f', average: '#22582f' },
] as const;

/**
 * The ECharts option of a daily trend: each series' daily values, and its
 * 7-day average as a line. A pure function of the SDK's answer, so the
 * bulletin (SVG on the server) and the dashboard (in the browser) draw the
 * same chart, and tests read it as data.
 */
export function dailyTrendOption(input: DailyTrendInput): EChartsOption {
  const lang = input.lang ?? 'zh';
  const days = input.series[0]?.points.map((p) => p.period) ?? [];
  const series: SeriesOption[] = input.series.flatMap((s, i) => {
    const colours = palette[i % palette.length]!;
    const averageName = lang === 'zh' ? `${s.name}（${chartWord(lang, 'movingAverage7')}）` : `${s.name} (${chartWord(lang, 'movingAverage7')})`;
    return [
      {
        type: input.daily ?? 'bar',
        name: s.name,
        data: s.points.map((p) => p.value),
        itemStyle: { color: colours.daily },
        ...(input.daily === 'line' ? { symbol: 'none' } : { barMaxWidth: 18 }),
      },
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
    ...(input.title ? { title: { text: input.title, left: 'center', top: 4, textStyle: { fontSize: 15, fontWeight: 'bold', fontFamily: chartFontFamily } } } : {}),
    legend: { bottom: 4, textStyle: { fontFamily: chartFontFamily } },
    grid: { left: 56, right: 24, top: input.title ? 44 : 24, bottom: 64 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: days.map((d) => dayLabel(d, lang)), axisLabel: { fontFamily: chartFontFamily } },
    yAxis: {
      type: 'value',
      ...(input.unit ? { name: input.unit, nameTextStyle: { fontFamily: chartFontFamily } } : {}),
      axisLabel: { fontFamily: chartFontFamily },
    },
    series,
  };
}
