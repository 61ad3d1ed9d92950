/**
 * bulletins.list and bulletins.get against the real server over HTTP, on
 * bulletins in the server's folder (written with its store, as the
 * schedule writes them): each format, a given revision, typed errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type CordonClient } from '@cordon/sdk';
import { bulletinsDir } from '../../src/bulletins/service.ts';
import { createBulletinStore } from '../../src/bulletins/store.ts';
import { adminKey, serveTestCordon, type ServedCordon } from '../served.ts';

let served: ServedCordon;
let cordon: CordonClient;
const original = {
  markdown: '# 新郑市日报\n\n截至2月13日，累计排查184735人\n',
  html: '<!doctype html><title>新郑市日报</title><h1>新郑市日报</h1>',
  json: { knownAt: '2020-02-14T00:00:00.000Z', people: 184735 },
  svg: '<svg xmlns="http://www.w3.org/2000/svg"/>',
};
const revised = {
  markdown: '# 新郑市日报（修订1）\n',
  html: '<h1>新郑市日报（修订1）</h1>',
  json: { people: 184740, revision: { number: 1 } },
};

beforeAll(async () => {
  served = await serveTestCordon();
  const store = createBulletinStore(bulletinsDir(served.cordon.config.dataDir));
  await store.write('410184', '2020-02-13', 0, original);
  await store.write('410184', '2020-02-13', 1, revised);
  cordon = createClient({ baseUrl: served.url, apiKey: adminKey, retry: false });
});
afterAll(async () => {
  await served?.close();
});

describe('bulletins', () => {
  it('list: every bulletin with its revisions and links', async () => {
    const { data, error } = await cordon.bulletins.list({ region: '410184' });
    expect(error).toBeUndefined();
    expect(
      data?.bulletins.map((b) => ({
        date: b.date,
        issue: b.issue,
        latest: b.latestRevision,
        revisions: b.revisions.map((r) => r.revision),
        svg: b.revisions[0]?.links.svg,
      })),
    ).toEqual([
      { date: '2020-02-13', issue: 1, latest: 1, revisions: [0, 1], svg: '/v1/bulletins/410184/2020-02-13?revision=0&format=svg' },
    ]);
  });

  it('get: the JSON figures by default, Markdown, HTML or the chart as text, the latest revision or a given one', async () => {
    const json = await cordon.bulletins.get({ region: '410184', date: '2020-02-13' });
    expect(json.data).toEqual(revised.json);
    const markdown = await cordon.bulletins.get({ region: '410184', date: '2020-02-13', format: 'markdown' });
    expect(markdown.data).toBe(revised.markdown);
    expect(markdown.response?.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const first = await cordon.bulletins.get({ region: '410184', date: '2020-02-13', revision: 0, format: 'html' });
    expect(first.data).toBe(original.html);
    expect((await cordon.bulletins.get({ region: '410184', date: '2020-02-13', revision: 0 })).data).toEqual(original.json);
    expect((await cordon.bulletins.get({ region: '410184', date: '2020-02-13', revision: 0, format: 'svg' })).data).toBe(original.svg);
  });

  it('errors are typed problems: 404, 400, 403', async () => {
    const missing = await cordon.bulletins.get({ region: '410184', date: '2020-02-12', format: 'markdown' });
    expect(missing.error).toMatchObject({ kind: 'problem', status: 404 });
    const bad = await cordon.bulletins.get({ region: '410184', date: '2020-02-13', revision: -1 });
    expect(bad.error).toMatchObject({ kind: 'problem', status: 400 });
    const { key } = await served.cordon.runtime.keys.create({ name: 'other county', role: 'read', region: '410122' });
    const outside = await createClient({ baseUrl: served.url, apiKey: key, retry: false }).bulletins.get({
      region: '410184',
      date: '2020-02-13',
      format: 'html',
    });
    expect(outside.error).toMatchObject({ kind: 'problem', status: 403 });
  });
});
