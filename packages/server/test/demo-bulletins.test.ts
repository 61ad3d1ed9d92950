import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBulletinGenerator } from '@cordon/bulletin';
import { silentLogger } from '@cordon/ingest';
import { daysBetween } from '@cordon/schemas';
import { loadDemo, startDemoBulletins, demoBulletinKeyName } from '../src/demo.ts';
import { scheduleKeyName } from '../src/bulletins/service.ts';
import { recordingLogger, startTestCordon, type TestClient } from './harness.ts';

/**
 * `npm run demo` writes the data set's daily bulletins, so the dashboard's
 * 查看当日简报 opens one: the morning schedule's catch-up, run once with the
 * clock at the day after the data set's last day, through the real
 * generator and the SDK. One county here (新郑市) to keep the file short;
 * main.ts starts it for the three of demoBulletinRegions.
 */
let cordon: TestClient;
const log = recordingLogger();
beforeAll(async () => {
  cordon = await startTestCordon({ logger: log.logger });
  await loadDemo(cordon.runtime);
});
afterAll(async () => {
  await cordon?.close();
});

const start = () =>
  startDemoBulletins(cordon.runtime, {
    config: cordon.config,
    logger: silentLogger,
    generator: createBulletinGenerator,
    regions: ['410184'],
  });

describe('the demo bulletins', () => {
  it("writes one a day from 新郑市's first day with data through the data set's last, 第1期 onwards, with the report's figures", async () => {
    const service = await start();
    const report = await service.firstRun;
    expect(report).toEqual({
      through: '2020-03-07',
      written: daysBetween('2020-01-24', '2020-03-07').map((date) => ({ region: '410184', date })),
      revised: [],
      failed: [],
    });
    // A read key of its own while it writes, not the morning schedule's.
    const keys = await cordon.runtime.keys.list();
    const own = keys.filter((k) => k.name === demoBulletinKeyName && k.revokedAt === null);
    expect(own).toMatchObject([{ role: 'read', region: null }]);
    // Its requests (every bulletin reads its figures through the API) are in the request log at debug: at info, hundreds of
    // them would bury what an operator reads.
    const its = log.requests().filter((l) => l['keyId'] === own[0]!.keyId);
    expect(its.length).toBeGreaterThanOrEqual(report.written.length);
    expect(new Set(its.map((l) => l['level']))).toEqual(new Set(['debug']));
    expect(keys.filter((k) => k.name === scheduleKeyName)).toEqual([]);
    await service.close();
    expect((await cordon.runtime.keys.list()).filter((k) => k.name === demoBulletinKeyName && k.revokedAt === null)).toEqual([]);

    // What the dashboard's button fetches, and what the office reads.
    const markdown = await cordon.request('/v1/bulletins/410184/2020-02-13', { headers: { accept: 'text/markdown' } });
    expect(markdown.status).toBe(200);
    const text = await markdown.text();
    expect(text).toContain('第21期');
    expect(text).toContain('截至2月13日，累计排查车辆115814台、184735人，劝返车辆10899台、16966人，发现发热人员27名。');
    const first = await cordon.request('/v1/bulletins/410184/2020-01-24', { headers: { accept: 'application/json' } });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ issue: 1, date: '2020-01-24', region: { code: '410184', name: '新郑市' } });
    const list = await cordon.get('/v1/bulletins?region=410184');
    expect(list.body.bulletins.map((b: { date: string }) => b.date)).toEqual(daysBetween('2020-01-24', '2020-03-07'));
    // The day after the data set: not written (the demo's today).
    expect((await cordon.request('/v1/bulletins/410184/2020-03-08')).status).toBe(404);
    // A client's request is at info, as ever.
    expect(
      log
        .requests()
        .filter((l) => l['route'] === '/v1/bulletins/:region/:date')
        .map((l) => l['level']),
    ).toContain('info');
  });

  it('writes nothing on the next start, and changes no published file', async () => {
    const before = await (await cordon.request('/v1/bulletins/410184/2020-02-13', { headers: { accept: 'text/markdown' } })).text();
    const service = await start();
    expect(await service.firstRun).toEqual({ through: '2020-03-07', written: [], revised: [], failed: [] });
    await service.close();
    const after = await (await cordon.request('/v1/bulletins/410184/2020-02-13', { headers: { accept: 'text/markdown' } })).text();
    expect(after).toBe(before);
  });
});
