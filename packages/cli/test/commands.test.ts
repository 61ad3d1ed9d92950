import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '@cordon/server';
import { adminKey, serveTestCordon, type ServedCordon } from '@cordon/server/testing';
import { cordonCli } from './cli-process.ts';

/** `cordon --help`, usage errors, export, keys, regions and status: the real bin against a real server with the demo data. */
const dir = mkdtempSync(join(tmpdir(), 'cordon-cli-'));
let served: ServedCordon;
let env: Record<string, string>;
beforeAll(async () => {
  served = await serveTestCordon();
  await loadDemo(served.cordon.runtime);
  env = { CORDON_URL: served.url, CORDON_API_KEY: adminKey };
});
afterAll(async () => {
  await served?.close();
});

describe('help and usage errors', () => {
  it('answers --help for the program and every command, exit 0', async () => {
    const top = await cordonCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Usage: cordon [options] [command]');
    for (const command of [
      'import',
      'export',
      'export aggregates',
      'export timeseries',
      'keys',
      'keys create',
      'keys list',
      'keys revoke',
      'regions add',
      'status',
      'bulletin',
    ]) {
      const run = await cordonCli([...command.split(' '), '--help']);
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toContain(`Usage: cordon ${command}`);
    }
  }, 260_000); // twelve processes, each starting tsx, on a shared machine

  it('refuses an unknown command, an unknown option and a missing argument in one line, exit 2', async () => {
    expect(await cordonCli(['frobnicate'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: "cordon: unknown command 'frobnicate' (see cordon --help)\n",
    });
    expect(await cordonCli(['import', 'x.csv', '--frob'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: "cordon: unknown option '--frob' (see cordon --help)\n",
    });
    expect(await cordonCli(['import'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: "cordon: missing required argument 'file' (see cordon --help)\n",
    });
    expect(await cordonCli(['status', 'extra'])).toMatchObject({
      code: 2,
      stderr: "cordon: too many arguments for 'status'. Expected 0 arguments but got 1. (see cordon --help)\n",
    });
    expect(await cordonCli(['status'])).toMatchObject({ code: 2, stderr: 'cordon: no server: give --url or set CORDON_URL\n' });
  });
});

describe('cordon bulletin', () => {
  it('writes the bulletin with --url/--key, as npm run bulletin does', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cordon-cli-bulletin-'));
    const run = await cordonCli([
      '--url',
      served.url,
      '--key',
      adminKey,
      'bulletin',
      '--region',
      '410184',
      '--date',
      '2020-02-13',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    const base = join(out, '410184', '2020-02-13');
    expect(run.stdout).toBe(`${base}.md\n${base}.html\n${base}.json\n${base}.svg\n`);
    expect(readFileSync(`${base}.md`, 'utf8')).toContain(
      '截至2月13日，累计排查车辆115814台、184735人，劝返车辆10899台、16966人，发现发热人员27名',
    );
  }, 120_000);

  it('fails in one line with exit 1 for an unknown region', async () => {
    const run = await cordonCli(['bulletin', '--region', '999999', '--date', '2020-02-13', '--out', dir], env);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^bulletin: /);
  }, 120_000);
});

describe('cordon export', () => {
  const xinzheng = [
    '--metrics',
    'vehicles_screened,people_screened,vehicles_turned_back,people_turned_back,fever_cases',
    '--region',
    '410184',
    '--to',
    '2020-02-13',
  ];
  /** 新郑市 on 2月12日 and 13日. */
  const twoDays = ['--region', '410184', '--from', '2020-02-12', '--to', '2020-02-13'];

  it('writes an aggregates query as labelled CSV, the very bytes the server gives for Accept: text/csv', async () => {
    const run = await cordonCli(['export', 'aggregates', ...xinzheng, '--lang', 'zh'], env);
    expect(run.code).toBe(0);
    const expected = '\uFEFF卡点排查车辆,卡点排查人员,劝返车辆,劝返人员,发热人员\r\n115814,184735,10899,16966,27\r\n';
    expect(run.bytes.equals(Buffer.from(expected, 'utf8'))).toBe(true);
    const server = await served.cordon.request(
      `/v1/aggregates?${new URLSearchParams({ metrics: xinzheng[1]!, region: '410184', to: '2020-02-13', lang: 'zh' })}`,
      { headers: { accept: 'text/csv' } },
    );
    expect(Buffer.from(await server.arrayBuffer()).equals(run.bytes)).toBe(true);
  });

  it('keeps the machine headers without --lang, and writes a timeseries in English', async () => {
    expect((await cordonCli(['export', 'aggregates', ...xinzheng], env)).stdout).toBe(
      '\uFEFFvehicles_screened,people_screened,vehicles_turned_back,people_turned_back,fever_cases\r\n115814,184735,10899,16966,27\r\n',
    );
    const run = await cordonCli(['export', 'timeseries', '--metric', 'fever_cases', ...twoDays, '--lang', 'en'], env);
    expect(run.stdout).toBe(
      '\uFEFFPeriod,Start,End,Fever cases,Cumulative,7-day average,Change,Relative change\r\n' +
        '2020-02-12,2020-02-12,2020-02-12,2,22,1.285714,0,0\r\n' +
        '2020-02-13,2020-02-13,2020-02-13,5,27,1.857143,3,1.5\r\n',
    );
  });

  it('writes an Excel sheet with numbers as numbers', async () => {
    const out = join(dir, 'turnbacks.xlsx');
    const run = await cordonCli(
      [
        'export',
        'aggregates',
        '--metrics',
        'vehicles_turned_back,people_turned_back',
        ...twoDays,
        '--group-by',
        'day',
        '--lang',
        'zh',
        '--out',
        out,
      ],
      env,
    );
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const sheet = workbook.worksheets[0]!;
    const values = [1, 2, 3].map((r) => (sheet.getRow(r).values as unknown[]).slice(1));
    expect(values).toEqual([
      ['日期', '劝返车辆', '劝返人员'],
      ['2020-02-12', 422, 661],
      ['2020-02-13', 468, 719],
    ]);
  });

  it('says what the server refused, in one line, exit 1', async () => {
    const run = await cordonCli(['export', 'aggregates', '--metrics', 'no_such_metric'], env);
    expect(run).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^cordon: 400 .*metrics\.0 is not a known metric \(see GET \/v1\/metrics\)\n$/),
    });
  });
});

