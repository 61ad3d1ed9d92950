export * from './connect.ts';
export * from './migrations.ts';
export * from './time.ts';
