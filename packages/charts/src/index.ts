/**
 * `@cordon/charts`: the ECharts option of every chart Cordon draws, built
 * from SDK answers, and an SVG renderer for the server side. The option
 * builders import no Node module, so the dashboard calls them in the browser
 * (import from `@cordon/charts/options` there: this entry also pulls in the
 * whole of ECharts for `renderSvg`).
 */
export * from './options.ts';
export { renderSvg, type SvgSize } from './svg.ts';
