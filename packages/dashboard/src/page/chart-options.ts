import { breakdownBarHeight, breakdownBarOption, dailyTrendOption } from '@cordon/charts/options';
import type { Schemas } from '@cordon/sdk';
import type { Lang } from './i18n.ts';

/**
 * The page's two charts, built by `@cordon/charts` (the builder the
 * bulletin's SVG comes from, so both draw the same chart) in its screen
 * layout. Pure data, tested as data. Animation is off in the builder: a wall
 * screen redraws on every refresh, and "the last chart drawn" must mean
 * drawn, not half-way through a transition.
 */
export function trendOption(
  points: readonly Schemas['TimeseriesPoint'][],
  interval: 'day' | 'week',
  labels: { metric: string; unit: string },
  lang: Lang,
) {
  return dailyTrendOption({ series: [{ name: labels.metric, points }], interval, lang, unit: labels.unit, layout: 'screen' });
}

export interface BarItem {
  code: string;
  name: string;
  value: number;
}

/** Height that gives every region its own readable row. */
export const breakdownHeight = breakdownBarHeight;

/** The breakdown as horizontal bars, largest on top; each bar keeps its region's code for the click. */
export function breakdownOption(items: readonly BarItem[], label: string) {
  return breakdownBarOption({ items, name: label });
}
