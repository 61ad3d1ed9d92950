import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEventsPath, demoRegions, readDemoEvents } from '@cordon/demo';
import { adminKey, serveTestCordon, type ServedCordon } from '@cordon/server/testing';
import { cordonCli } from './cli-process.ts';
import { chineseCsv, englishXlsx, xinzhengTallies, type Tally } from './fixtures.ts';

/**
 * Issue 10, item 1: the real `cordon` bin, spawned, against a real server
 * over HTTP (embedded log, chDB). The Xinzheng tallies are the demo data's
 * events summed per day, region and site; imported as a Chinese CSV they
 * must give the figures of the 2月13日 bulletin.
 */
const dir = mkdtempSync(join(tmpdir(), 'cordon-cli-'));
let served: ServedCordon;
let tallies: Tally[];
let env: Record<string, string>;
const xinzhengQuery =
  '/v1/aggregates?metrics=vehicles_screened,people_screened,vehicles_turned_back,people_turned_back,fever_cases&region=410184&to=2020-02-13';
const bulletin = {
  vehicles_screened: 115814,
  people_screened: 184735,
  vehicles_turned_back: 10899,
  people_turned_back: 16966,
  fever_cases: 27,
};

async function addDemoRegions(url: string, known: (code: string) => boolean) {
  // The test harness shares one in-memory registry between its servers: a region added for one is known to the next.
  for (const r of demoRegions().filter((region) => !known(region.code))) {
    const run = await cordonCli(['regions', 'add', '--code', r.code, '--name', r.name, ...(r.parent ? ['--parent', r.parent] : [])], {
      CORDON_URL: url,
      CORDON_API_KEY: adminKey,
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
  }
}

beforeAll(async () => {
  served = await serveTestCordon();
  env = { CORDON_URL: served.url, CORDON_API_KEY: adminKey };
  tallies = await xinzhengTallies();
  await addDemoRegions(served.url, () => false);
});
afterAll(async () => {
  await served?.close();
});

async function totals(cordon: ServedCordon['cordon'], path = xinzhengQuery) {
  await cordon.settled();
  return (await cordon.get(path)).body.totals;
}

describe('cordon import of tally sheets', () => {
  let csvPath: string;
  it('imports the Xinzheng tallies as a Chinese CSV (town names resolved by region search) to the bulletin figures', async () => {
    const registry = served.cordon.runtime.regions;
    const towns = registry.descendantsAtLevel('410184', 'town');
    const unique = (code: string) => {
      const region = registry.get(code);
      return region?.level === 'town' && towns.filter((t) => t.name === region.name).length === 1 ? region.name : undefined;
    };
    csvPath = join(dir, '新郑卡点日报.csv');
    await writeFile(csvPath, chineseCsv(tallies, unique));
    expect(tallies.filter((t) => unique(t.region)).length).toBeGreaterThan(300); // the town-name path is exercised, not just codes
    const run = await cordonCli(['import', csvPath, '--within', '410184'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `${csvPath}: ${tallies.length} rows, ${expectedEvents(tallies)} events in 1 request\naccepted ${expectedEvents(tallies)}, duplicates 0\n`,
    );
    expect(run.stderr).toBe(`importing: ${expectedEvents(tallies)}/${expectedEvents(tallies)} events\n`);
    expect(await totals(served.cordon)).toEqual(bulletin);
  });

  it('a second import of the same file adds nothing: every event is a duplicate', async () => {
    const run = await cordonCli(['import', csvPath, '--within', '410184'], env);
    expect(run.stderr).toBe(`importing: ${expectedEvents(tallies)}/${expectedEvents(tallies)} events\n`);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `${csvPath}: ${tallies.length} rows, ${expectedEvents(tallies)} events in 1 request\naccepted 0, duplicates ${expectedEvents(tallies)}\n`,
    );
    expect(await totals(served.cordon)).toEqual(bulletin);
  });

  it('the same tallies as an English Excel workbook (codes, date cells) are the same events: duplicates too', async () => {
    const xlsxPath = join(dir, 'xinzheng.xlsx');
    await englishXlsx(tallies, xlsxPath);
    const run = await cordonCli(['import', xlsxPath], env);
    expect(run.stdout).toBe(
      `${xlsxPath}: ${tallies.length} rows, ${expectedEvents(tallies)} events in 1 request\naccepted 0, duplicates ${expectedEvents(tallies)}\n`,
    );
    expect(await totals(served.cordon)).toEqual(bulletin);
  });

  it('lands the good rows of a file with bad ones and writes the bad ones with their reasons to FILE.rejected.csv', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(
      path,
      [
        '日期,区划代码,卡点,排查车辆,排查人数,劝返车辆,劝返人数,发热人数',
        '2020-03-20,410184001,t-1,10,20,1,2,0',
        '2020-03-20,410184001,t-2,abc,20,,,',
        '2020-02-30,410184001,t-3,5,5,,,',
        '2020-03-20,419999,t-4,5,5,,,',
        '2020-03-20,410184002,t-5,"1,007",8,,,',
        '2020-03-20,,t-6,1,1,,,',
        '2020-03-20,410184002,t-7,,,,,-1',
        '',
      ].join('\n'),
    );
    const run = await cordonCli(['import', path], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `${path}: 7 rows, 5 events in 1 request\naccepted 4, duplicates 0\n5 rows rejected, written with their reasons to ${path}.rejected.csv\n`,
    );
    expect(await readFile(`${path}.rejected.csv`, 'utf8')).toBe(
      '\uFEFF日期,区划代码,卡点,排查车辆,排查人数,劝返车辆,劝返人数,发热人数,reason\r\n' +
        '2020-03-20,410184001,t-2,abc,20,,,,"screening.vehicles: must be a whole number, not ""abc"""\r\n' +
        '2020-02-30,410184001,t-3,5,5,,,,"date: is not a calendar day: ""2020-02-30"""\r\n' +
        '2020-03-20,419999,t-4,5,5,,,,region: 419999 is not in the region registry (an admin can add it: POST /v1/regions)\r\n' +
        '2020-03-20,,t-6,1,1,,,,region: neither a region code nor a town name\r\n' +
        '2020-03-20,410184002,t-7,,,,,-1,"fever.people: must be a whole number, not ""-1"""\r\n',
    );
    expect(
      await totals(
        served.cordon,
        '/v1/aggregates?metrics=vehicles_screened,people_screened,vehicles_turned_back,people_turned_back,fever_cases&region=410184&from=2020-03-20&to=2020-03-20',
      ),
    ).toEqual({
      vehicles_screened: 1017,
      people_screened: 28,
      vehicles_turned_back: 1,
      people_turned_back: 2,
      fever_cases: 0,
    });
  });

  it('--dry-run validates with the server and writes nothing', async () => {
    const path = join(dir, 'dry.csv');
    await writeFile(path, 'date,region,vehicles_screened,people_screened\n2020-03-21,410184001,3,4\n');
    const run = await cordonCli(['import', path, '--dry-run'], env);
    expect(run.stdout).toBe(`${path}: 1 rows, 1 events in 1 request (dry run: nothing written)\nwould accept 1, duplicates 0\n`);
    expect(await totals(served.cordon, '/v1/aggregates?metrics=vehicles_screened&region=410184&from=2020-03-21&to=2020-03-21')).toEqual({
      vehicles_screened: 0,
    });
  });

  it('refuses a sheet with a column it does not know, naming it, before sending anything', async () => {
    const path = join(dir, 'typo.csv');
    await writeFile(path, '日期,区划代码,排查车俩\n2020-03-22,410184001,3\n');
    const run = await cordonCli(['import', path], env);
    expect(run).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `cordon: ${path}: unknown column 排查车俩 (see cordon import --help for the columns)\n`,
    });
  });
});

