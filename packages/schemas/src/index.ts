export * from './events.ts';
export * from './metrics.ts';
export * from './contributions.ts';
export * from './problem.ts';
export * from './api.ts';
export * from './registry-api.ts';
export * from './days.ts';
export * from './routes/index.ts';
