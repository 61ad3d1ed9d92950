/**
 * Issue 7, item 3, with real processes: a segment truncated while the server
 * is stopped must not make the server reuse offsets the consumer committed
 * (before the fix: 1,000 new events all got 200, none was counted, lag said 0).
 */
import { mkdtempSync } from 'node:fs';
import { readdir, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { event } from './harness.ts';
import { client, startServer } from './processes.ts';

const key = 'log-cut-back-admin-key';
const figure = '/v1/aggregates?metrics=people_screened&region=410184003&from=2020-02-13&to=2020-02-13';

describe('a segment cut back while the server is stopped (issue 7, item 3)', () => {
  it('counts every event sent after the restart and reports the acknowledged records lost', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cordon-cutback-'));
    const env = { CORDON_DATA_DIR: dataDir, CORDON_BOOTSTRAP_KEY: key };
    const first = await startServer(env);
    const api = client(first.url, key);
    // 30 requests of 100: 30 writes of the log, 3000 acknowledged events.
    for (let i = 0; i < 30; i++) {
      const r = await api.post(
        '/v1/events',
        Array.from({ length: 100 }, () => event('screening', { vehicles: 0, people: 1 }, { region: '410184003' })),
      );
      expect(r.status).toBe(200);
    }
    await api.settled();
    expect((await api.get(figure)).body.totals.people_screened).toBe(3000);
    expect(await first.stop()).toBe(0);

    // Cut the segment to a third of its size: most acknowledged (and counted) records are gone from the files.
    const segments = join(dataDir, 'log', 'segments');
    const [file] = (await readdir(segments)).filter((f) => f.endsWith('.log'));
    const path = join(segments, file!);
    await truncate(path, Math.floor((await stat(path)).size / 3));

    const second = await startServer(env);
    const again = client(second.url, key);
    const loss = second.lines().find((l) => typeof l['msg'] === 'string' && l['msg'].includes('acknowledged records are lost'));
    expect(loss).toBeDefined();
    const kept = BigInt(loss!['firstLost'] as string);
    // The true number: every record from the intact end up to the 3000 the log had handed out.
    expect(loss!['lostRecords']).toBe(String(3000n - kept));
    expect(loss!['nextOffset']).toBe('3000');
    expect(second.lines().some((l) => typeof l['msg'] === 'string' && l['msg'].includes('torn tail'))).toBe(false);

    for (let i = 0; i < 10; i++) {
      const r = await again.post(
        '/v1/events',
        Array.from({ length: 100 }, () => event('screening', { vehicles: 0, people: 1 }, { region: '410184003' })),
      );
      expect(r.status).toBe(200);
    }
    await again.settled();
    // The 3000 counted before the cut stay counted, and every one of the 1000 new ones is counted.
    expect((await again.get(figure)).body.totals.people_screened).toBe(4000);
    expect(await second.stop()).toBe(0);
  }, 240_000);
});
