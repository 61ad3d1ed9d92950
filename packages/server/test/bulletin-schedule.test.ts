import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysBetween } from '@cordon/schemas';
import { loadDemo } from '../src/demo.ts';
import { bulletinsDir, scheduleKeyName, type BulletinService } from '../src/bulletins/service.ts';
import { fakeClock } from './fake-clock.ts';
import { standInGenerator, startStandInBulletins } from './fixtures/bulletin-stand-in.ts';
import { event, startTestCordon, type TestClient } from './harness.ts';

/**
 * The morning bulletin against the real server on the demo data, with a
 * clock the test moves: catch-up after downtime, nothing written twice
 * across restarts, a revision (修订) for late events that leaves the
 * original's bytes alone, and bulletins for days nobody reported.
 *
 * 新郑市 (410184) has reports every day from 1月24日 to 2月14日;
 * 410471 reports on five days between 1月26日 and 2月3日 only.
 */
const regions = ['410184', '410471'];
const clock = fakeClock('2020-02-12T08:00:00+08:00');
let cordon: TestClient;
let dir: string;

/** Every file in the bulletins folder: its bytes and modification time. */
function snapshot(): Map<string, { text: string; mtimeMs: number }> {
  const out = new Map<string, { text: string; mtimeMs: number }>();
  for (const region of readdirSync(dir)) {
    for (const name of readdirSync(join(dir, region))) {
      const path = join(dir, region, name);
      out.set(`${region}/${name}`, { text: readFileSync(path, 'utf8'), mtimeMs: statSync(path).mtimeMs });
    }
  }
  return out;
}
const readJson = (path: string) => JSON.parse(readFileSync(join(dir, path), 'utf8'));

function restart(): Promise<BulletinService> {
  return startStandInBulletins(cordon, regions, clock);
}

beforeAll(async () => {
  cordon = await startTestCordon({
    config: { bulletinRegions: regions, bulletinAt: '07:00' },
    bulletins: { generator: standInGenerator, now: clock.now, timer: clock.timer },
  });
  dir = bulletinsDir(cordon.config.dataDir);
});
afterAll(async () => {
  await cordon?.close();
});

