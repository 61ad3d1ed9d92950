/**
 * `@cordon/bulletin`: the daily bulletin, as a client of `@cordon/sdk` only.
 *
 * - `fetchBulletinFigures(client, { region, date, knownAt? })` reads every
 *   figure at one knownAt (no ClickHouse, no server internals);
 * - `renderBulletin(figures, { lang })` is pure: figures → Markdown, HTML,
 *   JSON and the chart's SVG;
 * - `createBulletinGenerator(client)` is the two together, for the server's schedule;
 * - `bulletinCommand()` is the `npm run bulletin` / `cordon bulletin` command.
 */
export { bulletinCommand, type BulletinCommandDeps } from './command.ts';
export { BulletinError, type BulletinErrorCode } from './errors.ts';
export { fetchBulletinFigures, type FetchOptions } from './fetch.ts';
export {
  headlineMetrics,
  type BulletinFigures,
  type BulletinLang,
  type HeadlineMetric,
  type MetricFigure,
  type QualityWarning,
  type SiteRef,
} from './figures.ts';
export { createBulletinGenerator } from './generator.ts';
export { renderBulletin, type RenderedBulletin } from './render.ts';
export { instantInZone } from './render/words.ts';
