import type { Schemas } from '@cordon/sdk';

/**
 * ECharts option objects from the SDK's answers: pure data, tested as data.
 * Animation is off: a wall screen redraws on every refresh, and "the last
 * chart drawn" must mean drawn, not half-way through a transition.
 */
const font = 'system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
const red = '#b42318';
const grey = '#52606d';

export interface TrendLabels {
  value: string;
  movingAverage: string;
}

export function trendOption(points: readonly Schemas['TimeseriesPoint'][], interval: 'day' | 'week', labels: TrendLabels) {
  const periods = points.map((p) => (interval === 'day' ? p.period.slice(5) : p.period));
  return {
    animation: false,
    textStyle: { fontFamily: font },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, data: interval === 'day' ? [labels.value, labels.movingAverage] : [labels.value] },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: periods, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: labels.value, type: 'bar', data: points.map((p) => p.value), itemStyle: { color: red }, barMaxWidth: 28 },
      ...(interval === 'day'
        ? [{ name: labels.movingAverage, type: 'line', data: points.map((p) => p.movingAverage7), symbol: 'none', smooth: false, lineStyle: { color: grey, width: 2 }, itemStyle: { color: grey } }]
        : []),
    ],
  };
}

export interface BarItem {
  code: string;
  name: string;
  value: number;
}

/** Height that gives every region its own readable row. */
export function breakdownHeight(rows: number): number {
  return Math.max(160, rows * 24 + 24);
}

/** The breakdown as horizontal bars, largest on top. */
export function breakdownOption(items: readonly BarItem[], label: string) {
  const ordered = [...items].sort((a, b) => a.value - b.value || b.code.localeCompare(a.code));
  return {
    animation: false,
    textStyle: { fontFamily: font },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    // Every bar carries its figure, so the value axis needs no labels (they collide on a phone).
    xAxis: { type: 'value', minInterval: 1, axisLabel: { show: false } },
    yAxis: { type: 'category', data: ordered.map((i) => i.name), axisLabel: { interval: 0, width: 120, overflow: 'truncate' } },
    series: [{ name: label, type: 'bar', data: ordered.map((i) => ({ value: i.value, code: i.code })), itemStyle: { color: red }, label: { show: true, position: 'right' }, barMaxWidth: 22 }],
  };
}