describe('the bulletin schedule', () => {
  it('starts with the server when CORDON_BULLETIN_REGIONS is set, with a read key of its own, and writes nothing before there is data', async () => {
    const service = cordon.runtime.bulletins!;
    expect(await service.firstRun).toEqual({ through: '2020-02-11', written: [], revised: [], failed: [] });
    const keys = (await cordon.runtime.keys.list()).filter((k) => k.name === scheduleKeyName && k.revokedAt === null);
    expect(keys).toMatchObject([{ role: 'read', region: null }]);
    // The next run: 07:00 in Asia/Shanghai on the next day.
    expect(service.schedule.nextRunAt?.toISOString()).toBe('2020-02-12T23:00:00.000Z');
  });

  it('catches up every day from the first day with data, days without reports included', async () => {
    await loadDemo(cordon.runtime);
    const report = await cordon.runtime.bulletins!.schedule.run();
    expect(report.failed).toEqual([]);
    expect(report.written).toEqual([
      ...daysBetween('2020-01-24', '2020-02-11').map((date) => ({ region: '410184', date })),
      ...daysBetween('2020-01-26', '2020-02-11').map((date) => ({ region: '410471', date })),
    ]);
    expect(readdirSync(join(dir, '410184')).sort().slice(0, 3)).toEqual(['2020-01-24.html', '2020-01-24.json', '2020-01-24.md']);
    // 2月1日: nobody in 410471 reported; the bulletin is there, with the day at 0 and the totals so far.
    const quiet = readJson('410471/2020-02-01.json');
    expect(quiet.day).toEqual({ vehicles_screened: 0, people_screened: 0, people_turned_back: 0, fever_cases: 0 });
    expect(quiet.cumulative).toEqual(readJson('410471/2020-01-31.json').cumulative);
    expect(readJson('410184/2020-02-11.json')).toMatchObject({ region: { code: '410184', name: '新郑市' }, date: '2020-02-11' });
  });

  it('after downtime, a restart writes the days it missed and nothing else', async () => {
    await cordon.runtime.bulletins!.close();
    const before = snapshot();
    clock.advanceTo('2020-02-15T09:30:00+08:00');
    const service = await restart();
    const report = await service.firstRun;
    expect(report.written).toEqual([
      { region: '410184', date: '2020-02-12' },
      { region: '410184', date: '2020-02-13' },
      { region: '410184', date: '2020-02-14' },
      { region: '410471', date: '2020-02-12' },
      { region: '410471', date: '2020-02-13' },
      { region: '410471', date: '2020-02-14' },
    ]);
    expect(report.revised).toEqual([]);
    const after = snapshot();
    for (const [name, file] of before) expect(after.get(name)).toEqual(file);
    expect(readJson('410184/2020-02-13.json').cumulative).toEqual({
      vehicles_screened: 115814,
      people_screened: 184735,
      people_turned_back: 16966,
      fever_cases: 27,
    });
    await service.close();
  });

  it('a restart over the same folder writes nothing twice', async () => {
    const before = snapshot();
    const service = await restart();
    expect(await service.firstRun).toEqual({ through: '2020-02-14', written: [], revised: [], failed: [] });
    expect(snapshot()).toEqual(before);
    // Only one scheduler key is live at a time: each start revokes the one before.
    expect((await cordon.runtime.keys.list()).filter((k) => k.name === scheduleKeyName && k.revokedAt === null)).toHaveLength(1);
    await service.close();
  });

  it('writes yesterday at 07:00 when the timer fires, then arms the next morning', async () => {
    const service = await restart();
    await service.firstRun;
    expect(service.schedule.nextRunAt?.toISOString()).toBe('2020-02-15T23:00:00.000Z');
    expect(readdirSync(join(dir, '410184')).some((n) => n.startsWith('2020-02-15'))).toBe(false);
    clock.advanceTo('2020-02-16T07:00:00+08:00');
    await service.schedule.idle();
    expect(statSync(join(dir, '410184', '2020-02-15.md')).isFile()).toBe(true);
    expect(statSync(join(dir, '410471', '2020-02-15.json')).isFile()).toBe(true);
    expect(clock.pending).toEqual(['2020-02-16T23:00:00.000Z']);
    await service.close();
    expect(clock.pending).toEqual([]);
  });

  it('a late event after publication writes a revision (修订) and leaves the original byte for byte', async () => {
    const original = snapshot();
    const late = await cordon.send([
      event('screening', { vehicles: 2, people: 5 }, { occurredAt: '2020-02-13T10:00:00+08:00', region: '410184' }),
    ]);
    expect(late.body.accepted).toBe(1);
    await cordon.settled();
    const service = await restart();
    const report = await service.firstRun;
    expect(report.written).toEqual([]);
    // 2月13日's own figures and totals changed; the totals of 2月14日 and 15日 include that day, so they are revised too.
    expect(report.revised).toEqual([
      { region: '410184', date: '2020-02-13', revision: 1, changes: 4 },
      { region: '410184', date: '2020-02-14', revision: 1, changes: 2 },
      { region: '410184', date: '2020-02-15', revision: 1, changes: 2 },
    ]);
    const after = snapshot();
    for (const [name, file] of original) expect(after.get(name)).toEqual(file);
    expect([...after.keys()].filter((n) => !original.has(n) && n.startsWith('410184/2020-02-13')).sort()).toEqual([
      '410184/2020-02-13.r1.html',
      '410184/2020-02-13.r1.json',
      '410184/2020-02-13.r1.md',
    ]);

    const revision = readJson('410184/2020-02-13.r1.json');
    expect(revision.cumulative).toEqual({ vehicles_screened: 115816, people_screened: 184740, people_turned_back: 16966, fever_cases: 27 });
    expect(revision.revision).toMatchObject({
      number: 1,
      replaces: { revision: 0, knownAt: readJson('410184/2020-02-13.json').knownAt },
      changes: [
        {
          path: 'day.vehicles_screened',
          from: readJson('410184/2020-02-13.json').day.vehicles_screened,
          to: readJson('410184/2020-02-13.json').day.vehicles_screened + 2,
        },
        {
          path: 'day.people_screened',
          from: readJson('410184/2020-02-13.json').day.people_screened,
          to: readJson('410184/2020-02-13.json').day.people_screened + 5,
        },
        { path: 'cumulative.vehicles_screened', from: 115814, to: 115816 },
        { path: 'cumulative.people_screened', from: 184735, to: 184740 },
      ],
    });
    const md = readFileSync(join(dir, '410184/2020-02-13.r1.md'), 'utf8');
    expect(md.split('\n')[0]).toBe('# 新郑市疫情防控日报（修订1）');
    expect(md).toContain('| cumulative.people_screened | 184735 | 184740 |');
    const html = readFileSync(join(dir, '410184/2020-02-13.r1.html'), 'utf8');
    expect(html).toContain('<title>新郑市疫情防控日报（修订1）</title>');
    expect(html).toContain('<tr><td>cumulative.people_screened</td><td>184735</td><td>184740</td></tr>');
    await service.close();
  });

  it('a second check finds the revision up to date and writes nothing', async () => {
    const before = snapshot();
    const service = await restart();
    expect(await service.firstRun).toEqual({ through: '2020-02-15', written: [], revised: [], failed: [] });
    expect(snapshot()).toEqual(before);
    await service.close();
  });

  it('checks for late events only over the seven days up to yesterday', async () => {
    // 2月8日 is eight days before 2月15日: a late event there changes 2月8日..15日, but only 9日..15日 are checked.
    await cordon.send([
      event('fever', { people: 1, disposition: 'referred' }, { occurredAt: '2020-02-08T10:00:00+08:00', region: '410184' }),
    ]);
    await cordon.settled();
    const service = await restart();
    const report = await service.firstRun;
    expect(report.revised.map((r) => `${r.date}.r${r.revision}`)).toEqual([
      '2020-02-09.r1',
      '2020-02-10.r1',
      '2020-02-11.r1',
      '2020-02-12.r1',
      '2020-02-13.r2',
      '2020-02-14.r2',
      '2020-02-15.r2',
    ]);
    expect(readJson('410184/2020-02-13.r2.json').revision.replaces.revision).toBe(1);
    await service.close();
  });
});
