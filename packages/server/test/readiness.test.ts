import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, startTestCordon, waitFor, type TestClient } from './harness.ts';

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
        consumer: { ok: true, ms: 0, detail: expect.stringMatching(/^ok since /) },
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

describe('GET /v1/ready while the roll-up consumer is stuck', () => {
  it('is 200 while it retries, 503 naming the consumer once stuck, 200 again once it counts', async () => {
    const cordon = await startTestCordon({ config: { stuckAfterMs: 1500 } });
    const ready = async () => {
      const response = await cordon.runtime.app!.request('/v1/ready');
      return { status: response.status, body: (await response.json()) as any };
    };
    try {
      const ch = cordon.runtime.clickhouse!;
      // ClickHouse refuses the consumer's inserts (its raw table is gone) but still answers queries.
      await ch.client.command({ query: `DETACH TABLE ${ch.database}.events` });
      try {
        await cordon.send([event('screening', { vehicles: 1, people: 1 })]);
        await waitFor(() => cordon.runtime.consumerHealth()?.state === 'retrying', { what: 'retrying' });
        const retrying = await ready();
        expect(retrying.status).toBe(200);
        expect(retrying.body.checks.consumer).toMatchObject({ ok: true, detail: expect.stringMatching(/^retrying since .*UNKNOWN_TABLE/) });

        await waitFor(() => cordon.runtime.consumerHealth()?.state === 'stuck', { what: 'stuck', timeoutMs: 10_000 });
        const stuck = await ready();
        expect(stuck.status).toBe(503);
        expect(stuck.body.detail).toMatch(/^consumer: stuck since \S+: ClickHouse error 60 UNKNOWN_TABLE/);
        expect(stuck.body.checks).toMatchObject({ log: { ok: true }, clickhouse: { ok: true }, consumer: { ok: false } });
      } finally {
        await ch.client.command({ query: `ATTACH TABLE ${ch.database}.events` });
      }
      await cordon.settled();
      const again = await ready();
      expect(again.status).toBe(200);
      expect(again.body.checks.consumer.detail).toMatch(/^ok since /);
    } finally {
      await cordon.close();
    }
  });
});
