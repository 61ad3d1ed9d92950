import { z } from 'zod';
import { apiRoles } from './api.ts';

/**
 * Records of the admin log: API keys and admin-added regions, kept beside
 * the event log (embedded: `<data dir>/admin/`; Kafka: the compacted topic
 * `<topic>.admin`) so that a ClickHouse rebuild cannot lose them. Each record
 * is the whole current state of its key or region (compaction keeps the last
 * one per `recordKey`).
 */
export const apiKeyRecordSchema = z.object({
  kind: z.literal('key'),
  id: z.string(),
  name: z.string(),
  role: z.enum(apiRoles),
  region: z.string().nullable(),
  /** sha256 of the secret, hex. */
  hash: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

export const regionRecordSchema = z.object({
  kind: z.literal('region'),
  code: z.string(),
  name: z.string(),
  parent: z.string().nullable(),
  createdAt: z.string(),
});

export const adminRecordSchema = z.discriminatedUnion('kind', [apiKeyRecordSchema, regionRecordSchema]);

export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;
export type RegionRecord = z.infer<typeof regionRecordSchema>;
export type AdminRecord = z.infer<typeof adminRecordSchema>;

/** The compaction key of a record: one live record per key and per region. */
export function adminRecordKey(record: AdminRecord): string {
  return record.kind === 'key' ? `key:${record.id}` : `region:${record.code}`;
}
