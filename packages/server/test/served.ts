import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { adminKey, startTestCordon, type TestClient } from './harness.ts';

export { adminKey };

/**
 * The real Cordon of the server's test harness (embedded log, chDB), served
 * over real HTTP on a free loopback port, as `runtime.ts` serves it with
 * `listen` (the harness drives `app.request()` and never listens). `goOffline`
 * closes the listener and every open connection, so clients meet a real
 * ECONNREFUSED; `goOnline` listens again on the same port.
 */
export interface ServedCordon {
  cordon: TestClient;
  url: string;
  goOffline(): Promise<void>;
  goOnline(): Promise<void>;
  /** Serve another Cordon's app on the same port (a restarted server). */
  swapApp(next: TestClient): Promise<void>;
  close(): Promise<void>;
}

export async function serveTestCordon(options: Parameters<typeof startTestCordon>[0] = {}): Promise<ServedCordon> {
  let cordon = await startTestCordon(options);
  let server: Server | undefined = await listen(cordon, 0);
  const port = (server.address() as AddressInfo).port;
  const stop = async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  };
  return {
    get cordon() {
      return cordon;
    },
    url: `http://127.0.0.1:${port}`,
    goOffline: stop,
    async goOnline() {
      server ??= await listen(cordon, port);
    },
    async swapApp(next) {
      await stop();
      cordon = next;
      server = await listen(cordon, port);
    },
    async close() {
      await stop();
      await cordon.close();
    },
  };
}

function listen(cordon: TestClient, port: number): Promise<Server> {
  const app = cordon.runtime.app;
  if (!app) throw new Error('the test Cordon has no HTTP app');
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () => resolve(server as Server));
    server.once('error', reject);
  });
}
