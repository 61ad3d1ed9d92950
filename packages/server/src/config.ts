import { resolve } from 'node:path';
import { parseRateLimit, type RateLimit } from '@cordon/edge';
import { parseTimeOfDay } from './bulletins/schedule.ts';

/** Everything Cordon reads from the environment (CONTRACT.md "Starting the server"). Only main.ts calls this. */
export interface CordonConfig {
  port: number;
  host: string;
  dataDir: string;
  kafkaBrokers: string[] | null;
  kafkaTopic: string;
  clickhouseUrl: string | null;
  /** CORDON_CLICKHOUSE_CLUSTER: the ClickHouse cluster to migrate and write as one (infra/clickhouse/); null: one server. */
  clickhouseCluster: string | null;
  bootstrapKey: string | null;
  timeZone: string;
  logLevel: string;
  /** Per API key, per process. */
  rateLimit: RateLimit;
  /** CORDON_BULLETIN_REGIONS: regions whose bulletin the all-in-one server writes every morning (none: no schedule). */
  bulletinRegions: string[];
  /** CORDON_BULLETIN_AT: the time of day (HH:MM in timeZone) it writes yesterday's. */
  bulletinAt: string;
  /** Bearer token GET /metrics requires; null: /metrics is open, as Prometheus scrapers expect. */
  metricsKey: string | null;
  /** CORDON_STUCK_AFTER_MS: how long the consumer may retry, the lag not shrinking, before its health says `stuck` (30000). */
  stuckAfterMs: number;
  /** Origins whose pages may call the API from a browser (CORS); none by default. */
  corsOrigins: string[];
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): CordonConfig {
  const port = Number(env['PORT'] ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${env['PORT']}`);
  const timeZone = env['CORDON_TZ'] ?? 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new Error(`CORDON_TZ is not a time zone: ${timeZone}`);
  }
  const brokers = (env['CORDON_KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const bulletinRegions = (env['CORDON_BULLETIN_REGIONS'] ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const code of bulletinRegions) {
    if (!/^\d{6}(?:\d{3}(?:\d{3})?)?$/.test(code))
      throw new Error(`CORDON_BULLETIN_REGIONS must list region codes (6, 9 or 12 digits), not ${JSON.stringify(code)}`);
  }
  const bulletinAt = (env['CORDON_BULLETIN_AT'] ?? '07:00').trim();
  parseTimeOfDay(bulletinAt);
  const stuckAfterMs = Number(env['CORDON_STUCK_AFTER_MS'] ?? 30_000);
  if (!Number.isInteger(stuckAfterMs) || stuckAfterMs < 1)
    throw new Error(`CORDON_STUCK_AFTER_MS must be a positive number of milliseconds, not ${env['CORDON_STUCK_AFTER_MS']}`);
  return {
    port,
    host: env['CORDON_HOST'] ?? '127.0.0.1',
    dataDir: resolve(env['CORDON_DATA_DIR'] ?? '.cordon'),
    kafkaBrokers: brokers.length > 0 ? brokers : null,
    kafkaTopic: env['CORDON_KAFKA_TOPIC'] ?? 'cordon.events',
    clickhouseUrl: env['CORDON_CLICKHOUSE_URL'] || null,
    clickhouseCluster: readCluster(env),
    bootstrapKey: env['CORDON_BOOTSTRAP_KEY'] || null,
    timeZone,
    logLevel: env['CORDON_LOG_LEVEL'] ?? 'info',
    rateLimit: parseRateLimit(env['CORDON_RATE_LIMIT'] ?? '1000/2000'),
    bulletinRegions: [...new Set(bulletinRegions)],
    bulletinAt,
    metricsKey: env['CORDON_METRICS_KEY'] || null,
    stuckAfterMs,
    corsOrigins: parseOrigins(env['CORDON_CORS_ORIGINS'] ?? ''),
  };
}

/** CORDON_CORS_ORIGINS: comma-separated origins (scheme://host[:port]), as a browser sends them in Origin. */
export function parseOrigins(value: string): string[] {
  const origins = value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new Error(`CORDON_CORS_ORIGINS: "${origin}" is not an origin (scheme://host[:port])`);
    }
    if (url.origin !== origin.replace(/\/$/, '') || !/^https?:$/.test(url.protocol)) {
      throw new Error(`CORDON_CORS_ORIGINS: "${origin}" is not an origin (scheme://host[:port], no path); did you mean ${url.origin}?`);
    }
  }
  return origins.map((o) => o.replace(/\/$/, ''));
}

function readCluster(env: NodeJS.ProcessEnv): string | null {
  const cluster = env['CORDON_CLICKHOUSE_CLUSTER']?.trim() || null;
  if (cluster === null) return null;
  if (!env['CORDON_CLICKHOUSE_URL']) throw new Error('CORDON_CLICKHOUSE_CLUSTER needs CORDON_CLICKHOUSE_URL: chDB is one node');
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(cluster))
    throw new Error(`CORDON_CLICKHOUSE_CLUSTER must be a cluster name from the servers' <remote_servers>, not ${JSON.stringify(cluster)}`);
  return cluster;
}
