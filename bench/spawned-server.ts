/**
 * A real server (`node --import tsx packages/server/src/main.ts all`, as
 * `npm start` runs it) on a loopback port of the bench's choosing, for the
 * benches that watch the process itself (its RSS, a restart on the same data
 * directory).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** Starts the server and resolves once /v1/health answers (at most two minutes). */
export async function startServer(options: { port: number; dataDir: string; adminKey: string }): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts', 'all'], {
    env: {
      ...process.env,
      PORT: String(options.port),
      CORDON_DATA_DIR: options.dataDir,
      CORDON_BOOTSTRAP_KEY: options.adminKey,
      CORDON_LOG_LEVEL: 'error',
      CORDON_RATE_LIMIT: '100000/100000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  server.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') console.error(`server exited: code ${code}, signal ${signal}`);
  });
  for (const deadline = Date.now() + 120_000; ;) {
    try {
      if ((await fetch(`http://127.0.0.1:${options.port}/v1/health`)).ok) return server;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('the server did not start');
    await delay(200);
  }
}

/** SIGTERM, then the exit (the server drains and closes its data directory). */
export async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}

/** The process's resident memory, from /proc (Linux). */
export function rssMiB(server: ChildProcess): number {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}
