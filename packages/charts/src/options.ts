/**
 * The option builders alone, without the server-side renderer: what the
 * dashboard bundles (`@cordon/charts/options`), so the page carries only the
 * ECharts parts it registers itself, not the whole library `renderSvg` needs.
 */
export { breakdownBarHeight, breakdownBarOption, type BreakdownBarInput, type BreakdownItem } from './breakdown-bar.ts';
export { dailyTrendOption, type DailyTrendInput, type TrendPoint, type TrendSeries } from './daily-trend.ts';
export { chartFontFamily } from './fonts.ts';
export { dayLabel, weekLabel, type ChartLang } from './labels.ts';
export { palette, type ChartLayout } from './layout.ts';
