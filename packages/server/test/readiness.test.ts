import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCordon, type TestClient } from './harness.ts';

/**
 * Makes a real folder refuse new files. Root ignores permission bits, so as
 * root the folder is made immutable (chattr +i, which binds root too);
 * otherwise its write bits are taken away.
 */
function makeUnwritable(dir: string): () => void {
  if (process.getuid?.() === 0) {
    execFileSync('chattr', ['+i', dir]);
    return () => execFileSync('chattr', ['-i', dir]);
  }
  chmodSync(dir, 0o555);
  return () => chmodSync(dir, 0o755);
}

describe('GET /v1/ready', () => {
  let cordon: TestClient;
  beforeAll(async () => {
    cordon = await startTestCordon();
  });
  afterAll(() => cordon?.close());

  const ready = async () => {
    const response = await cordon.runtime.app!.request('/v1/ready'); // no key: probes carry none
    return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as any };
  };

  it('is 200 with every check while the log takes writes and ClickHouse answers, without a key', async () => {
    const { status, body } = await ready();
    expect(status).toBe(200);
    const segments = join(cordon.config.dataDir, 'log', 'segments');
    expect(body).toEqual({
      status: 'ready',
      checks: {
        log: { ok: true, ms: expect.any(Number), detail: `${segments} takes writes` },
        clickhouse: { ok: true, ms: expect.any(Number), detail: 'chdb answers' },
      },
    });
    // The probe leaves nothing behind in the log's folder.
    expect(readdirSync(segments).filter((name) => !name.endsWith('.log'))).toEqual([]);
  });

  it('flips to 503 naming the log when its folder is made unwritable, and back once it is writable again', async () => {
    const segments = join(cordon.config.dataDir, 'log', 'segments');
    const restore = makeUnwritable(segments);
    let failing;
    try {
      failing = await ready();
    } finally {
      restore();
    }
    expect(failing.status).toBe(503);
    expect(failing.type).toBe('application/problem+json; charset=utf-8');
    const code = process.getuid?.() === 0 ? 'EPERM' : 'EACCES';
    expect(failing.body).toMatchObject({
      type: '/problems/unavailable',
      title: 'Not ready',
      status: 503,
      detail: expect.stringMatching(new RegExp(`^log: ${code}: `)),
      checks: { log: { ok: false }, clickhouse: { ok: true, detail: 'chdb answers' } },
    });
    expect(failing.body.detail).not.toContain('clickhouse');

    const again = await ready();
    expect(again.status).toBe(200);
    expect(again.body.checks.log.ok).toBe(true);
  });
});
