/**
 * `@cordon/server`'s public entry: what the benches and other packages'
 * programs compose a Cordon from. `main.ts` is the command line; the test
 * harness is `@cordon/server/testing`.
 */
export { readConfig, type CordonConfig } from './config.ts';
export { startCordon, allRoles, type CordonRuntime, type Role, type StartOptions } from './runtime.ts';
export { loadDemo } from './demo.ts';
export type { BulletinGenerator, BulletinSource } from './bulletins/schedule.ts';
export { createBulletinStore, type BulletinFiles, type BulletinStore } from './bulletins/store.ts';
export { bulletinsDir, sdkBulletinSource } from './bulletins/service.ts';
