import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { connectClickHouse, migrate, type ClickHouse } from '@cordon/clickhouse';
import { createRateLimiter, KeyStore, type CreatedKey } from '@cordon/edge';
import {
  createEventsRoute,
  createVoidScopeCheck,
  createIdIndex,
  defaultGroupId,
  openAdminLog,
  openEventLog,
  startRollupConsumer,
  type EventLog,
  type Logger,
  type RollupConsumer,
  type RollupConsumerOptions,
} from '@cordon/ingest';
import { answerCache, createQueryRoutes, csvExport, pipelineEtag } from '@cordon/query-api';
import { loadRegionRegistry, type RegionRegistry } from '@cordon/regions';
import type { AdminRecord, ConsumerHealth } from '@cordon/schemas';
import { createDashboardRoutes } from '@cordon/dashboard';
import type { CordonConfig } from './config.ts';
import { createAdminRoutes } from './admin-routes.ts';
import { applyRegionRecord, createCustomRegionStore, migrateAdminRecords, type CustomRegionStore } from './custom-regions.ts';
import { createHttpApp } from './app.ts';
import { createPipelineStatus } from './pipeline-status.ts';
import { createDocsRoutes } from './docs-routes.ts';
import { bulletinsDir, startBulletinService, type BulletinService, type BulletinServiceOptions } from './bulletins/service.ts';
import { createBulletinRoutes } from './bulletins/routes.ts';
import { createBulletinStore } from './bulletins/store.ts';
import { createMetrics, type CordonMetrics } from './metrics.ts';
import { createMetricsRoute } from './metrics-route.ts';
import { observeRequests } from './request-log.ts';
import { createReadinessRoutes } from './readiness.ts';

export type Role = 'ingest' | 'consumer' | 'query';
export const allRoles: readonly Role[] = ['ingest', 'consumer', 'query'];

export interface CordonRuntime {
  /** The HTTP app (absent for a consumer-only process). */
  app: Hono | null;
  /** http://host:port once listening. */
  url: string | null;
  log: EventLog;
  /**
   * Null in an ingest-only process on Kafka without CORDON_CLICKHOUSE_URL:
   * stateless, it needs only the brokers (duplicate reporting then looks at
   * this process's recent ids only; counting stays exactly once).
   */
  clickhouse: ClickHouse | null;
  keys: KeyStore;
  regions: RegionRegistry;
  consumer: RollupConsumer | null;
  customRegions: CustomRegionStore;
  /** The morning bulletin (CORDON_BULLETIN_REGIONS), in a process that serves the query API. */
  bulletins: BulletinService | null;
  /** The roll-up consumer group whose lag says what is not counted yet. */
  groupId: string;
  /**
   * The roll-up consumer's health in this process ({ state: 'ok' | 'retrying' | 'stuck', since, lastError }),
   * for the readiness route; null in a process without a consumer.
   */
  consumerHealth(): ConsumerHealth | null;
  /** Resolves once every acknowledged event is counted (the group's lag is 0); rejects after `timeoutMs`. */
  settled(timeoutMs?: number): Promise<void>;
  /** The admin key created on this first start (shown once), when no bootstrap key was set. */
  createdAdminKey: CreatedKey | null;
  /** This process's Prometheus registry and the hooks that feed it (served at /metrics). */
  metrics: CordonMetrics;
  close(): Promise<void>;
}

export interface StartOptions {
  roles: readonly Role[];
  logger: Logger;
  /** Database name inside ClickHouse (tests use one per test). */
  database?: string;
  /**
   * An open ClickHouse to use instead of connecting (tests: chDB allows one
   * data folder per process). The caller keeps ownership and closes it.
   */
  clickhouse?: ClickHouse;
  /** A loaded region registry to use (tests share one; loading takes a moment). */
  regions?: RegionRegistry;
  /** Listen on config.port/host; tests may drive `app.request()` instead. */
  listen?: boolean;
  /** Passed to the roll-up consumer (crash tests). */
  consumerHooks?: Pick<RollupConsumerOptions, 'afterInsert' | 'maxBatchRecords'>;
  groupId?: string;
  /**
   * What the bulletin schedule needs beyond the config: the generator
   * (main.ts passes @cordon/bulletin's), and for tests a clock and a timer.
   * Required when config.bulletinRegions is not empty.
   */
  bulletins?: Pick<BulletinServiceOptions, 'generator' | 'now' | 'timer' | 'reviseDays'>;
}

/**
 * Whether this process opens ClickHouse. The consumer and the query API
 * always do. Ingest alone does only when told where a ClickHouse server is,
 * or on the embedded log (one process per data folder anyway, and chDB
 * there answers "already counted" for the import summary): ingest processes
 * on Kafka are stateless, so any number of them can run side by side.
 */
