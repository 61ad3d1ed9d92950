import { join } from 'node:path';
import type { EventLog } from './event-log.ts';
import type { Logger } from '../logger.ts';

export interface OpenEventLogOptions {
  /** Kafka when given; otherwise the embedded log in `<dataDir>/log`. */
  kafka?: { brokers: string[]; topic: string; clientId?: string } | null;
  dataDir: string;
  logger: Logger;
}

/** Opens the configured event log. Each implementation is loaded only when chosen. */
export async function openEventLog(options: OpenEventLogOptions): Promise<EventLog> {
  if (options.kafka) {
    const { createKafkaLog } = await import('./kafka/kafka-log.ts');
    return createKafkaLog({ ...options.kafka, logger: options.logger });
  }
  const { openEmbeddedLog } = await import('./embedded/embedded-log.ts');
  return openEmbeddedLog({ dir: join(options.dataDir, 'log'), logger: options.logger });
}
