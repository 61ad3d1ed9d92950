export * from './routes.ts';
export * from './aggregates/aggregate.ts';
export * from './openapi.ts';
export * from './csv.ts';
export * from './etag.ts';
export * from './answer-cache.ts';
export { type PipelineStatus } from './figure-source.ts';
