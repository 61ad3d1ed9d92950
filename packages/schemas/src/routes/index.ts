/**
 * The HTTP contract, route by route: method, path, parameters, bodies and
 * answers as zod schemas. Handlers are typed from these, and the OpenAPI
 * document is generated from exactly this list.
 */
import { eventsRoute } from './events.ts';
import { aggregatesRoute, healthRoute, metricsRoute, readyRoute, statusRoute, timeseriesRoute } from './figures.ts';
import { addRegionRoute, createKeyRoute, listKeysRoute, revokeKeyRoute } from './admin.ts';
import { registryRoutes } from './registry.ts';
import { bulletinRoutes } from './bulletins.ts';

export * from './common.ts';
export * from './events.ts';
export * from './figures.ts';
export * from './admin.ts';
export * from './registry.ts';
export * from './bulletins.ts';

export const documentedRoutes = [
  eventsRoute,
  aggregatesRoute,
  metricsRoute,
  statusRoute,
  healthRoute,
  readyRoute,
  createKeyRoute,
  listKeysRoute,
  revokeKeyRoute,
  addRegionRoute,
  timeseriesRoute,
  ...registryRoutes,
  ...bulletinRoutes,
] as const;
