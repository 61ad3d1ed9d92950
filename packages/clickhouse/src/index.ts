export * from './connect.ts';
export * from './migrations.ts';
export * from './migrate.ts';
export * from './time.ts';
export * from './cluster-schema.ts';
export * from './schema-files.ts';
export { serverTextInsert, type TextInsert } from './raw-insert.ts';