describe('cordon import of events', () => {
  it('imports the demo file (9,065 events and more) in one command (two requests under the 5,000-event limit)', async () => {
    let n = 0;
    for await (const _ of readDemoEvents()) n++;
    const fresh = await serveTestCordon();
    try {
      await addDemoRegions(fresh.url, (code) => fresh.cordon.runtime.regions.has(code));
      const run = await cordonCli(['import', demoEventsPath], { CORDON_URL: fresh.url, CORDON_API_KEY: adminKey });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${demoEventsPath}: ${n} lines, ${n} events in 2 requests\naccepted ${n}, duplicates 0\n`);
      expect(run.stderr).toBe(`importing: 5000/${n} events\nimporting: ${n}/${n} events\n`);
      expect(await totals(fresh.cordon)).toEqual(bulletin);
      expect(
        await totals(fresh.cordon, '/v1/aggregates?metrics=donated:masks:piece,donated:cash:cny&region=410122112&to=2020-03-07'),
      ).toEqual({
        'donated:masks:piece': 18200,
        'donated:cash:cny': 225000,
      });
    } finally {
      await fresh.close();
    }
  });
});

describe('cordon import of an Excel workbook on its own', () => {
  it('imports the Xinzheng tallies from .xlsx to the bulletin figures', async () => {
    const fresh = await serveTestCordon();
    try {
      await addDemoRegions(fresh.url, (code) => fresh.cordon.runtime.regions.has(code));
      const xlsxPath = join(dir, 'xinzheng-fresh.xlsx');
      await englishXlsx(tallies, xlsxPath);
      const run = await cordonCli(['import', xlsxPath], { CORDON_URL: fresh.url, CORDON_API_KEY: adminKey });
      expect(run.stdout).toBe(
        `${xlsxPath}: ${tallies.length} rows, ${expectedEvents(tallies)} events in 1 request\naccepted ${expectedEvents(tallies)}, duplicates 0\n`,
      );
      expect(await totals(fresh.cordon)).toEqual(bulletin);
    } finally {
      await fresh.close();
    }
  });
});

function expectedEvents(rows: Tally[]): number {
  return rows.reduce(
    (n, r) => n + (r.vehicles !== undefined ? 1 : 0) + (r.tbVehicles !== undefined ? 1 : 0) + (r.fever !== undefined ? 1 : 0),
    0,
  );
}
