import { join } from 'node:path';
import type { Hono } from 'hono';
import type { KeyStore } from '@cordon/edge';
import type { Logger } from '@cordon/ingest';
import { metricCatalogue, type MetricName } from '@cordon/schemas';
import { createClient, type CordonClient } from '@cordon/sdk';
import { createBulletinSchedule, type BulletinGenerator, type BulletinSchedule, type BulletinSource, type Timer } from './schedule.ts';
import { createBulletinStore, type BulletinStore } from './store.ts';
import { inProcessEnv } from '../request-log.ts';

/** The scheduler's key is a read key like any other, found and replaced by this name. */
export const scheduleKeyName = 'bulletin schedule';

export interface BulletinServiceOptions {
  /** The server's own HTTP app: the schedule reads through it, as any client does over HTTP. */
  app: Hono;
  keys: KeyStore;
  dataDir: string;
  regions: readonly string[];
  at: string;
  timeZone: string;
  logger: Logger;
  /** Builds the generator on the SDK client the schedule was given. */
  generator: (client: CordonClient) => BulletinGenerator;
  now?: () => Date;
  timer?: Timer;
  reviseDays?: number;
  /** The name its read key goes by, and by which the one a crash left is found (default scheduleKeyName). */
  keyName?: string;
}

export interface BulletinService {
  schedule: BulletinSchedule;
  store: BulletinStore;
  /** The first run (catch-up), started with the service; resolves when it is done. */
  firstRun: ReturnType<BulletinSchedule['start']>;
  close(): Promise<void>;
}

/** Where a data folder keeps its bulletins. */
export function bulletinsDir(dataDir: string): string {
  return join(dataDir, 'bulletins');
}

/**
 * Starts the morning bulletin in the all-in-one server. It gets a read key
 * of its own (a new one at each start: the secret lives only in this
 * process's memory; the one a crash left behind is revoked first) and an
 * SDK client whose fetch is the server's app, so every figure it prints
 * went through auth, validation and the same routes as any client's.
 */
export async function startBulletinService(options: BulletinServiceOptions): Promise<BulletinService> {
  const { keys, logger } = options;
  const keyName = options.keyName ?? scheduleKeyName;
  for (const key of await keys.list()) {
    if (key.name === keyName && key.revokedAt === null) await keys.revoke(key.keyId);
  }
  const created = await keys.create({ name: keyName, role: 'read' });
  const app = options.app;
  const client = createClient({
    baseUrl: 'http://cordon.internal',
    apiKey: created.key,
    fetch: (request) => app.fetch(request, inProcessEnv),
  });
  const store = createBulletinStore(bulletinsDir(options.dataDir));
  const schedule = createBulletinSchedule({
    regions: options.regions,
    at: options.at,
    timeZone: options.timeZone,
    store,
    generate: options.generator(client),
    source: sdkBulletinSource(client),
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.timer ? { timer: options.timer } : {}),
    ...(options.reviseDays !== undefined ? { reviseDays: options.reviseDays } : {}),
  });
  const firstRun = schedule.start();
  firstRun.catch((error: unknown) => logger.error({ err: error }, 'bulletin schedule: the first run failed'));
  return {
    schedule,
    store,
    firstRun,
    async close() {
      await schedule.stop();
      await keys.revoke(created.keyId);
    },
  };
}

const settleTimeoutMs = 10 * 60_000;

/** Every flow metric: a region "has data" on a day when any event added to one of them. */
// Per-item families (donated:*, issued:*, publicity:*) are left out: with them the list would pass the 50-metric limit.
const flowMetrics = [...metricCatalogue.values()]
  .filter((m) => m.kind === 'flow' && !m.name.includes(':'))
  .map((m) => m.name as MetricName);

export function sdkBulletinSource(client: CordonClient): BulletinSource {
  return {
    async knownAt() {
      // After a restart with a backlog, asOf stays at the epoch until the
      // backlog is counted: a bulletin written then would miss those events.
      const deadline = Date.now() + settleTimeoutMs;
      for (;;) {
        const { data, error } = await client.status();
        if (error) throw error;
        if (data.lag === 0) return data.asOf;
        if (Date.now() > deadline) throw new Error(`the pipeline still has ${data.lag} events to count after ${settleTimeoutMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },
    async firstDay(region, to) {
      // Without `from`, aggregates starts at the first day with data.
      const { data, error } = await client.aggregates({ metrics: flowMetrics, region, to });
      if (error) throw error;
      const any = Object.values(data.totals).some((v) => v !== 0);
      return any ? data.from : null;
    },
  };
}
