import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOrigins } from '../src/config.ts';
import { startTestCordon, type TestClient } from './harness.ts';

/**
 * CORDON_CORS_ORIGINS: pages on the listed origins may call the API from a
 * browser. A preflight carries no key, so it is answered before auth.
 */
let withCors: TestClient;
let withoutCors: TestClient;
beforeAll(async () => {
  withCors = await startTestCordon({ config: { corsOrigins: ['https://city.example.gov.cn', 'http://127.0.0.1:9000'] } });
  withoutCors = await startTestCordon();
});
afterAll(async () => {
  await withCors?.close();
  await withoutCors?.close();
});

const preflight = (origin: string) => ({
  method: 'OPTIONS',
  key: null,
  headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization, if-none-match' },
});

describe('CORS', () => {
  it("answers a listed origin's preflight without a key, allowing Authorization and If-None-Match", async () => {
    const response = await withCors.request(
      '/v1/aggregates?metrics=people_screened&region=410184',
      preflight('https://city.example.gov.cn'),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://city.example.gov.cn');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST,DELETE,OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('Authorization,Content-Type,Accept,If-None-Match,Accept-Language');
    expect(response.headers.get('access-control-max-age')).toBe('600');
  });

  it('lets a listed origin read the answer and its ETag', async () => {
    const response = await withCors.request('/v1/aggregates?metrics=people_screened&region=410184&to=2020-02-13', {
      headers: { origin: 'http://127.0.0.1:9000' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:9000');
    expect(response.headers.get('access-control-expose-headers')).toBe('ETag,Retry-After,Content-Disposition,X-Request-Id');
    expect(response.headers.get('etag')).toMatch(/^W\//);
  });

  it('still asks a listed origin for a key on the real request', async () => {
    const response = await withCors.request('/v1/aggregates?metrics=people_screened&region=410184', {
      key: null,
      headers: { origin: 'https://city.example.gov.cn' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://city.example.gov.cn');
  });

  it('gives an origin not on the list no Access-Control-Allow-Origin', async () => {
    const pre = await withCors.request('/v1/aggregates', preflight('https://evil.example.com'));
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const get = await withCors.request('/v1/aggregates?metrics=people_screened&region=410184', {
      headers: { origin: 'https://evil.example.com' },
    });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows no origin by default', async () => {
    const pre = await withoutCors.request('/v1/aggregates', preflight('https://city.example.gov.cn'));
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.status).not.toBe(204);
  });
});

describe('CORDON_CORS_ORIGINS', () => {
  it('reads comma-separated origins and rejects what is not an origin', () => {
    expect(parseOrigins('')).toEqual([]);
    expect(parseOrigins(' https://a.example , http://127.0.0.1:9000/ ')).toEqual(['https://a.example', 'http://127.0.0.1:9000']);
    expect(() => parseOrigins('https://a.example/dashboard')).toThrow(/did you mean https:\/\/a.example\?/);
    expect(() => parseOrigins('a.example')).toThrow(/not an origin/);
    expect(() => parseOrigins('ftp://a.example')).toThrow(/not an origin/);
  });
});
