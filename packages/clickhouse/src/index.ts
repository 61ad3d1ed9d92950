export * from './connect.ts';
export * from './migrations.ts';
export * from './region-key.ts';
