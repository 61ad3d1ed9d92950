import { fromClickHouseTime, type ClickHouse } from '@cordon/clickhouse';
import type { AdminLog } from '@cordon/ingest';
import type { Region, RegionRegistry } from '@cordon/regions';
import type { AdminRecord, ApiKeyRecord, RegionRecord } from '@cordon/schemas';

/**
 * Admin-added regions, kept as records of the admin log (beside the event
 * log, out of a ClickHouse rebuild's reach), which every process tails.
 */
export interface CustomRegionStore {
  save(region: Region): Promise<void>;
}

export function createCustomRegionStore(admin: AdminLog): CustomRegionStore {
  return {
    async save(region) {
      await admin.append({
        kind: 'region',
        code: region.code,
        name: region.name,
        parent: region.parent ?? null,
        createdAt: new Date().toISOString(),
      });
    },
  };
}

/** Adds a region record to the registry (idempotent: the tail may bring back one this process added). */
export function applyRegionRecord(registry: RegionRegistry, record: RegionRecord): void {
  if (!registry.has(record.code))
    registry.add({ code: record.code, name: record.name, ...(record.parent ? { parent: record.parent } : {}) });
}

/**
 * Before the admin log existed, keys and regions lived in ClickHouse. On the
 * first start with an empty admin log, copy what ClickHouse holds into it, so
 * an existing data folder keeps its keys and regions. The tables stay (no
 * longer read or written). Returns the records appended.
 */
export async function migrateAdminRecords(ch: ClickHouse, admin: AdminLog): Promise<AdminRecord[]> {
  const db = ch.database;
  const keys = await (
    await ch.client.query({
      query: `SELECT id, name, role, region, hash, created_at, revoked_at FROM ${db}.api_keys FINAL ORDER BY created_at`,
      format: 'JSONEachRow',
    })
  ).json<{
    id: string;
    name: string;
    role: ApiKeyRecord['role'];
    region: string;
    hash: string;
    created_at: string;
    revoked_at: string | null;
  }>();
  const regions = await (
    await ch.client.query({
      query: `SELECT code, name, parent, created_at FROM ${db}.custom_regions FINAL ORDER BY length(code), code`,
      format: 'JSONEachRow',
    })
  ).json<{ code: string; name: string; parent: string; created_at: string }>();
  const records: AdminRecord[] = [
    ...regions.map((r): RegionRecord => ({
      kind: 'region',
      code: r.code,
      name: r.name,
      parent: r.parent || null,
      createdAt: fromClickHouseTime(r.created_at),
    })),
    ...keys.map((k): ApiKeyRecord => ({
      kind: 'key',
      id: k.id,
      name: k.name,
      role: k.role,
      region: k.region || null,
      hash: k.hash,
      createdAt: fromClickHouseTime(k.created_at),
      revokedAt: k.revoked_at ? fromClickHouseTime(k.revoked_at) : null,
    })),
  ];
  for (const record of records) await admin.append(record);
  return records;
}
