/**
 * `@cordon/charts`: the ECharts option of every chart Cordon draws, built
 * from SDK answers, and an SVG renderer for the server side. The option
 * builders import no Node module, so the dashboard calls them in the browser.
 */
export { dailyTrendOption, type DailyTrendInput, type TrendPoint, type TrendSeries } from './daily-trend.ts';
export { chartFontFamily } from './fonts.ts';
export { dayLabel, type ChartLang } from './labels.ts';
export { renderSvg, type SvgSize } from './svg.ts';
