export * from './routes.ts';
export * from './aggregate.ts';