describe('keys, regions, status', () => {
  it('creates, lists and revokes a key; the new key reads, the revoked one no longer does', async () => {
    const created = await cordonCli(['keys', 'create', '--name', 'county office', '--role', 'read', '--region', '410184'], env);
    expect(created.code).toBe(0);
    const [line, key] = created.stdout.trimEnd().split('\n');
    const keyId = /key (\S+) \(/.exec(line!)![1]!;
    expect(line).toBe(`created read key ${keyId} (county office, region 410184); it is shown only this once:`);
    const status = await cordonCli(['status', '--key', key!], { CORDON_URL: served.url });
    expect(status.stdout).toMatch(/^lag 0 \(events acknowledged, not yet counted\); as of \S+; log embedded; ClickHouse chdb\n$/);
    const list = await cordonCli(['keys', 'list'], env);
    expect(list.stdout.split('\n')[0]).toBe('keyId\tname\trole\tregion\tcreatedAt\trevokedAt');
    expect(list.stdout).toMatch(new RegExp(`^${keyId}\\tcounty office\\tread\\t410184\\t\\S+\\t-$`, 'm'));
    expect(await cordonCli(['keys', 'revoke', keyId], env)).toMatchObject({ code: 0, stdout: `revoked ${keyId}\n` });
    expect(await cordonCli(['status', '--url', served.url, '--key', key!])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^cordon: 401 /),
    });
  });

  it('adds a region and refuses the same code twice', async () => {
    const added = await cordonCli(['regions', 'add', '--code', '410184498', '--name', '新郑测试园区', '--parent', '410184'], env);
    expect(added).toMatchObject({ code: 0, stdout: 'added town 410184498 新郑测试园区 under 410184\n' });
    const again = await cordonCli(['regions', 'add', '--code', '410184498', '--name', '新郑测试园区'], env);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/^cordon: 400 .*already exists/) });
  });
});
