/**
 * Real server processes for the recovery tests: `main.ts` run with tsx from
 * source, as `npm start` does, its JSON log lines collected.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './harness.ts';

export const serverMain = join(import.meta.dirname, '../src/main.ts');

export interface ServerProcess {
  url: string;
  /** Every stdout line that is JSON (pino's log lines). */
  lines(): Record<string, any>[];
  output(): string;
  stop(): Promise<number | null>;
  kill(): Promise<number | null>;
}

export interface Spawned {
  exited: Promise<number | null>;
  output(): string;
  kill(signal: NodeJS.Signals): void;
}

export function spawnScript(script: string, args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return {
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    output: () => output,
    kill: (signal) => child.kill(signal),
  };
}

export async function startServer(env: Record<string, string>, command = 'all'): Promise<ServerProcess> {
  const child = spawnScript(serverMain, [command], { PORT: '0', CORDON_KAFKA_BROKERS: '', CORDON_LOG_LEVEL: 'info', ...env });
  let exitCode: number | null | undefined;
  void child.exited.then((code) => (exitCode = code));
  await waitFor(
    () => {
      if (exitCode !== undefined) throw new Error(`the server exited ${exitCode}: ${child.output().slice(-3000)}`);
      return /listening on (\S+)/.test(child.output());
    },
    { timeoutMs: 90_000, what: 'the server to listen' },
  );
  const url = /listening on (\S+)/.exec(child.output())![1]!;
  return {
    url,
    output: child.output,
    lines: () =>
      child
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, any>),
    stop: async () => {
      child.kill('SIGTERM');
      return child.exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      return child.exited;
    },
  };
}

/** A small client of one running server, with an admin key. */
export function client(url: string, key: string) {
  const auth = { authorization: `Bearer ${key}` };
  return {
    async post(path: string, body: unknown, bearer = key): Promise<Response> {
      return fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    },
    async get<T = any>(path: string, bearer = key): Promise<{ status: number; body: T }> {
      const r = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
      return { status: r.status, body: (await r.json()) as T };
    },
    async lag(): Promise<number> {
      const r = await fetch(`${url}/v1/status`, { headers: auth });
      return ((await r.json()) as { lag: number }).lag;
    },
    async settled(): Promise<void> {
      await waitFor(async () => (await this.lag()) === 0, { timeoutMs: 90_000, what: 'lag 0' });
    },
  };
}
