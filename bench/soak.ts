/**
 * Soak: a real server (`node --import tsx packages/server/src/main.ts all`,
 * as `npm start` runs it) on loopback, fed mixed good and hostile traffic for
 * SOAK_SECONDS (default 120) by SOAK_CLIENTS (4) concurrent clients, then the
 * exact totals against what was acknowledged, and the server's RSS over time.
 * Not part of `npm test`; nothing is asserted, the figures are printed (and
 * the exit code is 1 if a total differs).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { rssMiB as rssOf, startServer, stopServer } from './spawned-server.ts';

const seconds = Number(process.env['SOAK_SECONDS'] ?? 120);
const clients = Number(process.env['SOAK_CLIENTS'] ?? 4);
const port = Number(process.env['SOAK_PORT'] ?? 18150);
const adminKey = 'soak-admin-key-0123456789';
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'cordon-soak-'));
const xinyan = '410184003';
const lihe = '410184104';

let server: ChildProcess | undefined;

const rssMiB = (): number => (server ? rssOf(server) : 0);

/**
 * The server's JavaScript heap in use (prom-client's gauge on /metrics): what
 * Cordon's own code holds, apart from chDB's native caches, which RSS includes.
 */
async function heapMiB(): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? 0) / 1024 / 1024;
}

async function sample(started: number): Promise<{ t: number; rssMiB: number; heapMiB: number }> {
  return { t: Math.round((Date.now() - started) / 1000), rssMiB: Math.round(rssMiB()), heapMiB: Math.round(await heapMiB()) };
}

async function call(path: string, init: RequestInit & { key?: string } = {}): Promise<{ status: number; body: any }> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${init.key ?? adminKey}`);
  const response = await fetch(`${base}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const screening = (vehicles: number, region = xinyan, extra: object = {}) => ({
  id: randomUUID(),
  type: 'screening',
  occurredAt: '2020-02-13T08:00:00+08:00',
  region,
  data: { vehicles, people: vehicles },
  ...extra,
});

// What the server acknowledged: every distinct id with a 200 "accepted", and its vehicles.
const acknowledged = new Map<string, number>();
const tally: Record<
  string,
  { requests: number; statuses: Record<number, number>; accepted: number; rejected: number; duplicates: number }
> = {};
function note(kind: string, status: number, body: any) {
  const t = (tally[kind] ??= { requests: 0, statuses: {}, accepted: 0, rejected: 0, duplicates: 0 });
  t.requests++;
  t.statuses[status] = (t.statuses[status] ?? 0) + 1;
  if (status === 200) {
    t.accepted += body.accepted;
    t.rejected += body.rejected;
    t.duplicates += body.duplicates;
  }
}

async function sendJson(kind: string, events: object[], key?: string) {
  const r = await call('/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events),
    ...(key ? { key } : {}),
  });
  note(kind, r.status, r.body);
  return r;
}

function acknowledge(events: { id: string; type: string; data: { vehicles?: number } }[], body: { errors: { index: number }[] }) {
  const rejected = new Set(body.errors.map((e) => e.index));
  events.forEach((e, i) => {
    if (!rejected.has(i) && e.type === 'screening') acknowledged.set(e.id, e.data.vehicles ?? 0);
  });
}

