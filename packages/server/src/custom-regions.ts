import { toClickHouseTime, type ClickHouse } from '@cordon/clickhouse';
import type { Region, RegionRegistry } from '@cordon/regions';

/** Admin-added regions, kept in ClickHouse so every process of a deployment knows them. */
export interface CustomRegionStore {
  save(region: Region): Promise<void>;
  /** Adds every stored region to the registry (parents before children). */
  loadInto(registry: RegionRegistry): Promise<number>;
}

export function createCustomRegionStore(ch: ClickHouse): CustomRegionStore {
  return {
    async save(region) {
      await ch.client.insert({
        table: `${ch.database}.custom_regions`,
        values: [{ code: region.code, name: region.name, parent: region.parent ?? '', created_at: toClickHouseTime(new Date()) }],
        format: 'JSONEachRow',
      });
    },
    async loadInto(registry) {
      const result = await ch.client.query({
        query: `SELECT code, name, parent FROM ${ch.database}.custom_regions FINAL ORDER BY length(code), code`,
        format: 'JSONEachRow',
      });
      const rows = await result.json<{ code: string; name: string; parent: string }>();
      for (const row of rows) {
        if (!registry.has(row.code)) registry.add({ code: row.code, name: row.name, ...(row.parent ? { parent: row.parent } : {}) });
      }
      return rows.length;
    },
  };
}
