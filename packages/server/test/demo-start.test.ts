/**
 * `npm run demo` as a newcomer starts it: a real process on a fresh data
 * folder loads the data set and then writes its daily bulletins in the
 * background (main.ts → startDemoBulletins) for the three counties of
 * demoBulletinRegions. Stopped while it writes, it exits 0 and the next
 * start writes the rest; once all are written, a start writes none.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daysBetween } from '@cordon/schemas';
import { waitFor } from './harness.ts';
import { client, startServer } from './processes.ts';

const key = 'demo-start-admin-key';

describe('npm run demo', () => {
  it('writes the bulletins of 新郑市, 中牟县 and 岚县 for every day of the data set, across a stop mid-way, each once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cordon-demo-start-'));
    const env = { CORDON_DATA_DIR: dataDir, CORDON_BOOTSTRAP_KEY: key };
    const first = await startServer(env, 'demo');
    // SIGTERM once the first bulletin is in: the writer is mid-way.
    const xinzheng = join(dataDir, 'bulletins', '410184');
    await waitFor(() => existsSync(xinzheng) && readdirSync(xinzheng).some((name) => name.endsWith('.json')), {
      timeoutMs: 120_000,
      what: 'the first demo bulletin',
    });
    expect(await first.stop()).toBe(0);

    const second = await startServer(env, 'demo');
    await waitFor(() => second.output().includes('Demo bulletins:'), { timeoutMs: 240_000, what: 'the demo bulletins' });
    const written = Number(/Demo bulletins: (\d+) written, 0 failed/.exec(second.output())?.[1]);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(132);
    const api = client(second.url, key);
    const dates = async (region: string) =>
      (await api.get<{ bulletins: { date: string }[] }>(`/v1/bulletins?region=${region}`)).body.bulletins.map((b) => b.date);
    // From each county's first day with data through the data set's last day (2020-03-07): 44 + 46 + 42.
    expect(await dates('410184')).toEqual(daysBetween('2020-01-24', '2020-03-07'));
    expect(await dates('410122')).toEqual(daysBetween('2020-01-22', '2020-03-07'));
    expect(await dates('141127')).toEqual(daysBetween('2020-01-26', '2020-03-07'));
    expect(await second.stop()).toBe(0);

    const third = await startServer(env, 'demo');
    await waitFor(() => third.output().includes('Demo bulletins:'), { timeoutMs: 120_000, what: 'the demo bulletins again' });
    expect(third.output()).toContain(`Demo bulletins: 0 written, 0 failed (${third.url}/v1/bulletins?region=410184`);
    expect(await third.stop()).toBe(0);
  }, 400_000);
});
