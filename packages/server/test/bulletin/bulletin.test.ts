import { readFile, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type CordonClient } from '@cordon/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liujiDonations, liujiDonationsTo, liujiGifts, liujiRegion } from '../demo-donations.ts';
import { adminKey, serveTestCordon, type ServedCordon } from '../served.ts';
import { loadDemo } from '../../src/demo.ts';
import { parseXml } from '@cordon/charts/testing';
import { bulletinCommand, fetchBulletinFigures, instantInZone, renderBulletin, type BulletinFigures } from '@cordon/bulletin';

/**
 * The bulletin against the real server (embedded log, chDB, real HTTP) on
 * the demo data, read through the SDK as any client does.
 */
let served: ServedCordon;
let client: CordonClient;
let knownAt: string;

beforeAll(async () => {
  served = await serveTestCordon();
  await loadDemo(served.cordon.runtime);
  await served.cordon.settled();
  client = createClient({ baseUrl: served.url, apiKey: adminKey });
  const { data } = await client.status();
  knownAt = data!.asOf;
}, 300_000);
afterAll(async () => {
  await served?.close();
});

describe('the 新郑市 bulletin of 2020-02-13', () => {
  let figures: BulletinFigures;
  beforeAll(async () => {
    figures = await fetchBulletinFigures(client, { region: '410184', date: '2020-02-13', knownAt });
  });

  it('is, as Markdown, exactly the reviewed text (test/expected/410184-2020-02-13.md)', async () => {
    const expected = (await readFile(new URL('./expected/410184-2020-02-13.md', import.meta.url), 'utf8')).replace(
      '{{asOf}}',
      instantInZone(figures.asOf, 'Asia/Shanghai', 'zh'),
    );
    const { markdown } = renderBulletin(figures);
    expect(markdown).toBe(expected);
    expect(markdown).toContain('截至2月13日，累计排查车辆115814台、184735人，劝返车辆10899台、16966人，发现发热人员27名');
  });

  it('holds its provenance: issue 21 from 2020-01-24, the server zone, knownAt and asOf', () => {
    expect(figures).toMatchObject({
      date: '2020-02-13',
      previousDate: '2020-02-12',
      firstDay: '2020-01-24',
      issue: 21,
      timeZone: 'Asia/Shanghai',
      knownAt,
    });
    expect(Date.parse(figures.asOf)).toBe(Date.parse(knownAt));
  });

  it('is well-formed HTML holding the chart as SVG, with the Chinese series names', () => {
    const { html, svg } = renderBulletin(figures);
    const { elements, texts } = parseXml(html.replace('<!DOCTYPE html>', ''));
    expect(elements.filter((e) => e === 'svg')).toHaveLength(1);
    expect(html).toContain(svg);
    expect(texts).toContain('卡点排查人员（7日平均）');
    expect(texts).toContain('截至2月13日，累计排查车辆115814台、184735人，劝返车辆10899台、16966人，发现发热人员27名。');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    // The 14 days: people screened on the last day is the table's day figure.
    expect(figures.trend.series.map((s) => [s.metric, s.points.length, s.points.at(-1)?.value])).toEqual([
      ['people_screened', 14, 11965],
      ['people_turned_back', 14, 719],
    ]);
  });

  it('speaks English with --lang en', () => {
    const { markdown } = renderBulletin(figures, { lang: 'en' });
    expect(markdown.split('\n')[0]).toBe('# 新郑市 daily epidemic control bulletin');
    expect(markdown).toContain(
      'Up to 13 February, 115,814 vehicles and 184,735 people were screened in total, 10,899 vehicles and 16,966 people were turned back, and 27 people with fever were found.',
    );
  });
});

describe('a township and a village', () => {
  it('gives 东村镇 its quarantine, supplies, publicity, gatherings and talks exactly, and 无数据 where it has none', async () => {
    const f = await fetchBulletinFigures(client, { region: '141127100', date: '2020-02-10', knownAt });
    expect(f.metrics).toMatchObject({
      quarantine_active: { cumulative: 885 },
      quarantine_ended: { day: null, previous: null, cumulative: null },
      sites_active: { day: 70 },
      staff_on_duty: { day: 345 },
      'issued:masks:piece': { cumulative: 7000 },
      'issued:thermometers:piece': { cumulative: 250 },
      'issued:clothing:set': { cumulative: 460 },
      'issued:disinfectant:box': { cumulative: 30 },
      'publicity:blackboard': { cumulative: 50 },
      'publicity:banner': { cumulative: 350 },
      'publicity:notice': { cumulative: 152 },
      'publicity:initiative_letter': { cumulative: 18000 },
      'publicity:brochure': { cumulative: 2000 },
      'publicity:vehicle': { cumulative: 2 },
      gatherings_stopped: { cumulative: 5 },
      talks_organizations: { cumulative: 3 },
      talks_people: { cumulative: 12 },
      people_screened: { day: null, cumulative: null },
      incidents: { cumulative: null },
    });
    expect(f.completeness).toMatchObject({ inService: 70, reporting: 70, notReporting: [] });
    const { markdown } = renderBulletin(f);
    expect(markdown).toContain('| 发放口罩（个） | 0 | 0 | 7000 |');
    expect(markdown).toContain('| 解除居家隔离（人） | 无数据 | 无数据 | 无数据 |');
    expect(markdown).toContain('| 出黑板报（期） | ');
    expect(markdown).toContain('本地区以下事项无数据：入户排查、人员下沉、违规事件、社会捐赠。');
  });

  it("gives 刘集镇's donations by item, in their units, exactly", async () => {
    const f = await fetchBulletinFigures(client, { region: liujiRegion, date: liujiDonationsTo, knownAt });
    const donated = Object.fromEntries(
      Object.entries(f.metrics)
        .filter(([m]) => m.startsWith('donated:'))
        .map(([m, v]) => [m, v.cumulative]),
    );
    expect(donated).toEqual(liujiDonations);
    expect(f.metrics['donations']?.cumulative).toBe(liujiGifts);
    const { markdown } = renderBulletin(f);
    expect(markdown).toContain('| 现金（元） | 0 | 0 | 225000 |');
  });
});

