/**
 * The kafkajs client of every Kafka-backed log (events, admin): one place for
 * the connection settings and for where kafkajs's own messages go.
 */
import { Kafka, logLevel as KafkaJsLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../../logger.ts';

export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface KafkaClientOptions {
  /** Bootstrap servers, "host:port". */
  brokers: string[];
  clientId: string;
  /** Where kafkajs's own messages go (default: nowhere). */
  logger?: Logger | undefined;
  /** The least severe kafkajs message passed to the logger (default "warn"). */
  logLevel?: KafkaLogLevel | undefined;
}

/** A kafkajs client; no I/O until one of its producers, consumers or admins connects. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const logger = options.logger;
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    // A local broker that is down refuses at once; one that hangs should not
    // hold a request for kafkajs's default 30 s.
    connectionTimeout: 1_000,
    requestTimeout: 10_000,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2_000 },
    logLevel: logger ? toKafkaLevel(options.logLevel ?? 'warn') : KafkaJsLevel.NOTHING,
    logCreator: () => (entry) => forwardLog(logger, entry),
  });
}

/**
 * Connects a new producer, consumer or admin with `connect`, and returns it;
 * one that failed to connect is disconnected (its sockets and timers go) and
 * the error goes to the caller.
 */
export async function connected<T extends { disconnect(): Promise<void> }>(part: T, connect: (part: T) => Promise<void>): Promise<T> {
  try {
    await connect(part);
  } catch (error) {
    void part.disconnect().catch(() => {});
    throw error;
  }
  return part;
}

function toKafkaLevel(level: KafkaLogLevel): KafkaJsLevel {
  switch (level) {
    case 'error':
      return KafkaJsLevel.ERROR;
    case 'warn':
      return KafkaJsLevel.WARN;
    case 'info':
      return KafkaJsLevel.INFO;
    case 'debug':
      return KafkaJsLevel.DEBUG;
  }
}

/** kafkajs messages that are expected here and say nothing to an operator. */
const QUIET_MESSAGES = [
  // Retries are limited on purpose: a failed send replaces the producer (see producer.ts).
  'Limiting retries for the idempotent producer',
];

function forwardLog(logger: Logger | undefined, entry: LogEntry): void {
  if (!logger) return;
  const { message, ...fields } = entry.log;
  const context = { ...fields, kafkajs: entry.namespace };
  if (QUIET_MESSAGES.some((quiet) => message.includes(quiet))) {
    logger.debug(context, message);
    return;
  }
  switch (entry.level) {
    case KafkaJsLevel.ERROR:
      logger.error(context, message);
      return;
    case KafkaJsLevel.WARN:
      logger.warn(context, message);
      return;
    case KafkaJsLevel.INFO:
      logger.info(context, message);
      return;
    default:
      logger.debug(context, message);
  }
}
