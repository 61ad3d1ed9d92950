/**
 * `@cordon/dashboard`: the office's web page, served by the Cordon server.
 * The server mounts `createDashboardRoutes()`; the page itself (src/page)
 * is a client of `@cordon/sdk`'s browser entry.
 */
export { createDashboardRoutes, type DashboardRoutesOptions } from './routes.ts';
export { buildPage, type PageBundle } from './bundle.ts';