async function main() {
  server = await startServer({ port, dataDir, adminKey });
  const makeKey = async (region: string) =>
    (
      await call('/v1/keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `soak ${region}`, role: 'ingest', region }),
      })
    ).body.key as string;
  const xinyanKey = await makeKey(xinyan);
  // The sibling town's events, counted before the soak: what out-of-scope voids aim at.
  const theirs = Array.from({ length: 100 }, () => screening(17, lihe));
  acknowledge(theirs as never, (await sendJson('seed (sibling town)', theirs)).body);
  while ((await call('/v1/status')).body.lag > 0) await delay(50);

  const sent: object[][] = [];
  const kinds: (() => Promise<void>)[] = [
    async () => {
      const events = Array.from({ length: 50 }, () => screening(1 + Math.floor(Math.random() * 9)));
      const r = await sendJson('good batch', events);
      if (r.status === 200) {
        acknowledge(events as never, r.body);
        sent.push(events);
      }
    },
    async () => {
      const again = sent[Math.floor(Math.random() * sent.length)];
      if (again) await sendJson('duplicate batch', again);
    },
    async () => {
      const events = [screening(1000, xinyan, { source: 'x\ud800' }), screening(3), screening(1000, xinyan, { site: 'a\u0000b' })];
      const r = await sendJson('lone surrogate / NUL', events);
      if (r.status === 200) acknowledge(events as never, r.body);
    },
    async () => {
      const good = [screening(2), screening(4)];
      const body = Buffer.concat([
        Buffer.from(JSON.stringify(good[0]) + '\n'),
        Buffer.from('{"id":"'),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from('"}\n'),
        Buffer.from(JSON.stringify(good[1]) + '\n'),
      ]);
      const r = await call('/v1/events', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
      note('invalid UTF-8 NDJSON', r.status, r.body);
      // Line 1 (the broken one) is the rejected index; the good events are lines 0 and 2.
      if (r.status === 200) acknowledge([good[0], { type: 'broken' }, good[1]] as never, r.body);
    },
    async () => {
      const r = await call('/v1/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '[' + '"x",'.repeat(1_600_000) + '"x"]',
      });
      note('huge body (6 MiB)', r.status, r.body);
    },
    async () => {
      const r = await call('/v1/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{"id": "broken' });
      note('malformed JSON', r.status, r.body);
    },
    async () => {
      const target = theirs[Math.floor(Math.random() * theirs.length)]!;
      await sendJson(
        'out-of-scope void',
        [
          {
            id: randomUUID(),
            type: 'void',
            occurredAt: '2020-02-13T09:00:00+08:00',
            region: xinyan,
            data: { target: target.id, reason: 'soak' },
          },
        ],
        xinyanKey,
      );
    },
    async () => {
      const voids = Array.from({ length: 100 }, () => ({
        id: randomUUID(),
        type: 'void',
        occurredAt: '2020-02-13T09:00:00+08:00',
        region: xinyan,
        data: { target: randomUUID(), reason: 'pending, never arrives' },
      }));
      await sendJson('pending voids', voids, xinyanKey);
    },
  ];

  const samples: { t: number; rssMiB: number; heapMiB: number }[] = [];
  const started = Date.now();
  const end = started + seconds * 1000;
  const sampler = setInterval(
    () =>
      void sample(started).then(
        (s) => samples.push(s),
        () => undefined,
      ),
    Math.max(1000, (seconds * 1000) / 12),
  );
  samples.push(await sample(started));
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < end) await kinds[Math.floor(Math.random() * kinds.length)]!();
    }),
  );
  clearInterval(sampler);
  const drainStart = Date.now();
  while ((await call('/v1/status')).body.lag > 0) await delay(50);
  const drainMs = Date.now() - drainStart;
  samples.push(await sample(started));

  const expected = [...acknowledged.values()].reduce((a, b) => a + b, 0);
  const totals = (await call(`/v1/aggregates?metrics=vehicles_screened&region=410184&from=2020-02-13&to=2020-02-13`)).body.totals;
  const status = (await call('/v1/status')).body;

  console.log(`soak: ${seconds} s, ${clients} clients, server pid ${server.pid} on ${base}`);
  console.table(Object.fromEntries(Object.entries(tally).map(([k, v]) => [k, { ...v, statuses: JSON.stringify(v.statuses) }])));
  console.log(
    `acknowledged distinct screening events: ${acknowledged.size}; vehicles acknowledged ${expected}, counted ${totals.vehicles_screened}: ${expected === totals.vehicles_screened ? 'exact' : 'DIFFERENT'}`,
  );
  console.log(`drained in ${drainMs} ms after the traffic stopped; consumer ${JSON.stringify(status.consumer)}`);
  console.log(`server RSS (MiB) over time: ${samples.map((s) => `${s.t}s:${s.rssMiB}`).join('  ')}`);
  console.log(`server JS heap used (MiB) over time: ${samples.map((s) => `${s.t}s:${s.heapMiB}`).join('  ')}`);
  return expected === totals.vehicles_screened ? 0 : 1;
}

main()
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  )
  .finally(async () => {
    if (server) await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  });
