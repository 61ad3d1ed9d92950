import { request as httpRequest } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../src/app.ts';
import { createAdminRoutes } from '../src/admin-routes.ts';
import { adminKey, startTestCordon, type TestClient } from './harness.ts';
import { silentLogger } from '@cordon/ingest';

/**
 * Issue 7, item 5: bad input on the admin routes is a 400 naming the field,
 * never a 500; a region is in the registry only once its write succeeded;
 * an oversized body is refused (413) before it is read.
 */
let cordon: TestClient;
beforeAll(async () => {
  cordon = await startTestCordon({ roles: ['ingest', 'query'] });
});
afterAll(async () => {
  await cordon.close();
});

const post = (path: string, body: unknown) =>
  cordon.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function expectFieldProblem(response: Response, status: number, path: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  const body = (await response.json()) as { type: string; errors?: { path: string }[] };
  expect(body.type).toBe('/problems/validation');
  expect(body.errors?.map((e) => e.path)).toEqual([path]);
}

describe('POST /v1/keys', () => {
  it('answers 400 naming `name` for a lone surrogate, and stores no key', async () => {
    const before = ((await (await cordon.request('/v1/keys')).json()) as { keys: unknown[] }).keys.length;
    await expectFieldProblem(await post('/v1/keys', { name: 'x\ud800', role: 'read' }), 400, 'name');
    await expectFieldProblem(await post('/v1/keys', { name: 'tab\there', role: 'read' }), 400, 'name');
    await expectFieldProblem(await post('/v1/keys', { name: 'nul\u0000', role: 'read' }), 400, 'name');
    const after = ((await (await cordon.request('/v1/keys')).json()) as { keys: unknown[] }).keys.length;
    expect(after).toBe(before);
  });

  it('still takes a Chinese name', async () => {
    const created = await post('/v1/keys', { name: '新郑市疾控中心', role: 'read', region: '410184' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: '新郑市疾控中心', role: 'read', region: '410184' });
  });
});

describe('POST /v1/regions', () => {
  it('answers 400 naming `name` for a lone surrogate, and the registry stays without the region', async () => {
    await expectFieldProblem(await post('/v1/regions', { code: '410184901', name: 'zone\udc00', parent: '410184' }), 400, 'name');
    expect(cordon.runtime.regions.has('410184901')).toBe(false);
    expect((await cordon.request('/v1/regions/410184901')).status).toBe(404);
  });

  it('names the field a registry check refused: parent for an unknown parent, code for a duplicate', async () => {
    await expectFieldProblem(await post('/v1/regions', { code: '410184902', name: '试验区', parent: '419999' }), 400, 'parent');
    await expectFieldProblem(await post('/v1/regions', { code: '410184001', name: '新建路街道' }), 400, 'code');
    const added = await post('/v1/regions', { code: '410184903', name: '新郑综合保税区', parent: '410184' });
    expect(added.status).toBe(201);
    expect(cordon.runtime.regions.get('410184903')?.name).toBe('新郑综合保税区');
  });

  it('leaves the registry unchanged when the write fails', async () => {
    const failing = {
      save: () => Promise.reject(new Error('disk full')),
      loadInto: () => Promise.resolve(0),
    };
    const app = createHttpApp(
      [createAdminRoutes({ keys: cordon.runtime.keys, regions: cordon.runtime.regions, customRegions: failing })],
      silentLogger,
    );
    const response = await app.request('/v1/regions', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code: '410184904', name: '航空港区', parent: '410184' }),
    });
    expect(response.status).toBe(500);
    expect(cordon.runtime.regions.has('410184904')).toBe(false);
  });
});

describe('body limits', () => {
  let server: ServerType;
  let port: number;
  beforeAll(async () => {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: cordon.runtime.app!.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
        port = info.port;
        resolve();
      });
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const fiftyMiB = 50 * 1024 * 1024;

  /**
   * Streams up to 50 MiB of JSON-ish bytes to `path` and resolves with the
   * answer and how many bytes had been written when it came. `declare`
   * sends a Content-Length of 50 MiB instead of chunked encoding.
   */
  function streamBig(path: string, declare: boolean): Promise<{ status: number; type: string; body: string; writtenAtAnswer: number }> {
    return new Promise((resolve, reject) => {
      let written = 0;
      let answered = false;
      const headers: Record<string, string> = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
      if (declare) headers['content-length'] = String(fiftyMiB);
      const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
        answered = true;
        const writtenAtAnswer = written;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body, writtenAtAnswer });
        });
      });
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!answered && written < fiftyMiB) {
          written += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered) req.end();
      };
      req.write('{"name":"');
      pump();
    });
  }

  for (const path of ['/v1/keys', '/v1/regions']) {
    for (const declare of [false, true]) {
      it(`answers 413 to a 50 MiB ${declare ? 'declared' : 'chunked'} body on POST ${path} before reading it`, async () => {
        const answer = await streamBig(path, declare);
        expect(answer.status).toBe(413);
        expect(answer.type).toBe('application/problem+json; charset=utf-8');
        expect(JSON.parse(answer.body)).toMatchObject({ type: '/problems/payload_too_large', status: 413 });
        // The answer came while at most a few MiB (socket buffers) had been sent.
        expect(answer.writtenAtAnswer).toBeLessThan(8 * 1024 * 1024);
      });
    }
  }
});
