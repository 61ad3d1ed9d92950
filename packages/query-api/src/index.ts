export * from './routes.ts';
export * from './aggregate.ts';
export * from './openapi.ts';
