/**
 * Issue 7, item 4: the log is the source of truth. With `clickhouse/` deleted
 * from the data folder, the server used to serve zeros with lag 0; it now
 * sees that ClickHouse holds less than the log says was counted and rebuilds
 * from the log, exactly once. Real processes, the demo data set.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoEventsPath } from '@cordon/demo';
import { waitFor } from './harness.ts';
import { client, startServer } from './processes.ts';

const key = 'rebuild-admin-key';
const bulletin =
  '/v1/aggregates?metrics=vehicles_screened,people_screened,vehicles_turned_back,people_turned_back,fever_cases&region=410184&to=2020-02-13';
// The 新郑市 bulletin of 2月13日 (seed-facts.json).
const expected = {
  vehicles_screened: 115814,
  people_screened: 184735,
  vehicles_turned_back: 10899,
  people_turned_back: 16966,
  fever_cases: 27,
};

describe('ClickHouse deleted from the data folder (issue 7, item 4)', () => {
  it('is rebuilt from the log at start, exactly once, and keys and custom regions survive it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cordon-rebuild-'));
    const env = { CORDON_DATA_DIR: dataDir, CORDON_BOOTSTRAP_KEY: key };
    const demo = await startServer(env, 'demo');
    await waitFor(() => demo.output().includes('Demo data:'), { timeoutMs: 120_000, what: 'the demo to load' });
    const first = client(demo.url, key);
    expect((await first.get(bulletin)).body.totals).toEqual(expected);
    // A key made through the API, and the demo's admin-added regions: both must outlive ClickHouse.
    const office = (await (await first.post('/v1/keys', { name: '新郑市 office', role: 'read', region: '410184' })).json()) as {
      key: string;
    };
    expect((await first.get(bulletin, office.key)).status).toBe(200);
    expect(await demo.stop()).toBe(0);

    await rm(join(dataDir, 'clickhouse'), { recursive: true, force: true });

    const healed = await startServer(env);
    const api = client(healed.url, key);
    await api.settled();
    expect((await api.get(bulletin)).body.totals).toEqual(expected);
    const rebuilt = healed.lines().find((l) => l['msg']?.includes?.('rebuilding it from the log'));
    // Read from the file: the demo data grows as the vocabulary does.
    const demoEvents = readFileSync(demoEventsPath, 'utf8').trim().split('\n').length;
    expect(rebuilt?.['reason']).toBe(`partition 0: the log committed ${demoEvents} records, ClickHouse holds no events`);
    expect(healed.lines().find((l) => l['msg']?.includes?.('replaying the log'))?.['replayFrom']).toEqual({ 0: '0' });
    // Kept in the admin log, not in ClickHouse: the key still works, the custom region is still known.
    expect((await api.get(bulletin, office.key)).body.totals).toEqual(expected);
    expect((await api.get('/v1/regions/410184499')).body.name).toBe('郑州新郑教育园区');
    const status = await api.get('/v1/status');
    expect(status.body.lag).toBe(0);
    expect(await healed.stop()).toBe(0);

    // Exactly once: the next start finds ClickHouse whole, rebuilds nothing, and the figures stand.
    const again = await startServer(env);
    const next = client(again.url, key);
    await next.settled();
    expect((await next.get(bulletin)).body.totals).toEqual(expected);
    expect(again.lines().some((l) => l['msg']?.includes?.('rebuilding it from the log'))).toBe(false);
    expect(await again.stop()).toBe(0);
  }, 400_000);
});
