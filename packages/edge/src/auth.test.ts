/**
 * The edge through a tiny app, as hono tests its middleware: `requireRole`
 * with a real KeyStore (its records kept in an array instead of the admin
 * log), `handleError` turning every throw into problem+json.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord, Problem } from '@cordon/schemas';
import { requireRole, type AuthEnv } from './auth.ts';
import { KeyStore } from './keys.ts';
import { handleError, ProblemError, validationProblem } from './problem.ts';
import { createRateLimiter } from './rate-limit.ts';

function tinyApp(keys: KeyStore, unexpected: unknown[] = []) {
  const app = new Hono<AuthEnv>();
  app.onError(handleError((error) => unexpected.push(error)));
  app.get('/ingest', requireRole(keys, 'ingest'), (c) => c.json(c.get('principal')));
  app.get('/boom', () => {
    throw new Error('secret stack detail');
  });
  app.get('/invalid', () => {
    throw validationProblem([
      { path: 'region', message: 'is not a region code' },
      { path: 'to', message: 'is not a date' },
    ]);
  });
  app.get('/too-large', () => {
    throw Object.assign(new Error(''), { status: 413 });
  });
  app.get('/media', () => {
    throw Object.assign(new Error('whatever'), { status: 415 });
  });
  return app;
}

function keyStore(options: ConstructorParameters<typeof KeyStore>[1] = {}) {
  const written: ApiKeyRecord[] = [];
  return { keys: new KeyStore({ append: async (record) => void written.push(record) }, options), written };
}

const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

describe('requireRole', () => {
  it('answers 401 problem+json with WWW-Authenticate when no key is sent', async () => {
    const res = await tinyApp(keyStore().keys).request('/ingest');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({
      type: '/problems/unauthorized',
      title: 'Missing or unknown API key',
      status: 401,
      detail: 'Send an API key as "Authorization: Bearer <key>"',
    });
  });

  it('answers 401 for an unknown key, a malformed header and a revoked key', async () => {
    const { keys } = keyStore();
    const app = tinyApp(keys);
    const created = await keys.create({ name: 'town', role: 'ingest', region: '410184003' });
    await keys.revoke(created.keyId);
    for (const authorization of ['Bearer ck_0000000000000000_' + 'a'.repeat(43), 'Basic dXNlcjpwYXNz', `Bearer ${created.key}`]) {
      const res = await app.request('/ingest', { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(((await res.json()) as Problem).detail).toBe(
        authorization.startsWith('Basic') ? 'Send an API key as "Authorization: Bearer <key>"' : 'The API key is unknown or revoked',
      );
    }
  });

  it('answers 403 naming the role needed to a key of another role', async () => {
    const { keys } = keyStore();
    const reader = await keys.create({ name: 'office', role: 'read' });
    const res = await tinyApp(keys).request('/ingest', bearer(reader.key));
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toEqual({
      type: '/problems/forbidden',
      title: 'This API key may not do that',
      status: 403,
      detail: 'A read key may not do this; it needs the role ingest',
    });
  });

  it('lets the role through, and an admin key everywhere, with the principal set', async () => {
    const { keys } = keyStore({ bootstrapKey: 'bootstrap-secret' });
    const app = tinyApp(keys);
    const town = await keys.create({ name: 'town', role: 'ingest', region: '410184003' });
    const own = await app.request('/ingest', bearer(town.key));
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ keyId: town.keyId, name: 'town', role: 'ingest', region: '410184003' });
    const admin = await app.request('/ingest', bearer('bootstrap-secret'));
    expect(await admin.json()).toEqual({ keyId: 'bootstrap', name: 'bootstrap admin key', role: 'admin', region: null });
  });

  it('answers 429 with Retry-After once the key has spent its burst', async () => {
    let now = 0;
    const { keys } = keyStore({ rateLimiter: createRateLimiter({ perSecond: 1, burst: 2 }, () => now) });
    const app = tinyApp(keys);
    const key = (await keys.create({ name: 'app', role: 'ingest' })).key;
    expect((await app.request('/ingest', bearer(key))).status).toBe(200);
    expect((await app.request('/ingest', bearer(key))).status).toBe(200);
    const limited = await app.request('/ingest', bearer(key));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({
      type: '/problems/rate_limited',
      status: 429,
      detail: 'This API key sent more requests than its limit allows; retry in 1 s',
    });
    now = 1000;
    expect((await app.request('/ingest', bearer(key))).status).toBe(200);
  });
});

describe('KeyStore', () => {
  it('writes a key as a hashed record, shows the key once, and verifies only that key', async () => {
    const { keys, written } = keyStore();
    const created = await keys.create({ name: 'county', role: 'admin', region: '410184' });
    expect(created.key).toMatch(new RegExp(`^ck_${created.keyId}_[A-Za-z0-9_-]{43}$`));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ kind: 'key', id: created.keyId, name: 'county', role: 'admin', region: '410184', revokedAt: null });
    expect(written[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(written)).not.toContain(created.key.slice(20));
    expect(await keys.verify(created.key)).toEqual({ keyId: created.keyId, name: 'county', role: 'admin', region: '410184' });
    expect(await keys.verify(`${created.key.slice(0, -1)}${created.key.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(await keys.hasAdminKey()).toBe(true);
  });

  it('keeps a revocation final when an older record of the key is applied again', async () => {
    const { keys, written } = keyStore();
    const created = await keys.create({ name: 'town', role: 'ingest' });
    expect(await keys.revoke(created.keyId)).toBe(true);
    expect(await keys.revoke('nosuchkey0000000')).toBe(false);
    keys.apply(written[0]!); // the creation record, replayed
    expect(await keys.verify(created.key)).toBeUndefined();
    expect((await keys.list()).map((k) => [k.keyId, k.revokedAt === null])).toEqual([[created.keyId, false]]);
  });

  it('takes a key made by another process from its record alone', async () => {
    const one = keyStore();
    const created = await one.keys.create({ name: 'elsewhere', role: 'read' });
    const other = keyStore();
    expect(await other.keys.verify(created.key)).toBeUndefined();
    other.keys.apply(one.written[0]!);
    expect(await other.keys.verify(created.key)).toMatchObject({ keyId: created.keyId, role: 'read' });
    expect(await other.keys.hasAdminKey()).toBe(false);
  });
});

describe('handleError', () => {
  it('answers a validation problem with each field in error', async () => {
    const res = await tinyApp(keyStore().keys).request('/invalid');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      type: '/problems/validation',
      title: 'The request is not valid',
      status: 400,
      detail: 'region: is not a region code; to: is not a date',
      errors: [
        { path: 'region', message: 'is not a region code' },
        { path: 'to', message: 'is not a date' },
      ],
    });
  });

  it("turns Hono's 413 and 415 into their problems", async () => {
    const app = tinyApp(keyStore().keys);
    const large = await app.request('/too-large');
    expect([large.status, await large.json()]).toEqual([
      413,
      { type: '/problems/payload_too_large', title: 'The request body is too large', status: 413, detail: 'The request body is too large' },
    ]);
    const media = await app.request('/media');
    expect(media.status).toBe(415);
    expect(((await media.json()) as Problem).type).toBe('/problems/unsupported_media_type');
  });

  it('answers anything else with a bare 500 and hands the error to the logger, never to the client', async () => {
    const unexpected: unknown[] = [];
    const res = await tinyApp(keyStore().keys, unexpected).request('/boom');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret stack detail');
    expect(JSON.parse(text)).toEqual({
      type: '/problems/internal',
      title: 'Internal error',
      status: 500,
      detail: 'An unexpected error occurred; it has been logged.',
    });
    expect(unexpected).toHaveLength(1);
    expect((unexpected[0] as Error).message).toBe('secret stack detail');
  });

  it('keeps the headers a ProblemError carries', async () => {
    const app = new Hono();
    app.onError(handleError(() => {}));
    app.get('/', () => {
      throw new ProblemError('unavailable', 'down', { headers: { 'retry-after': '5' } });
    });
    const res = await app.request('/');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
  });
});
