/**
 * Issue 7, item 4: keys and custom regions used to live in ClickHouse. A data
 * folder from then must keep working: the first start with an empty admin
 * log copies them into it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '@cordon/clickhouse';
import { openTestClickHouse } from '@cordon/clickhouse/testing';
import { KeyStore } from '@cordon/edge';
import { silentLogger } from '@cordon/ingest';
import { loadRegionRegistry } from '@cordon/regions';
import type { ApiKeyRecord } from '@cordon/schemas';
import { readConfig } from '../src/config.ts';
import { startCordon } from '../src/runtime.ts';

describe('keys and regions found in ClickHouse on the first start with the admin log', () => {
  it('are moved into the admin log and keep working, also after the next start', async () => {
    const clickhouse = await openTestClickHouse();
    await migrate(clickhouse);
    // A key as the old KeyStore made it, and one it had revoked.
    const records: ApiKeyRecord[] = [];
    const old = new KeyStore({ append: async (r) => void records.push(r) });
    const live = await old.create({ name: 'old office', role: 'read', region: '410184' });
    const gone = await old.create({ name: 'old revoked', role: 'ingest' });
    const row = (r: ApiKeyRecord, revoked: boolean) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      region: r.region ?? '',
      hash: r.hash,
      created_at: revoked ? '2020-02-01 00:00:01.000' : '2020-02-01 00:00:00.000',
      revoked_at: revoked ? '2020-02-02 00:00:00.000' : null,
      version: 1,
    });
    await clickhouse.client.insert({
      table: `${clickhouse.database}.api_keys`,
      values: [row(records[0]!, false), row(records[1]!, true)],
      format: 'JSONEachRow',
    });
    await clickhouse.client.insert({
      table: `${clickhouse.database}.custom_regions`,
      values: [{ code: '410184499', name: '郑州新郑教育园区', parent: '410184', created_at: '2020-02-01 00:00:00.000' }],
      format: 'JSONEachRow',
    });

    const config = { ...readConfig({}), dataDir: mkdtempSync(join(tmpdir(), 'cordon-migrate-')), bootstrapKey: 'migration-admin-key' };
    const start = async () =>
      startCordon(config, {
        roles: ['ingest', 'query'],
        logger: silentLogger,
        listen: false,
        clickhouse,
        regions: await loadRegionRegistry(),
      });
    for (let round = 0; round < 2; round++) {
      const runtime = await start();
      const get = (path: string, key: string) => runtime.app!.request(path, { headers: { authorization: `Bearer ${key}` } });
      expect((await get('/v1/metrics', live.key)).status).toBe(200);
      expect((await get('/v1/metrics', gone.key)).status).toBe(401);
      expect(runtime.regions.get('410184499')?.name).toBe('郑州新郑教育园区');
      expect((await runtime.keys.list()).map((k) => [k.name, k.revokedAt])).toEqual([
        ['old office', null],
        ['old revoked', '2020-02-02T00:00:00.000Z'],
      ]);
      if (round === 0) {
        // After the move, ClickHouse is no longer where they live.
        await clickhouse.client.command({ query: `TRUNCATE TABLE ${clickhouse.database}.api_keys` });
        await clickhouse.client.command({ query: `TRUNCATE TABLE ${clickhouse.database}.custom_regions` });
      }
      await runtime.close();
    }
    await clickhouse.close();
  });
});
