export * from './routes.ts';
export * from './aggregate.ts';
export * from './openapi.ts';
export * from './csv.ts';
export * from './etag.ts';
export { createRegistryRoutes, type RegistryRoutesDeps } from './regions-routes.ts';
export { type PipelineStatus } from './figure-source.ts';
