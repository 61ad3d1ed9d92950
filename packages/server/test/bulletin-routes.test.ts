import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulletinsDir } from '../src/bulletins/service.ts';
import { fakeClock } from './fake-clock.ts';
import { startStandInBulletins } from './fixtures/bulletin-stand-in.ts';
import { adminKey, event, startTestCordon, type TestClient } from './harness.ts';

/**
 * GET /v1/bulletins and /v1/bulletins/{region}/{date} over real HTTP, on
 * bulletins the schedule wrote: 新郑市 (410184) for 2月12日 and 13日 (13日
 * revised once by a late event), 410471 for 2月13日.
 */
let cordon: TestClient;
let server: Server;
let base: string;
let townKey: string;
let dir: string;

async function get(path: string, init: { key?: string | null; accept?: string } = {}) {
  const headers: Record<string, string> = {};
  const key = init.key === undefined ? adminKey : init.key;
  if (key !== null) headers['authorization'] = `Bearer ${key}`;
  if (init.accept !== undefined) headers['accept'] = init.accept;
  const response = await fetch(`${base}${path}`, { headers });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text(), headers: response.headers };
}
const file = (name: string) => readFileSync(join(dir, name), 'utf8');

beforeAll(async () => {
  cordon = await startTestCordon();
  dir = bulletinsDir(cordon.config.dataDir);
  const sent = await cordon.send([
    event('screening', { vehicles: 3, people: 10 }, { occurredAt: '2020-02-12T09:00:00+08:00', region: '410184' }),
    event('screening', { vehicles: 4, people: 20 }, { occurredAt: '2020-02-13T09:00:00+08:00', region: '410184' }),
    event('screening', { vehicles: 1, people: 2 }, { occurredAt: '2020-02-13T09:00:00+08:00', region: '410471' }),
  ]);
  expect(sent.body.accepted).toBe(3);
  await cordon.settled();
  const clock = fakeClock('2020-02-14T08:00:00+08:00');
  const start = () => startStandInBulletins(cordon, ['410184', '410471'], clock);
  let service = await start();
  expect((await service.firstRun).written).toHaveLength(3);
  await service.close();
  await cordon.send([
    event('fever', { people: 1, disposition: 'referred' }, { occurredAt: '2020-02-13T11:00:00+08:00', region: '410184' }),
  ]);
  await cordon.settled();
  service = await start();
  expect((await service.firstRun).revised).toEqual([{ region: '410184', date: '2020-02-13', revision: 1, changes: 2 }]);
  await service.close();

  townKey = (await cordon.runtime.keys.create({ name: 'xinzheng office', role: 'read', region: '410184' })).key;
  const app = cordon.runtime.app!;
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await cordon?.close();
});

const links = (path: string, revision?: number) => {
  const q = revision === undefined ? '?' : `?revision=${revision}&`;
  return { html: `${path}${q}format=html`, markdown: `${path}${q}format=markdown`, json: `${path}${q}format=json` };
};

describe('GET /v1/bulletins', () => {
  it('lists every bulletin with its issue number, revisions and links', async () => {
    const { status, text } = await get('/v1/bulletins');
    expect(status).toBe(200);
    const { bulletins } = JSON.parse(text);
    expect(bulletins).toEqual([
      {
        region: { code: '410184', name: '新郑市' },
        date: '2020-02-12',
        issue: 1,
        latestRevision: 0,
        links: links('/v1/bulletins/410184/2020-02-12'),
        revisions: [
          { revision: 0, publishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), links: links('/v1/bulletins/410184/2020-02-12', 0) },
        ],
      },
      {
        region: { code: '410184', name: '新郑市' },
        date: '2020-02-13',
        issue: 2,
        latestRevision: 1,
        links: links('/v1/bulletins/410184/2020-02-13'),
        revisions: [
          { revision: 0, publishedAt: expect.any(String), links: links('/v1/bulletins/410184/2020-02-13', 0) },
          { revision: 1, publishedAt: expect.any(String), links: links('/v1/bulletins/410184/2020-02-13', 1) },
        ],
      },
      {
        region: { code: '410471', name: expect.any(String) },
        date: '2020-02-13',
        issue: 1,
        latestRevision: 0,
        links: links('/v1/bulletins/410471/2020-02-13'),
        revisions: [{ revision: 0, publishedAt: expect.any(String), links: links('/v1/bulletins/410471/2020-02-13', 0) }],
      },
    ]);
  });

  it('region= narrows to a subtree; a scoped key sees only its own, and 403 for a wider or another region', async () => {
    const narrowed = JSON.parse((await get('/v1/bulletins?region=410184')).text).bulletins;
    expect(narrowed.map((b: { region: { code: string }; date: string }) => `${b.region.code} ${b.date}`)).toEqual([
      '410184 2020-02-12',
      '410184 2020-02-13',
    ]);
    expect(JSON.parse((await get('/v1/bulletins?region=410000')).text).bulletins).toHaveLength(3);
    expect(JSON.parse((await get('/v1/bulletins', { key: townKey })).text).bulletins).toEqual(narrowed);
    expect((await get('/v1/bulletins?region=410471', { key: townKey })).status).toBe(403);
    expect((await get('/v1/bulletins?region=410000', { key: townKey })).status).toBe(403);
  });

  it('answers 400 for a malformed or unknown region, 401 without a key', async () => {
    const bad = await get('/v1/bulletins?region=4101');
    expect(bad.status).toBe(400);
    expect(bad.type).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(bad.text).errors[0].path).toBe('region');
    expect((await get('/v1/bulletins?region=999999')).status).toBe(400);
    expect((await get('/v1/bulletins', { key: null })).status).toBe(401);
  });
});

