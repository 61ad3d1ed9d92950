/**
 * The page's files as the server hands them out: the entry, the ECharts
 * chunk it imports once the first requests are sent, and the shell that
 * preloads it. Over real HTTP (node-server on a free port).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createDashboardRoutes } from '../src/routes.ts';

let server: ServerType;
let base: string;

beforeAll(async () => {
  const app = createDashboardRoutes();
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the dashboard bundle', () => {
  it('keeps ECharts out of the entry: the entry imports it from a chunk the shell preloads', async () => {
    const shell = await (await fetch(`${base}/dashboard`)).text();
    const preloaded = [...shell.matchAll(/<link rel="modulepreload" href="\/dashboard\/([^"]+)">/g)].map((m) => m[1]!);
    const entry = await fetch(`${base}/dashboard/app.js?v=x`);
    const entryText = await entry.text();
    const imported = [...entryText.matchAll(/import\("\.\/([a-z]+-[A-Z0-9]+\.js)"\)/g)].map((m) => m[1]!);
    expect(imported).toHaveLength(1);
    expect(imported[0]).toMatch(/^charts-[A-Z0-9]+\.js$/);
    // Every chunk the entry needs is preloaded, and nothing else is.
    const staticImports = [...entryText.matchAll(/(?:from|import)"\.\/([a-z]+-[A-Z0-9]+\.js)"/g)].map((m) => m[1]!);
    expect(new Set(preloaded)).toEqual(new Set([...imported, ...staticImports]));

    const chunk = await fetch(`${base}/dashboard/${imported[0]}`);
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const chunkText = await chunk.text();
    // ECharts registers its renderers by these names; only the chunk carries them.
    expect(chunkText).toContain('"svg"');
    expect(chunkText.length).toBeGreaterThan(10 * entryText.length);
    expect(entryText).not.toContain('zrender');
  });

  it('answers 404 for a chunk name that is not in the bundle, and serves nothing outside it', async () => {
    for (const path of [
      '/dashboard/charts-AAAAAAAA.js',
      '/dashboard/main.ts',
      '/dashboard/charts.ts',
      '/dashboard/%2e%2e%2fpackage.json',
    ]) {
      const response = await fetch(`${base}${path}`);
      expect([path, response.status]).toEqual([path, 404]);
      await response.arrayBuffer();
    }
  });
});
