export * from './problem.ts';
export * from './keys.ts';
export * from './auth.ts';
export * from './openapi.ts';
export * from './rate-limit.ts';
