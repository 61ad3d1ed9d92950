import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCordon, type TestClient } from './harness.ts';

/**
 * Issue 7, item 8: what the HTTP edge tells a client that asked wrongly.
 * A wrong method on a path the API serves is 405 with Allow; a path it does
 * not serve is 404.
 */
let cordon: TestClient;
beforeAll(async () => {
  cordon = await startTestCordon({ roles: ['ingest', 'query'] });
});
afterAll(async () => {
  await cordon.close();
});

describe('405 Method Not Allowed', () => {
  const cases: [method: string, path: string, allow: string][] = [
    ['PUT', '/v1/keys', 'GET, HEAD, POST'],
    ['PATCH', '/v1/keys/abc', 'DELETE'],
    ['DELETE', '/v1/aggregates', 'GET, HEAD'],
    ['POST', '/v1/metrics', 'GET, HEAD'],
    ['GET', '/v1/events', 'POST'],
    ['PUT', '/v1/regions', 'GET, HEAD, POST'],
    ['DELETE', '/v1/regions/410184', 'GET, HEAD'],
    ['POST', '/v1/health', 'GET, HEAD'],
    ['POST', '/openapi.json', 'GET, HEAD'],
  ];
  for (const [method, path, allow] of cases) {
    it(`${method} ${path} → 405, Allow: ${allow}`, async () => {
      const response = await cordon.request(path, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
      expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect(await response.json()).toEqual({
        type: '/problems/method_not_allowed',
        title: 'Method not allowed',
        status: 405,
        detail: `${path} answers ${allow}, not ${method}`,
      });
    });
  }

  it('keeps 404 for paths the API does not serve, whatever the method', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nothing'],
      ['POST', '/v1/nothing'],
      ['GET', '/v1/keys/a/b'],
      ['GET', '/v1/aggregates/'],
      ['GET', '/docs/missing.js'],
    ]) {
      const response = await cordon.request(path!, { method: method! });
      expect(response.status).toBe(404);
      expect(response.headers.get('allow')).toBeNull();
      expect(((await response.json()) as { type: string }).type).toBe('/problems/not_found');
    }
  });

  it('still asks for a key before saying which methods a keyed path takes', async () => {
    const response = await cordon.request('/v1/keys', { method: 'PUT', key: null });
    expect(response.status).toBe(401);
  });
});