export function needsClickHouse(config: Pick<CordonConfig, 'kafkaBrokers' | 'clickhouseUrl'>, roles: readonly Role[]): boolean {
  return roles.some((role) => role !== 'ingest') || config.clickhouseUrl !== null || config.kafkaBrokers === null;
}

/**
 * Starts the parts of Cordon this process runs. Order matters: ClickHouse
 * and its tables first, then the admin log read to its end (keys and custom
 * regions; copied from ClickHouse on the first start), then the event log,
 * then the consumer, then HTTP, so a request never finds a half-started
 * server.
 */
export async function startCordon(config: CordonConfig, options: StartOptions): Promise<CordonRuntime> {
  const { logger, roles } = options;
  const withClickHouse = needsClickHouse(config, roles);
  // A stateless ingest process writes nothing locally: no data folder.
  if (withClickHouse || config.kafkaBrokers === null) await mkdir(config.dataDir, { recursive: true });
  const clickhouse = !withClickHouse
    ? null
    : (options.clickhouse ??
      (await connectClickHouse({
        ...(config.clickhouseUrl ? { url: config.clickhouseUrl } : { dataDir: join(config.dataDir, 'clickhouse') }),
        ...(config.clickhouseCluster ? { cluster: config.clickhouseCluster } : {}),
        ...(options.database ? { database: options.database } : {}),
      })));
  const closers: (() => Promise<unknown>)[] = options.clickhouse || !clickhouse ? [] : [() => clickhouse.close()];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((error: unknown) => logger.warn({ err: error }, 'error while closing'));
  };
  try {
    if (clickhouse) await migrate(clickhouse);
    const regions = options.regions ?? (await loadRegionRegistry());
    // Keys and admin-added regions: the admin log, read whole, then tailed.
    const adminLog = await openAdminLog({
      kafka: config.kafkaBrokers ? { brokers: config.kafkaBrokers, topic: config.kafkaTopic } : null,
      dataDir: config.dataDir,
      logger,
    });
    closers.push(() => adminLog.close());
    const customRegions = createCustomRegionStore(adminLog);
    const keys = new KeyStore(adminLog, {
      bootstrapKey: config.bootstrapKey ?? undefined,
      rateLimiter: createRateLimiter(config.rateLimit),
    });
    const applyAdmin = (record: AdminRecord) => {
      try {
        if (record.kind === 'key') keys.apply(record);
        else applyRegionRecord(regions, record);
      } catch (error) {
        logger.error({ err: error, record: { ...record, hash: undefined } }, 'admin log: a record could not be applied');
      }
    };
    let adminRecords = 0;
    await adminLog.start((record) => {
      adminRecords++;
      applyAdmin(record);
    });
    if (adminRecords === 0 && clickhouse) {
      const migrated = await migrateAdminRecords(clickhouse, adminLog);
      for (const record of migrated) applyAdmin(record);
      if (migrated.length > 0)
        logger.warn({ records: migrated.length }, 'moved API keys and custom regions from ClickHouse into the admin log');
    }
    const servesHttp = roles.includes('ingest') || roles.includes('query');
    // The first start of a server without a bootstrap key makes the admin key it prints once.
    const createdAdminKey =
      servesHttp && !config.bootstrapKey && !(await keys.hasAdminKey())
        ? await keys.create({ name: 'first admin key', role: 'admin' })
        : null;

    const log = await openEventLog({
      kafka: config.kafkaBrokers ? { brokers: config.kafkaBrokers, topic: config.kafkaTopic } : null,
      dataDir: config.dataDir,
      logger,
    });
    closers.push(() => log.close());
    const groupId = options.groupId ?? defaultGroupId;
    const metrics = createMetrics({ lag: () => log.lag(groupId) });

    let consumer: RollupConsumer | null = null;
    if (roles.includes('consumer')) {
      if (!clickhouse) throw new Error('the roll-up consumer needs ClickHouse');
      consumer = await startRollupConsumer({
        log,
        clickhouse,
        timeZone: config.timeZone,
        logger,
        groupId,
        metrics: metrics.ingest,
        stuckAfterMs: config.stuckAfterMs,
        ...options.consumerHooks,
      });
      const started = consumer;
      closers.push(() => started.stop());
    }

    const parts: Hono<any>[] = [];
    if (roles.includes('ingest')) {
      // Without ClickHouse a void's target region is unknown here; the consumer judges it.
      parts.push(
        createEventsRoute({
          log,
          keys,
          regions,
          ids: createIdIndex({ clickhouse }),
          ...(clickhouse ? { voidScope: createVoidScopeCheck(clickhouse, regions) } : {}),
          metrics: metrics.ingest,
        }),
      );
    }
    if (roles.includes('query')) {
      if (!clickhouse) throw new Error('the query API needs ClickHouse');
      const status = createPipelineStatus(log, groupId, { consumer, stuckAfterMs: config.stuckAfterMs });
      parts.push(createQueryRoutes({ clickhouse, keys, regions, logKind: log.kind, timeZone: config.timeZone, status }));
      parts.push(createBulletinRoutes({ store: createBulletinStore(bulletinsDir(config.dataDir)), keys, regions }));
    }
    if (servesHttp) {
      parts.push(
        createAdminRoutes({ keys, regions, customRegions }),
        createDocsRoutes(),
        createMetricsRoute(metrics, { key: config.metricsKey }),
        createReadinessRoutes({
          log,
          ...(clickhouse ? { clickhouse } : {}),
          groupId,
          ...(consumer ? { consumerHealth: () => consumer!.health() } : {}),
        }),
        createDashboardRoutes({ onBuildError: (error) => logger.error({ err: error }, 'building the dashboard page failed') }),
      );
    }
    // A consumer in this process knows when it writes; the nonce tells this
    // process's epochs from those of an earlier start.
    const local = consumer;
    const nonce = randomBytes(4).toString('hex');
    const localPosition = local ? () => `${nonce}.${local.writeEpoch}` : undefined;
    // Figure routes exist only in a process with the query API, hence with ClickHouse.
    // Besides the pipeline position, what a figure answer depends on: admin-added regions can rename rows.
    const answersAlsoDependOn = () => String(regions.size);
    const figureMiddleware = clickhouse
      ? [
          pipelineEtag({ clickhouse, extra: answersAlsoDependOn, ...(localPosition ? { localPosition } : {}) }),
          // Inside the ETag (a kept answer still gets its tag and its 304), outside CSV (the CSV is kept as sent).
          ...(localPosition
            ? [answerCache({ keys, position: localPosition, extra: answersAlsoDependOn, observe: metrics.observeAnswer })]
            : []),
          csvExport(),
        ]
      : [];
    const requestMiddleware = [observeRequests({ logger, observe: metrics.observeRequest })];
    const app =
      parts.length > 0 ? createHttpApp(parts, logger, figureMiddleware, requestMiddleware, { corsOrigins: config.corsOrigins }) : null;

    let url: string | null = null;
    if (app && options.listen !== false) {
      const server = await listen(app, config.host, config.port);
      url = `http://${config.host}:${(server.address() as { port: number }).port}`;
      closers.push(() => closeServer(server, shutdownGraceMs));
    }
    let bulletins: BulletinService | null = null;
    if (config.bulletinRegions.length > 0 && app && roles.includes('query')) {
      if (!options.bulletins) throw new Error('CORDON_BULLETIN_REGIONS is set but this process has no bulletin generator');
      for (const code of config.bulletinRegions) {
        if (!regions.has(code)) throw new Error(`CORDON_BULLETIN_REGIONS: ${code} is not in the region registry`);
      }
      const service = await startBulletinService({
        app,
        keys,
        dataDir: config.dataDir,
        regions: config.bulletinRegions,
        at: config.bulletinAt,
        timeZone: config.timeZone,
        logger,
        ...options.bulletins,
      });
      bulletins = service;
      // Closed first (closers run in reverse): a run in progress still has HTTP, the log and ClickHouse.
      closers.push(() => service.close());
    }
    const settled = async (timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while ((await log.lag(groupId)) > 0) {
        if (Date.now() > deadline) throw new Error(`the roll-up consumer did not catch up within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    return {
      app,
      url,
      log,
      clickhouse,
      keys,
      regions,
      consumer,
      consumerHealth: () => consumer?.health() ?? null,
      customRegions,
      bulletins,
      groupId,
      settled,
      createdAdminKey,
      metrics,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** How long in-flight requests may take to finish once the server stops accepting. */
const shutdownGraceMs = 10_000;

/**
 * Stops accepting, lets the requests in flight finish, then resolves; idle
 * keep-alive connections are closed at once (they would hold close() open),
 * and whatever is still open after the grace period is cut.
 */
function closeServer(server: ServerType, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const http = server as ServerType & { closeIdleConnections?: () => void; closeAllConnections?: () => void };
    const cut = setTimeout(() => http.closeAllConnections?.(), graceMs);
    cut.unref();
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    http.closeIdleConnections?.();
  });
}

function listen(app: Hono, hostname: string, port: number): Promise<ServerType & { address(): unknown }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname, port }, () => resolve(server as ServerType & { address(): unknown }));
    server.once('error', reject);
  });
}
