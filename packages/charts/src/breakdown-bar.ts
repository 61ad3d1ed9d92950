import type { EChartsOption } from 'echarts';
import { chartFontFamily } from './fonts.ts';
import { palette } from './layout.ts';

/** One bar: a region of the next level down (a row of `groupBy=region`) and its figure. */
export interface BreakdownItem {
  /** The region's code; kept on the bar's datum, so a click on it can open the region. */
  code: string;
  /** What the bar is labelled with, in the chart's language (the region's name, 本级 rows named by the caller). */
  name: string;
  value: number;
}

export interface BreakdownBarInput {
  items: readonly BreakdownItem[];
  /** What the bars count, in the chart's language (the metric catalogue's label). */
  name: string;
}

const grouped = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });

/** The chart's height for `rows` bars: a 24 px row each, so every region's name stays readable however many there are; never under 160 px. */
export function breakdownBarHeight(rows: number): number {
  return Math.max(160, rows * 24 + 24);
}

/**
 * A breakdown as horizontal bars, largest on top (ties by code, so the order
 * stays put between refreshes), each bar carrying its figure: the value axis
 * needs no labels then (they collide on a phone). ECharts draws a category
 * axis bottom-up, so the data is in ascending order.
 */
export function breakdownBarOption(input: BreakdownBarInput): EChartsOption {
  const ordered = [...input.items].sort((a, b) => a.value - b.value || b.code.localeCompare(a.code));
  return {
    animation: false,
    textStyle: { fontFamily: chartFontFamily },
    // The names measured into the grid (containLabel), room on the right for the figure at the end of the longest bar.
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { show: false } },
    yAxis: {
      type: 'category',
      data: ordered.map((i) => i.name),
      axisLabel: { interval: 0, width: 120, overflow: 'truncate', fontFamily: chartFontFamily },
    },
    series: [
      {
        name: input.name,
        type: 'bar',
        data: ordered.map((i) => ({ value: i.value, code: i.code })),
        itemStyle: { color: palette[0].daily },
        // Figures grouped the zh-CN way (24,771), as every figure Cordon prints; integers stay exact.
        label: {
          show: true,
          position: 'right',
          fontFamily: chartFontFamily,
          formatter: (p: { value?: unknown }) => grouped.format(Number(p.value)),
        },
        barMaxWidth: 22,
      },
    ],
  };
}
