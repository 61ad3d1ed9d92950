/**
 * Memory of pending voids: a real server (`packages/server/src/main.ts all`,
 * as `npm start` runs it) is sent BENCH_VOIDS (default 200,000) voids whose
 * targets never arrive, then restarted on the same data directory and sent
 * one screening event (every new event makes the consumer look for voids of
 * it). Prints the server's RSS after that start, next to a server started
 * the same way on an empty data directory. Not part of `npm test`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { rssMiB, startServer, stopServer as stop } from './spawned-server.ts';

const voidCount = Number(process.env['BENCH_VOIDS'] ?? 200_000);
const port = Number(process.env['BENCH_PORT'] ?? 18160);
const adminKey = 'void-memory-admin-key-0123';
const base = `http://127.0.0.1:${port}`;
const xinyan = '410184003';

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${adminKey}`);
  headers.set('content-type', 'application/json');
  const response = await fetch(`${base}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const start = (dataDir: string) => startServer({ port, dataDir, adminKey });

async function caughtUp(): Promise<void> {
  for (;;) {
    try {
      if ((await call('/v1/status')).body.lag === 0) return;
    } catch {
      // A kept-alive connection the server closed while busy: ask again.
    }
    await delay(100);
  }
}

/** Start on `dataDir`, count one screening event, settle, and read RSS. */
async function rssAfterStart(dataDir: string): Promise<number> {
  const server = await start(dataDir);
  const event = {
    id: randomUUID(),
    type: 'screening',
    occurredAt: '2020-02-13T08:00:00+08:00',
    region: xinyan,
    data: { vehicles: 1, people: 1 },
  };
  const r = await call('/v1/events', { method: 'POST', body: JSON.stringify([event]) });
  if (r.status !== 200 || r.body.accepted !== 1) throw new Error(`screening not accepted: ${JSON.stringify(r.body)}`);
  await caughtUp();
  await delay(2000);
  const rss = rssMiB(server);
  await stop(server);
  return rss;
}

async function main() {
  const empty = mkdtempSync(join(tmpdir(), 'cordon-voidmem-empty-'));
  const full = mkdtempSync(join(tmpdir(), 'cordon-voidmem-full-'));
  try {
    const baseline = await rssAfterStart(empty);
    console.log(`server RSS after start + one event, empty data dir:     ${baseline.toFixed(0)} MiB`);

    const filling = await start(full);
    for (let sent = 0; sent < voidCount; sent += 1000) {
      const voids = Array.from({ length: Math.min(1000, voidCount - sent) }, () => ({
        id: randomUUID(),
        type: 'void',
        occurredAt: '2020-02-13T09:00:00+08:00',
        region: xinyan,
        data: { target: randomUUID(), reason: 'pending, never arrives' },
      }));
      const r = await call('/v1/events', { method: 'POST', body: JSON.stringify(voids) });
      if (r.status !== 200 || r.body.accepted !== voids.length)
        throw new Error(`voids not accepted: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    }
    await caughtUp();
    const whileFilling = rssMiB(filling);
    console.log(`pending voids: ${voidCount}`);
    console.log(`server RSS after sending the voids (same process):      ${whileFilling.toFixed(0)} MiB`);
    await stop(filling);

    const withVoids = await rssAfterStart(full);
    console.log(
      `server RSS after restart + one event, with the voids:   ${withVoids.toFixed(0)} MiB (${(withVoids - baseline).toFixed(0)} MiB over empty)`,
    );
  } finally {
    rmSync(empty, { recursive: true, force: true });
    rmSync(full, { recursive: true, force: true });
  }
}

await main();
