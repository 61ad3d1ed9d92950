import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { event, waitFor } from './harness.ts';

/**
 * `npm start` as an operator runs it (npm → sh → node), stopped the way a
 * process manager stops it: SIGTERM to the pid it started, npm's. Every
 * process of the tree must be gone soon after, and the data folder must
 * reopen cleanly.
 */
const repoRoot = join(import.meta.dirname, '../../..');
const key = 'signals-test-admin-key';

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function npmStart(dataDir: string): Promise<Started> {
  const child = spawn('npm', ['start'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      CORDON_KAFKA_BROKERS: '',
      CORDON_CLICKHOUSE_URL: '',
      PORT: '0',
      CORDON_DATA_DIR: dataDir,
      CORDON_BOOTSTRAP_KEY: key,
      CORDON_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let url = '';
  await waitFor(
    () => {
      url = /listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
      return url !== '';
    },
    { timeoutMs: 20_000, what: 'npm start to listen' },
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; its output: ${output}`);
  });
  return { child, url, output: () => output, exited };
}

/** The pids under `root` (children, grandchildren...), read from /proc. */
function descendants(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name may hold spaces and parentheses: the fields start after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const child of parents.get(pid) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

/** A process is gone once it has no /proc entry or is a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function stopWithSigterm(started: Started): Promise<{ pids: number[]; code: number | null; ms: number }> {
  const pids = [started.child.pid!, ...descendants(started.child.pid!)];
  const t0 = Date.now();
  started.child.kill('SIGTERM');
  const code = await started.exited;
  await waitFor(() => pids.every((pid) => !alive(pid)), {
    timeoutMs: 5_000,
    what: `every process of npm start (${pids.join(', ')}) to end`,
  });
  return { pids, code, ms: Date.now() - t0 };
}

async function post(url: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('SIGTERM to the npm start process', () => {
  it('stops npm, node and everything under them within seconds, and the data folder reopens cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cordon-signals-'));
    const first = await npmStart(dataDir);
    // npm's child is node itself (sh exec'd it), not sh → tsx → node: one process gets npm's signal.
    const commands = descendants(first.child.pid!).map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
    expect(commands.filter((argv) => argv.includes('packages/server/src/main.ts'))).toEqual([
      [expect.stringMatching(/(^|\/)node$/), '--import', 'tsx', 'packages/server/src/main.ts', 'all', ''],
    ]);
    expect(commands.some((argv) => argv[0] === 'sh' || argv.some((a) => a.endsWith('.bin/tsx')))).toBe(false);

    const events = Array.from({ length: 30 }, (_, i) => event('screening', { vehicles: 2, people: i }, { region: '410184' }));
    expect((await post(first.url, '/v1/events', events)).body).toMatchObject({ accepted: 30, rejected: 0 });
    await waitFor(async () => (await post(first.url, '/v1/status')).body.lag === 0, { what: 'the consumer to count the events' });

    const stopped = await stopWithSigterm(first);
    expect(stopped.code).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');

    // Reopened: the log needs no repair, the figures are all there, and it stops again.
    const second = await npmStart(dataDir);
    const totals = await post(
      second.url,
      '/v1/aggregates?metrics=vehicles_screened,people_screened&region=410184&from=2020-02-13&to=2020-02-13',
    );
    expect(totals.body.totals).toEqual({ vehicles_screened: 60, people_screened: 435 });
    expect(second.output()).not.toMatch(/"level":(40|50|60)/); // no warning: no torn write cut, no stale lock taken over
    expect((await stopWithSigterm(second)).code).toBe(0);
  });
});
