export * from './connect.ts';
export * from './migrations.ts';
