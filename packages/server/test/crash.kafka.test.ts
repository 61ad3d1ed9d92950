import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeEnvelope, openEventLog, silentLogger } from '@cordon/ingest';
import type { CordonEvent } from '@cordon/schemas';
import { event, waitFor } from './harness.ts';

/**
 * Crash tests: real processes killed with SIGKILL. Children run with tsx from
 * source, like `npm start`.
 */
const serverMain = join(import.meta.dirname, '../src/main.ts');
const consumerChild = join(import.meta.dirname, 'fixtures/consumer-child.ts');

interface Child {
  lines: Record<string, any>[];
  stdout: string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

function run(script: string, args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const handle: Child = {
    lines: [],
    stdout: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    kill: (signal) => child.kill(signal),
  };
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    handle.stdout += d.toString();
    handle.lines = handle.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, any>);
  });
  void handle.exited.then((code) => {
    if (code !== 0 && code !== null) process.stderr.write(`child ${script} exited ${code}: ${stderr.slice(-2000)}\n`);
  });
  return handle;
}

const logs = [
  { name: 'embedded log', kafka: false },
  { name: 'Kafka', kafka: true },
] as const;

describe.each(logs)('a consumer killed after its ClickHouse insert and before its offset commit ($name)', ({ kafka }) => {
  it('doubles nothing on restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cordon-crash-'));
    const topic = `cordon-crash-${randomBytes(4).toString('hex')}`;
    const env: Record<string, string> = {
      CORDON_DATA_DIR: dataDir,
      CORDON_KAFKA_TOPIC: topic,
      GROUP_ID: `g-${topic}`,
      CORDON_KAFKA_BROKERS: kafka ? process.env['CORDON_KAFKA_BROKERS']! : '',
    };
    const log = await openEventLog({
      kafka: kafka ? { brokers: env['CORDON_KAFKA_BROKERS']!.split(','), topic } : null,
      dataDir,
      logger: silentLogger,
    });
    const events = Array.from(
      { length: 1200 },
      (_, i) => event('screening', { vehicles: 1, people: i % 3 }, { region: '410184003' }) as CordonEvent,
    );
    await log.append(events.map((e) => ({ key: e.id, value: encodeEnvelope({ v: 1, receivedAt: new Date().toISOString(), event: e }) })));
    await log.close();

    const crashed = run(consumerChild, [], { ...env, CRASH_AFTER_INSERT: '1' });
    expect(await crashed.exited).toBeNull(); // killed by a signal
    const inserted = crashed.lines.find((l) => l['phase'] === 'inserted');
    expect(inserted?.['rows']).toBeGreaterThan(0); // the rows were in ClickHouse, the offset not committed

    const restarted = run(consumerChild, [], env);
    expect(await restarted.exited).toBe(0);
    const settled = restarted.lines.find((l) => l['phase'] === 'settled')!;
    expect(settled['rows']).toBe(1200);
    expect(settled['totals']).toEqual({ vehicles_screened: 1200, people_screened: 1200 });
    // The rows inserted before the kill came again and were recognised as already counted, every one.
    expect(settled['stats'].duplicates).toBe(inserted!['rows']);
  });
});

describe('the all-in-one server killed with SIGKILL while a client is sending', () => {
  it('counts, after restart, every event that got a 200', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cordon-kill-'));
    const key = 'crash-test-admin-key';
    const env = { CORDON_DATA_DIR: dataDir, PORT: '0', CORDON_BOOTSTRAP_KEY: key, CORDON_KAFKA_BROKERS: '', CORDON_LOG_LEVEL: 'warn' };
    const start = async () => {
      const server = run(serverMain, ['all'], env);
      await waitFor(() => /listening on (\S+)/.test(server.stdout), { timeoutMs: 60_000, what: 'the server to listen' });
      return { server, url: /listening on (\S+)/.exec(server.stdout)![1]! };
    };
    const post = (url: string, body: unknown) =>
      fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    const first = await start();
    const acked: string[] = [];
    const sent: ReturnType<typeof event>[] = [];
    let stop = false;
    const sender = async () => {
      while (!stop) {
        const batch = Array.from({ length: 50 }, () => event('screening', { vehicles: 0, people: 1 }, { region: '410184003' }));
        sent.push(...batch);
        try {
          const response = await post(first.url, batch);
          if (response.status === 200) acked.push(...batch.map((e) => e.id));
        } catch {
          return; // the server is gone
        }
      }
    };
    const senders = [sender(), sender(), sender(), sender()];
    await waitFor(() => acked.length >= 2000, { timeoutMs: 60_000, what: '2000 acknowledged events' });
    first.server.kill('SIGKILL');
    stop = true;
    await Promise.all(senders);
    await first.server.exited;

    const second = await start();
    await waitFor(
      async () => {
        const r = await fetch(`${second.url}/v1/status`, { headers: { authorization: `Bearer ${key}` } });
        return r.status === 200 && ((await r.json()) as { lag: number }).lag === 0;
      },
      { timeoutMs: 60_000, what: 'the restarted consumer to catch up' },
    );
    // Every acknowledged event is counted: sent again, each is a duplicate.
    const ackedSet = new Set(acked);
    const ackedEvents = sent.filter((e) => ackedSet.has(e.id));
    let duplicates = 0;
    for (let i = 0; i < ackedEvents.length; i += 5000) {
      const r = await post(second.url, ackedEvents.slice(i, i + 5000));
      duplicates += ((await r.json()) as { duplicates: number }).duplicates;
    }
    expect(duplicates).toBe(acked.length);
    // And the figure counts each stored event once: acknowledged ones plus any
    // the server made durable but could not answer for before it died.
    const unacked = sent.filter((e) => !ackedSet.has(e.id));
    const dry = await fetch(`${second.url}/v1/events?dryRun=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(unacked),
    });
    const durableUnacked = ((await dry.json()) as { duplicates: number }).duplicates;
    const figure = await fetch(`${second.url}/v1/aggregates?metrics=people_screened&region=410184003&from=2020-02-13&to=2020-02-13`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(((await figure.json()) as { totals: { people_screened: number } }).totals.people_screened).toBe(acked.length + durableUnacked);
    second.server.kill('SIGTERM');
    await second.server.exited;
  });
});