describe('GET /v1/bulletins/{region}/{date}', () => {
  it('serves the latest revision as HTML to a browser, Markdown or JSON on Accept, byte for byte as written', async () => {
    const browser = await get('/v1/bulletins/410184/2020-02-13', {
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    });
    expect(browser).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', text: file('410184/2020-02-13.r1.html') });
    expect(browser.headers.get('x-bulletin-revision')).toBe('1');
    expect(browser.headers.get('vary')).toBe('Accept');
    expect(await get('/v1/bulletins/410184/2020-02-13', { accept: '*/*' })).toMatchObject({
      status: 200,
      type: 'text/html; charset=utf-8',
    });
    expect(await get('/v1/bulletins/410184/2020-02-13', { accept: 'text/markdown' })).toMatchObject({
      status: 200,
      type: 'text/markdown; charset=utf-8',
      text: file('410184/2020-02-13.r1.md'),
    });
    const json = await get('/v1/bulletins/410184/2020-02-13', { accept: 'application/json' });
    expect(json).toMatchObject({ status: 200, type: 'application/json; charset=utf-8', text: file('410184/2020-02-13.r1.json') });
    expect(JSON.parse(json.text)).toMatchObject({
      cumulative: { vehicles_screened: 7, people_screened: 30, people_turned_back: 0, fever_cases: 1 },
      revision: {
        number: 1,
        changes: [
          { path: 'day.fever_cases', from: 0, to: 1 },
          { path: 'cumulative.fever_cases', from: 0, to: 1 },
        ],
      },
    });
  });

  it('?revision=n serves that revision; format= overrides Accept', async () => {
    const original = await get('/v1/bulletins/410184/2020-02-13?revision=0', { accept: 'text/markdown' });
    expect(original).toMatchObject({ status: 200, text: file('410184/2020-02-13.md') });
    expect(original.text).not.toContain('修订');
    expect(original.headers.get('x-bulletin-revision')).toBe('0');
    const revised = await get('/v1/bulletins/410184/2020-02-13?revision=1&format=markdown', { accept: 'application/json' });
    expect(revised).toMatchObject({ status: 200, type: 'text/markdown; charset=utf-8', text: file('410184/2020-02-13.r1.md') });
    expect(revised.text.split('\n')[0]).toBe('# 新郑市疫情防控日报（修订1）');
  });

  it('a scoped key reads inside its subtree and gets 403 outside it', async () => {
    expect((await get('/v1/bulletins/410184/2020-02-12', { key: townKey, accept: 'application/json' })).status).toBe(200);
    const outside = await get('/v1/bulletins/410471/2020-02-13', { key: townKey });
    expect(outside.status).toBe(403);
    expect(outside.type).toBe('application/problem+json; charset=utf-8');
    // Outside the subtree it is 403 whether or not there is a bulletin: a key cannot probe.
    expect((await get('/v1/bulletins/410471/2020-01-01', { key: townKey })).status).toBe(403);
  });

  it('404 for a day, a revision or a region without a bulletin', async () => {
    for (const path of [
      '/v1/bulletins/410184/2020-02-11',
      '/v1/bulletins/410184/2020-02-13?revision=2',
      '/v1/bulletins/410185/2020-02-13',
      '/v1/bulletins/410184/2020-02-12?format=svg',
    ]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.type).toBe('application/problem+json; charset=utf-8');
    }
  });

  it('400 for bad parameters, naming the field', async () => {
    const cases: [string, string][] = [
      ['/v1/bulletins/410184/2020-02-30', 'date'],
      ['/v1/bulletins/410184/yesterday', 'date'],
      ['/v1/bulletins/41018/2020-02-13', 'region'],
      ['/v1/bulletins/410184/2020-02-13?revision=-1', 'revision'],
      ['/v1/bulletins/410184/2020-02-13?revision=one', 'revision'],
      ['/v1/bulletins/410184/2020-02-13?revision=1.5', 'revision'],
      ['/v1/bulletins/410184/2020-02-13?format=pdf', 'format'],
    ];
    for (const [path, field] of cases) {
      const answer = await get(path);
      expect(answer.status, path).toBe(400);
      expect(
        JSON.parse(answer.text).errors.map((e: { path: string }) => e.path),
        path,
      ).toEqual([field]);
    }
    expect((await get('/v1/bulletins/410184/2020-02-13', { key: null })).status).toBe(401);
  });
});
