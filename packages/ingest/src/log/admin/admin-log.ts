/**
 * The admin log: API keys and admin-added regions, beside the event log and
 * out of ClickHouse's reach (a ClickHouse rebuild drops only tables derived
 * from the event log). Every process reads it whole at start and then tails
 * it, so a key created or revoked in one process reaches every other within
 * the tail's poll (embedded: 250 ms; Kafka: a fetch wait of 250 ms), well
 * inside the 2 seconds the README promises.
 */
import { join } from 'node:path';
import type { AdminRecord } from '@cordon/schemas';
import type { Logger } from '../../logger.ts';

export interface AdminLog {
  readonly kind: 'kafka' | 'embedded';
  /** Appends a record durably (embedded: fsync'd; Kafka: acks=all). */
  append(record: AdminRecord): Promise<void>;
  /**
   * Reads every record from the start, calling `apply` for each, and resolves
   * once it has caught up with the end as of the call; then keeps calling
   * `apply` for records appended later (by any process). Once per instance.
   */
  start(apply: (record: AdminRecord) => void): Promise<void>;
  close(): Promise<void>;
}

export interface OpenAdminLogOptions {
  kafka?: { brokers: string[]; topic: string; clientId?: string } | null;
  dataDir: string;
  logger: Logger;
  pollMs?: number;
}

export async function openAdminLog(options: OpenAdminLogOptions): Promise<AdminLog> {
  if (options.kafka) {
    const { createKafkaAdminLog } = await import('./kafka-admin-log.ts');
    return createKafkaAdminLog({
      ...options.kafka,
      topic: `${options.kafka.topic}.admin`,
      logger: options.logger,
      pollMs: options.pollMs ?? 250,
    });
  }
  const { createEmbeddedAdminLog } = await import('./embedded-admin-log.ts');
  return createEmbeddedAdminLog({ dir: join(options.dataDir, 'admin'), logger: options.logger, pollMs: options.pollMs ?? 250 });
}
