/**
 * The README's examples, run as their users run them (`tsx examples/x.ts`, a
 * separate process) against the real server, so they stay correct.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type CordonClient } from '@cordon/sdk';
import { adminKey, serveTestCordon, type ServedCordon } from '../served.ts';

const run = promisify(execFile);
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
// The SDK's examples folder, found through its declared entry (src/index.ts).
const examples = join(dirname(createRequire(import.meta.url).resolve('@cordon/sdk')), '../examples/');
const shanghaiDay = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(Date.now() + offsetDays * 86_400_000);

let served: ServedCordon;
let admin: CordonClient;
const keys: Record<'ingest' | 'read', string> = { ingest: '', read: '' };

beforeAll(async () => {
  served = await serveTestCordon();
  admin = createClient({ baseUrl: served.url, apiKey: adminKey });
  for (const role of ['ingest', 'read'] as const) {
    const created = await admin.keys.create({ name: `example ${role}`, role, region: '410184' });
    if (created.error) throw created.error;
    keys[role] = created.data.key;
  }
});
afterAll(async () => {
  await served?.close();
});

/** Runs an example in its own process, as `npx tsx examples/<name>` would; the server keeps answering meanwhile. */
async function example(name: string, env: Record<string, string>) {
  const { stdout } = await run(process.execPath, [tsx, join(examples, name)], {
    cwd: mkdtempSync(join(tmpdir(), 'cordon-example-')),
    env: { ...process.env, CORDON_URL: served.url, ...env },
    timeout: 60_000,
  });
  return stdout;
}

describe('examples', () => {
  it('field-app.ts: queues the shift and sends it', async () => {
    const out = await example('field-app.ts', { CORDON_API_KEY: keys.ingest });
    expect(out).toMatch(/the fever report has id [0-9a-f-]{36}/);
    expect(out).toContain('sent 5: 5 accepted, 0 duplicates, 0 rejected; 0 still queued');
  });

  it('data-office-trend.ts: the last two weeks, today included', async () => {
    await served.cordon.settled();
    const out = await example('data-office-trend.ts', { CORDON_API_KEY: keys.read });
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^people_turned_back in 新郑市 \(410184\), counted up to /);
    expect(lines).toHaveLength(2 + 14);
    // The field app's turn-backs (14 people) are today's.
    expect(lines.at(-1)).toMatch(new RegExp(`^${shanghaiDay(0)}\\s+14\\s+14\\s+2\\.0$`));
  });

  it("daily-bulletin.ts: yesterday's figures", async () => {
    const yesterdayNoon = `${shanghaiDay(-1)}T12:00:00+08:00`;
    const sent = await admin.events.send([
      { type: 'screening', region: '410184', occurredAt: yesterdayNoon, data: { vehicles: 300, people: 512 } },
      { type: 'turnback', region: '410184', occurredAt: yesterdayNoon, data: { vehicles: 7, people: 11 } },
      { type: 'fever', region: '410184', occurredAt: yesterdayNoon, data: { people: 2, disposition: 'isolated' } },
    ]);
    expect(sent.data?.accepted).toBe(3);
    await served.cordon.settled();
    const out = await example('daily-bulletin.ts', { CORDON_API_KEY: keys.read });
    expect(out).toContain(`新郑市 — ${shanghaiDay(-1)}`);
    expect(out).toContain(
      'vehicles screened: 300\npeople screened: 512\nvehicles turned back: 7\npeople turned back: 11\nfever cases: 2\n',
    );
  });
});