describe('npm run bulletin', () => {
  const run = async (args: string[], env: Record<string, string | undefined> = { CORDON_URL: served.url, CORDON_API_KEY: adminKey }) => {
    const out: string[] = [];
    const err: string[] = [];
    process.exitCode = 0;
    await bulletinCommand({ env, stdout: (l) => out.push(l), stderr: (l) => err.push(l), now: () => new Date('2020-02-14T03:00:00Z') })
      .exitOverride()
      .parseAsync(['node', 'bulletin', ...args]);
    const code = process.exitCode;
    process.exitCode = 0;
    return { code, out, err };
  };

  it('writes the four files, prints their paths, and the same --known-at gives the same bytes', async () => {
    const dirs = [await mkdtemp(join(tmpdir(), 'bulletin-')), await mkdtemp(join(tmpdir(), 'bulletin-'))];
    const runs = [];
    for (const dir of dirs) runs.push(await run(['--region', '410184', '--date', '2020-02-13', '--known-at', knownAt, '--out', dir]));
    const files = (dir: string) => ['md', 'html', 'json', 'svg'].map((ext) => join(dir, '410184', `2020-02-13.${ext}`));
    expect(runs[0]).toEqual({ code: 0, out: files(dirs[0]!), err: [] });
    expect(await readdir(join(dirs[1]!, '410184'))).toEqual(['2020-02-13.html', '2020-02-13.json', '2020-02-13.md', '2020-02-13.svg']);
    for (const [a, b] of files(dirs[0]!).map((f, i) => [f, files(dirs[1]!)[i]!]))
      expect(await readFile(b!, 'utf8')).toBe(await readFile(a!, 'utf8'));
    const json = JSON.parse(await readFile(files(dirs[0]!)[2]!, 'utf8')) as BulletinFigures;
    expect(json).toMatchObject({ knownAt, region: { code: '410184' }, metrics: { people_screened: { cumulative: 184735 } } });
    expect(await readFile(files(dirs[0]!)[0]!, 'utf8')).toContain('![近14日排查与劝返人数](2020-02-13.svg)');
  });

  it("defaults --date to yesterday in the server's zone", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bulletin-'));
    const { code, out } = await run(['--region', '410184', '--out', dir, '--known-at', knownAt]);
    // 2020-02-14T03:00Z is 11:00 on 2月14日 in Asia/Shanghai: yesterday is 2月13日.
    expect({ code, first: out[0] }).toEqual({ code: 0, first: join(dir, '410184', '2020-02-13.md') });
  });

  it.each([
    [
      'the server is down',
      ['--region', '410184', '--date', '2020-02-13'],
      { CORDON_URL: 'http://127.0.0.1:9', CORDON_API_KEY: 'x' },
      /^bulletin: cannot reach the Cordon server at http:\/\/127\.0\.0\.1:9: /,
    ],
    [
      'the key is wrong',
      ['--region', '410184', '--date', '2020-02-13'],
      { CORDON_URL: '', CORDON_API_KEY: 'ck_wrong' },
      /^bulletin: the server refused the API key \(401\): check CORDON_API_KEY$/,
    ],
    [
      'the key is missing',
      ['--region', '410184', '--date', '2020-02-13'],
      { CORDON_URL: '', CORDON_API_KEY: undefined },
      /^bulletin: CORDON_API_KEY is not set: give a read key$/,
    ],
    ['the region is unknown', ['--region', '419999', '--date', '2020-02-13'], undefined, /^bulletin: unknown region 419999: /],
    [
      'the region has no data at all',
      ['--region', '410185', '--date', '2020-02-13'],
      undefined,
      /^bulletin: region 410185 \(登封市\) has no data up to 2020-02-13$/,
    ],
  ] as const)('fails in one line when %s', async (_, args, env, message) => {
    const { code, out, err } = await run([...args], env ? { ...env, CORDON_URL: env.CORDON_URL || served.url } : undefined);
    expect({ code, out }).toEqual({ code: 1, out: [] });
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });

  it("fails in one line for a region outside the key's scope", async () => {
    const { data } = await client.keys.create({ name: 'xinzheng reader', role: 'read', region: '410184' });
    const { code, err } = await run(['--region', '141127100', '--date', '2020-02-10'], {
      CORDON_URL: served.url,
      CORDON_API_KEY: data!.key,
    });
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^bulletin: the API key may not read region 141127100 \(403\)/);
  });

  it('refuses a bad --date in one line before asking the server', async () => {
    await expect(run(['--region', '410184', '--date', '2020-02-30'])).rejects.toThrow(
      "option '--date <day>' argument '2020-02-30' is invalid. must be a day, YYYY-MM-DD",
    );
  });
});
