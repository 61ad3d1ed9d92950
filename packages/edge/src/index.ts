export * from './problem.ts';
export * from './keys.ts';
export * from './auth.ts';
export * from './openapi.ts';
export * from './rate-limit.ts';
export * from './body-limit.ts';
export * from './method-not-allowed.ts';
