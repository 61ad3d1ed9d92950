import { resolve } from 'node:path';
import { parseRateLimit, type RateLimit } from '@cordon/edge';

/** Everything Cordon reads from the environment (CONTRACT.md "Starting the server"). Only main.ts calls this. */
export interface CordonConfig {
  port: number;
  host: string;
  dataDir: string;
  kafkaBrokers: string[] | null;
  kafkaTopic: string;
  clickhouseUrl: string | null;
  bootstrapKey: string | null;
  timeZone: string;
  logLevel: string;
  /** Per API key, per process. */
  rateLimit: RateLimit;
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
  const brokers = (env['CORDON_KAFKA_BROKERS'] ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  return {
    port,
    host: env['CORDON_HOST'] ?? '127.0.0.1',
    dataDir: resolve(env['CORDON_DATA_DIR'] ?? '.cordon'),
    kafkaBrokers: brokers.length > 0 ? brokers : null,
    kafkaTopic: env['CORDON_KAFKA_TOPIC'] ?? 'cordon.events',
    clickhouseUrl: env['CORDON_CLICKHOUSE_URL'] || null,
    bootstrapKey: env['CORDON_BOOTSTRAP_KEY'] || null,
    timeZone,
    logLevel: env['CORDON_LOG_LEVEL'] ?? 'info',
    rateLimit: parseRateLimit(env['CORDON_RATE_LIMIT'] ?? '1000/2000'),
  };
}
