import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDayOf, daysBetween, type CordonEventInput } from '@cordon/schemas';
import { event, startTestCordon, type TestClient } from './harness.ts';
import { registryOracle } from './registry-oracle.ts';

/**
 * GET /v1/regions, /v1/regions/{code}, /v1/sites, /v1/completeness and
 * /v1/quality on the real app and chDB. The expected answers are computed
 * here, in plain TS, from the events sent (`oracle` below), never from the
 * code under test.
 */
let cordon: TestClient;

const county = '410184'; // 新郑市
const T1 = '410184001'; // 新建路街道
const V1 = '410184001001'; // 北街社区居委会, in T1
const T2 = '410184002'; // 新华路街道
const names: Record<string, string> = { [county]: '新郑市', [T1]: '新建路街道', [V1]: '北街社区居委会', [T2]: '新华路街道' };
const hostileSite = "x'); DROP TABLE events; --";
/** Without knownAt, `asOf` is the pipeline position: an instant in UTC (registry-known-at.test.ts checks it with knownAt). */
const anAsOf = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

// ------------------------------------------------------------------ the events

const sent: CordonEventInput[] = [];
let seed = 42;
/** Deterministic 0..n-1. */
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const at = (day: string, time = '09:00') => `${day}T${time}:00+08:00`;
const dayList = daysBetween;
const add = (type: string, data: object, extra: Partial<CordonEventInput>) => {
  const e = event(type, data, extra);
  sent.push(e);
  return e;
};
const voidOf = (target: CordonEventInput, occurredAt: string, extra: Partial<CordonEventInput> = {}) =>
  add('void', { target: target.id, reason: 'sent in error' }, { region: target.region, occurredAt, ...extra });
const register = (site: string, region: string, occurredAt: string, name: string, kind: string) =>
  add('site.registered', { name, kind }, { site, region, occurredAt });
const close = (site: string, region: string, occurredAt: string) => add('site.closed', { reason: 'merged' }, { site, region, occurredAt });

function buildEvents() {
  // cp-a: a road checkpoint in T1, reporting every day but 2月14日.
  register('cp-a', T1, at('2020-01-20', '07:00'), '新建路卡点', 'road_checkpoint');
  for (const day of dayList('2020-01-20', '2020-02-29')) {
    if (day === '2020-02-14') continue;
    const screening = add(
      'screening',
      { vehicles: 40 + rnd(11), people: 90 + rnd(21) },
      { region: T1, site: 'cp-a', occurredAt: at(day, '10:00') },
    );
    add('turnback', { vehicles: rnd(5), people: 1 + rnd(15) }, { region: T1, site: 'cp-a', occurredAt: at(day, '11:00') });
    if (rnd(5) === 0) add('fever', { people: 1, disposition: 'referred' }, { region: T1, site: 'cp-a', occurredAt: at(day, '12:00') });
    if (day === '2020-02-22') {
      // The day's big screening is withdrawn: 5 people screened, 30+ turned back.
      voidOf(screening, at(day, '20:00'), { site: 'cp-a' });
      add('screening', { vehicles: 0, people: 5 }, { region: T1, site: 'cp-a', occurredAt: at(day, '18:00') });
      add('turnback', { vehicles: 0, people: 30 }, { region: T1, site: 'cp-a', occurredAt: at(day, '19:00') });
    }
  }
  add('screening', { vehicles: 10, people: 800 }, { region: T1, site: 'cp-a', occurredAt: at('2020-02-20', '15:00') }); // a spike
  const wrong = add('turnback', { vehicles: 0, people: 500 }, { region: T1, site: 'cp-a', occurredAt: at('2020-02-23', '15:00') });
  voidOf(wrong, at('2020-02-23', '16:00'));

  // cp-b: a community gate in V1: closed 2月10日 09:00 (still reporting that day and after), reopened under a new name 2月15日.
  register('cp-b', V1, at('2020-02-01', '08:00'), '北街社区门岗', 'community_gate');
  close('cp-b', V1, at('2020-02-10', '09:00'));
  register('cp-b', V1, at('2020-02-15', '08:00'), '北街社区门岗(新)', 'community_gate');
  for (const day of [...dayList('2020-02-01', '2020-02-12'), ...dayList('2020-02-15', '2020-02-29')]) {
    if (day === '2020-02-20') continue;
    add('screening', { vehicles: rnd(3), people: 30 + rnd(10) }, { region: V1, site: 'cp-b', occurredAt: at(day, '10:00') });
  }

  // cp-c: its registration was withdrawn, so it is no site, whatever it sends.
  const cpC = register('cp-c', T1, at('2020-02-05'), '撤回的监测点', 'monitoring_point');
  voidOf(cpC, at('2020-02-06'));
  for (const day of dayList('2020-02-05', '2020-02-10'))
    add('screening', { vehicles: 1, people: 3 }, { region: T1, site: 'cp-c', occurredAt: at(day, '10:00') });

  // cp-d: a grid cell whose closure was withdrawn; it rarely reports.
  register('cp-d', T1, at('2020-02-03'), '网格D', 'grid_cell');
  const closure = close('cp-d', T1, at('2020-02-08'));
  voidOf(closure, at('2020-02-09'));
  add('sweep', { households: 20, people: 61, returnees: 2 }, { region: T1, site: 'cp-d', occurredAt: at('2020-02-04') });
  add('sweep', { households: 22, people: 70, returnees: 0 }, { region: T1, site: 'cp-d', occurredAt: at('2020-02-09', '14:00') });
  add('fever', { people: 2, disposition: 'isolated' }, { region: T1, site: 'cp-d', occurredAt: at('2020-02-12') }); // fever, nobody screened
  // A void sent from cp-d on 2月13日 is a correction, not a report from cp-d.
  const cpA13 = sent.find((e) => e.type === 'turnback' && e.site === 'cp-a' && e.occurredAt === at('2020-02-13', '11:00'))!;
  voidOf(cpA13, at('2020-02-13', '17:00'), { region: T1, site: 'cp-d' });

  // A site whose id looks like SQL; it never reports.
  register(hostileSite, T1, at('2020-02-02'), "卡点'; --", 'other');

  // cp-f: registered at 2月6日 00:30 in CORDON_TZ (16:30 UTC the day before); reports at 23:59 and 00:01.
  register('cp-f', T1, '2020-02-05T16:30:00Z', '午夜卡点', 'highway_service_area');
  add('screening', { vehicles: 1, people: 1 }, { region: T1, site: 'cp-f', occurredAt: '2020-02-06T15:59:00Z' });
  add('screening', { vehicles: 2, people: 2 }, { region: T1, site: 'cp-f', occurredAt: '2020-02-06T16:01:00Z' });
  close('cp-f', T1, at('2020-02-20', '18:00'));

  // cp-e: another town's checkpoint.
  register('cp-e', T2, at('2020-01-25'), '新华路卡点', 'road_checkpoint');
  for (const day of dayList('2020-01-25', '2020-02-29')) {
    if (rnd(4) === 0) continue;
    add('screening', { vehicles: 20 + rnd(5), people: 60 + rnd(10) }, { region: T2, site: 'cp-e', occurredAt: at(day, '10:00') });
  }
  add('fever', { people: 3, disposition: 'referred' }, { region: T2, site: 'cp-e', occurredAt: at('2020-02-16') });

  // Events without a site: checked per region.
  add('turnback', { vehicles: 2, people: 10 }, { region: T1, occurredAt: at('2020-02-03') });
  add('screening', { vehicles: 1, people: 4 }, { region: T1, occurredAt: at('2020-02-03', '12:00') });
  add('screening', { vehicles: 9, people: 50 }, { region: T1, occurredAt: at('2020-02-04') });
  add('turnback', { vehicles: 1, people: 5 }, { region: T1, occurredAt: at('2020-02-04') });
  for (const day of dayList('2020-02-01', '2020-02-29')) {
    add(
      'screening',
      { vehicles: 2000 + rnd(200), people: day === '2020-02-25' ? 30000 : 5000 + rnd(500) },
      { region: county, occurredAt: at(day, '22:00') },
    );
  }

  // A site id nobody registered: in quality, never in the registry.
  add('screening', { vehicles: 0, people: 10 }, { region: T1, site: 'ghost', occurredAt: at('2020-02-10') });
  add('turnback', { vehicles: 0, people: 20 }, { region: T1, site: 'ghost', occurredAt: at('2020-02-10') });

  // Quarantine.
  const q = (type: string, subject: string, region: string, occurredAt: string, site?: string) =>
    add(type, type === 'quarantine.started' ? { subject, reason: 'returnee_hubei' } : { subject, outcome: 'released' }, {
      region,
      occurredAt,
      ...(site ? { site } : {}),
    });
  q('quarantine.started', 's1', V1, at('2020-02-02'), 'cp-b');
  q('quarantine.ended', 's1', V1, at('2020-02-16'), 'cp-b');
  q('quarantine.ended', 's2', T1, at('2020-02-12'), 'cp-a'); // never started
  q('quarantine.started', 's3', T2, at('2020-02-05'), 'cp-e');
  q('quarantine.ended', 's3', T1, at('2020-02-19'), 'cp-a'); // started in T2: fine for the county, not for T1
  q('quarantine.started', 's4', T1, at('2020-02-03'), 'cp-a');
  q('quarantine.ended', 's4', T1, at('2020-02-10'), 'cp-a');
  q('quarantine.ended', 's4', T1, at('2020-02-11'), 'cp-a'); // a second end
  const s5 = q('quarantine.started', 's5', T1, at('2020-02-04'), 'cp-a');
  voidOf(s5, at('2020-02-05'));
  q('quarantine.ended', 's5', T1, at('2020-02-14'), 'cp-a'); // its start was withdrawn
  q('quarantine.ended', 's6', T1, at('2020-02-17')); // no site, never started
  q('quarantine.started', 's7', T1, at('2020-02-20', '08:00'), 'cp-a');
  q('quarantine.ended', 's7', T1, at('2020-02-20', '08:00'), 'cp-a'); // same instant: matched
}

// ------------------------------------------------------------------ the oracle

const oracle = registryOracle({
  names,
  asOf: () => anAsOf,
  // Read lazily: the events are built in beforeAll. A void takes its target back; nothing voids a void here.
  live: () => {
    const voided = new Set(sent.filter((e) => e.type === 'void').map((e) => (e.data as { target: string }).target));
    return sent.filter((e) => !voided.has(e.id));
  },
});

// ------------------------------------------------------------------ the tests

let readKey: string;
let townKey: string;
let ingestKey: string;

beforeAll(async () => {
  cordon = await startTestCordon();
  buildEvents();
  for (let i = 0; i < sent.length; i += 1000) {
    const { body } = await cordon.send(sent.slice(i, i + 1000));
    expect(body).toMatchObject({ rejected: 0, duplicates: 0 });
  }
  await cordon.settled();
  const key = async (role: string, region?: string) => {
    const r = await cordon.request('/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `${role}-${region ?? 'all'}`, role, ...(region ? { region } : {}) }),
    });
    return ((await r.json()) as { key: string }).key;
  };
  [readKey, townKey, ingestKey] = await Promise.all([key('read'), key('read', T1), key('ingest')]);
});
afterAll(async () => {
  await cordon?.close();
});

const regionsUnderTest = [county, T1, V1, T2];

describe('GET /v1/sites', () => {
  it('lists the sites of each subtree with their lifecycle and last event, filtered by status and kind', async () => {
    for (const region of regionsUnderTest) {
      const all = oracle.sites(region);
      for (const status of ['open', 'closed', 'all'] as const) {
        for (const kind of [undefined, 'road_checkpoint', 'community_gate']) {
          const { status: code, body } = await cordon.get(
            `/v1/sites?region=${region}&status=${status}${kind ? `&kind=${kind}` : ''}`,
            readKey,
          );
          expect(code).toBe(200);
          const expected = all.filter((s) => (status === 'all' || s.status === status) && (!kind || s.kind === kind));
          expect(body).toEqual({ region: { code: region, name: names[region] }, asOf: anAsOf, sites: expected });
        }
      }
    }
  });

  it('knows each case of the lifecycle', async () => {
    const { body } = await cordon.get(`/v1/sites?region=${T1}`, readKey);
    const byId = Object.fromEntries((body.sites as { id: string }[]).map((s) => [s.id, s]));
    expect(Object.keys(byId)).toEqual(['cp-a', 'cp-b', 'cp-d', 'cp-f', hostileSite]); // no cp-c (withdrawn), no ghost, no cp-e (T2)
    expect(byId['cp-b']).toMatchObject({
      name: '北街社区门岗(新)',
      region: { code: V1, name: names[V1] },
      openedOn: '2020-02-01',
      closedOn: null,
      status: 'open',
      lastEventAt: '2020-02-29T02:00:00.000Z',
    });
    expect(byId['cp-d']).toMatchObject({ status: 'open', closedOn: null, lastEventAt: '2020-02-12T01:00:00.000Z' }); // the closure and the 2月13日 void do not count
    expect(byId['cp-f']).toMatchObject({ openedOn: '2020-02-06', closedOn: '2020-02-20', status: 'closed', kind: 'highway_service_area' });
    expect(byId[hostileSite]).toMatchObject({ name: "卡点'; --", lastEventAt: '2020-02-02T01:00:00.000Z' });
  });

  it("defaults to the status all and to a scoped key's region", async () => {
    const { body } = await cordon.get('/v1/sites', townKey);
    expect(body).toEqual({ region: { code: T1, name: names[T1] }, asOf: anAsOf, sites: oracle.sites(T1) });
  });
});

describe('GET /v1/completeness', () => {
  it('matches the independent count on every day, in every subtree', async () => {
    for (const region of regionsUnderTest) {
      for (const date of dayList('2020-01-19', '2020-03-01')) {
        const { status, body } = await cordon.get(`/v1/completeness?region=${region}&date=${date}`, readKey);
        expect([region, date, status]).toEqual([region, date, 200]);
        expect(body).toEqual(oracle.completeness(region, date));
      }
    }
  });

  it('counts the closing day out, a void as no report, and days in CORDON_TZ', async () => {
    const on = async (date: string) => (await cordon.get(`/v1/completeness?region=${T1}&date=${date}`, readKey)).body;
    expect((await on('2020-02-10')).sites.map((s: { id: string }) => s.id)).not.toContain('cp-b'); // closed that morning, reported later
    expect((await on('2020-02-12')).sites.map((s: { id: string }) => s.id)).not.toContain('cp-b'); // reported while closed
    expect((await on('2020-02-15')).sites.find((s: { id: string }) => s.id === 'cp-b')).toMatchObject({ reported: true, events: 1 });
    expect((await on('2020-02-13')).notReporting).toContain('cp-d'); // its only event that day is a void
    // cp-a sent no figures on 2月14日, but a quarantine.ended is a report too.
    expect((await on('2020-02-14')).sites.find((s: { id: string }) => s.id === 'cp-a')).toMatchObject({ reported: true, events: 1 });
    expect((await on('2020-02-20')).notReporting).toEqual(['cp-b', 'cp-d', hostileSite]);
    expect((await on('2020-02-05')).sites.map((s: { id: string }) => s.id)).not.toContain('cp-f'); // registered 2月6日 00:30 CST
    expect((await on('2020-02-06')).sites.find((s: { id: string }) => s.id === 'cp-f')).toMatchObject({ reported: true, events: 1 });
    expect((await on('2020-02-07')).sites.find((s: { id: string }) => s.id === 'cp-f')).toMatchObject({ reported: true, events: 1 });
    const empty = await on('2020-01-01');
    expect(empty).toMatchObject({ inService: 0, reporting: 0, share: null, sites: [], notReporting: [] });
  });

  it('in service equals the sites_active figure of the day where no site was registered twice', async () => {
    for (const date of ['2020-02-05', '2020-02-10', '2020-02-21']) {
      const { body } = await cordon.get(`/v1/completeness?region=${T1}&date=${date}`, readKey);
      const totals = await cordon.totals(['sites_active'], `region=${T1}&to=${date}`);
      expect(body.inService).toBe(totals['sites_active']);
    }
  });
});

describe('GET /v1/quality', () => {
  it('matches the independent checks in every subtree and over a short range', async () => {
    const cases: [string, string, string][] = [
      [county, '2020-02-01', '2020-02-29'],
      [T1, '2020-02-01', '2020-02-29'],
      [V1, '2020-02-01', '2020-02-29'],
      [T2, '2020-01-25', '2020-02-29'],
      [T1, '2020-02-20', '2020-02-23'],
      [county, '2020-02-25', '2020-02-25'],
    ];
    for (const [region, from, to] of cases) {
      const { status, body } = await cordon.get(`/v1/quality?region=${region}&from=${from}&to=${to}`, readKey);
      expect([region, status]).toEqual([region, 200]);
      expect(body).toEqual(oracle.quality(region, from, to));
    }
  });

  it('finds what was planted, with the events behind each flag and nothing withdrawn', async () => {
    const { body } = await cordon.get(`/v1/quality?region=${county}&from=2020-02-01&to=2020-02-29`, readKey);
    type Flag = {
      check: string;
      site: string | null;
      day: string;
      metric: string | null;
      region: { code: string };
      values: Record<string, number>;
      eventIds: string[];
    };
    const flags = body.flags as Flag[];
    const find = (check: string, site: string | null, day: string) =>
      flags.filter((f) => f.check === check && f.site === site && f.day === day);
    const voidedIds = new Set(sent.filter((e) => e.type === 'void').map((e) => (e.data as { target: string }).target));

    const tb22 = find('people_turned_back_exceeds_screened', 'cp-a', '2020-02-22')[0]!;
    expect(tb22.values['people_screened']).toBe(5);
    const behind = sent.filter(
      (e) => e.site === 'cp-a' && e.occurredAt.startsWith('2020-02-22') && (e.type === 'screening' || e.type === 'turnback'),
    );
    expect(tb22.eventIds).toEqual(
      behind
        .filter((e) => !voidedIds.has(e.id))
        .map((e) => e.id)
        .sort(),
    );
    expect(behind.some((e) => voidedIds.has(e.id))).toBe(true);
    expect(find('outlier', 'cp-a', '2020-02-20').map((f) => f.metric)).toContain('people_screened');
    expect(find('outlier', null, '2020-02-25')).toMatchObject([
      { metric: 'people_screened', region: { code: county }, values: { value: 30000 } },
    ]);
    expect(flags.filter((f) => f.day === '2020-02-23' && f.site === 'cp-a')).toEqual([]); // the 500 was withdrawn
    expect(find('fever_exceeds_screened', 'cp-d', '2020-02-12')).toHaveLength(1);
    expect(find('people_turned_back_exceeds_screened', 'ghost', '2020-02-10')).toHaveLength(1);
    expect(find('people_turned_back_exceeds_screened', null, '2020-02-03')).toMatchObject([{ region: { code: T1 } }]);
    const quarantine = flags
      .filter((f) => f.check === 'quarantine_end_without_start')
      .map((f) => [f.site, f.day, f.values['quarantine_ended']]);
    expect(quarantine).toEqual([
      ['cp-a', '2020-02-11', 1],
      ['cp-a', '2020-02-12', 1],
      ['cp-a', '2020-02-14', 1],
      [null, '2020-02-17', 1],
    ]);
    const inTown = (await cordon.get(`/v1/quality?region=${T1}&from=2020-02-19&to=2020-02-19`, readKey)).body.flags as Flag[];
    expect(inTown.filter((f) => f.check === 'quarantine_end_without_start')).toHaveLength(1); // s3 started in T2
  });

  it('defaults to the week ending today', async () => {
    const { status, body } = await cordon.get(`/v1/quality?region=${T1}`, readKey);
    expect(status).toBe(200);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    expect(body.to).toBe(today);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(6 * 86400_000);
  });
});

describe('GET /v1/regions', () => {
  it('describes a region with its parent and children, and 404s an unknown code', async () => {
    const { status, body } = await cordon.get(`/v1/regions/${county}`, readKey);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      code: county,
      name: '新郑市',
      level: 'county',
      custom: false,
      parent: { code: '410100', name: '郑州市' },
    });
    expect(body.children).toContainEqual({ code: T1, name: names[T1], level: 'town' });
    expect(body.children).toHaveLength(cordon.runtime.regions.children(county).length);
    expect((await cordon.get(`/v1/regions/${V1}`, readKey)).body).toMatchObject({
      level: 'village',
      parent: { code: T1, name: names[T1] },
      children: [],
    });
    const unknown = await cordon.get('/v1/regions/999999', readKey);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('searches names literally, ranked, within the limit', async () => {
    const { body } = await cordon.get(`/v1/regions?search=${encodeURIComponent('新郑')}&limit=3`, readKey);
    expect(body.search).toBe('新郑');
    expect(body.regions[0]).toEqual({ code: county, name: '新郑市', level: 'county', parent: { code: '410100', name: '郑州市' } });
    expect(body.regions).toHaveLength(3);
    const hostile = await cordon.get(`/v1/regions?search=${encodeURIComponent("%' --")}`, readKey);
    expect(hostile).toMatchObject({ status: 200, body: { search: "%' --", regions: [] } });
  });

  it('a scoped key sees its own subtree only', async () => {
    expect((await cordon.get(`/v1/regions/${V1}`, townKey)).status).toBe(200);
    expect((await cordon.get(`/v1/regions/${county}`, townKey)).status).toBe(403);
    const { body } = await cordon.get(`/v1/regions?search=${encodeURIComponent('社区')}&limit=100`, townKey);
    const expected = cordon.runtime.regions.descendantsAtLevel(T1, 'village').filter((r) => r.name.includes('社区'));
    expect(body.regions.map((r: { code: string }) => r.code).sort()).toEqual(expected.map((r) => r.code).sort());
    expect((await cordon.get(`/v1/regions?search=${encodeURIComponent('新郑')}`, townKey)).body.regions).toEqual([]);
    expect((await cordon.get(`/v1/regions?search=x&region=${county}`, townKey)).status).toBe(403);
  });
});

describe('auth and parameters', () => {
  const routes = [
    `/v1/regions/${county}`,
    '/v1/regions?search=x',
    `/v1/sites?region=${county}`,
    `/v1/completeness?region=${county}&date=2020-02-10`,
    `/v1/quality?region=${county}&from=2020-02-01&to=2020-02-02`,
  ];

  it('401 without a key, 403 for an ingest key and for a region outside a scoped key', async () => {
    for (const path of routes) {
      expect([path, (await cordon.request(path, { key: null })).status]).toEqual([path, 401]);
      expect([path, (await cordon.get(path, ingestKey)).status]).toEqual([path, 403]);
      const scoped = await cordon.get(path, townKey);
      expect([path, scoped.status]).toEqual([path, path.includes('search') ? 200 : 403]);
    }
    // The admin route on the same path is still the admin's.
    const post = await cordon.request('/v1/regions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: '410184950', name: 'x' }),
      key: readKey,
    });
    expect(post.status).toBe(403);
  });

  it('answers every hostile value with a 400 naming the parameter', async () => {
    const e = encodeURIComponent;
    const cases: [string, string][] = [
      [`/v1/completeness?region=${e("410184' OR 1=1")}&date=2020-02-10`, 'region'],
      [`/v1/completeness?region=${county}&date=2020-02-30`, 'date'],
      [`/v1/completeness?region=${county}&date=${e("2020-02-10' --")}`, 'date'],
      ['/v1/completeness?date=2020-02-10', 'region'],
      [`/v1/completeness?region=999999&date=2020-02-10`, 'region'],
      [`/v1/sites?region=${county}&kind=x`, 'kind'],
      [`/v1/sites?region=${county}&status=${e("open' OR '1'='1")}`, 'status'],
      [`/v1/sites?region=${e('410184;DROP')}`, 'region'],
      [`/v1/regions?search=x&limit=-1`, 'limit'],
      [`/v1/regions?search=x&limit=1.5`, 'limit'],
      [`/v1/regions?search=x&limit=${e('1 OR 1=1')}`, 'limit'],
      [`/v1/regions?search=x&limit=101`, 'limit'],
      ['/v1/regions?search=', 'search'],
      [`/v1/regions?search=${e('   ')}`, 'search'],
      [`/v1/regions?search=${'长'.repeat(51)}`, 'search'],
      [`/v1/regions?search=${e('a\u0000b')}`, 'search'],
      ['/v1/regions?limit=5', 'search'],
      [`/v1/regions/${e("410184' OR 1=1")}`, 'code'],
      [`/v1/quality?region=${county}&from=2020-02-10&to=2020-02-01`, 'from'],
      [`/v1/quality?region=${county}&from=2019-01-01&to=2020-02-01`, 'from'],
      [`/v1/quality?region=${county}&from=2020-02-30`, 'from'],
      [`/v1/quality?region=${county}&to=${e('2020-02-01 00:00')}`, 'to'],
    ];
    for (const [path, param] of cases) {
      const response = await cordon.request(path, { key: readKey });
      const body = (await response.json()) as { type: string; errors?: { path: string }[] };
      expect([path, response.status, response.headers.get('content-type')]).toEqual([path, 400, 'application/problem+json; charset=utf-8']);
      expect([path, body.type, body.errors?.map((x) => x.path)]).toEqual([path, '/problems/validation', [param]]);
    }
  });

  it('treats a hostile site id as data', async () => {
    const { body } = await cordon.get(`/v1/completeness?region=${T1}&date=2020-02-02`, readKey);
    expect(body.sites.map((s: { id: string }) => s.id)).toContain(hostileSite);
    // The figures of the day it reported on stay exact around it.
    const dayOf = createDayOf('Asia/Shanghai');
    const voided = new Set(sent.filter((e) => e.type === 'void').map((e) => (e.data as { target: string }).target));
    const expected = sent
      .filter((e) => e.type === 'screening' && !voided.has(e.id) && e.region.startsWith(T1) && dayOf(e.occurredAt) === '2020-02-01')
      .reduce((sum, e) => sum + (e.data as { people: number }).people, 0);
    expect((await cordon.totals(['people_screened'], `region=${T1}&from=2020-02-01&to=2020-02-01`))['people_screened']).toBe(expected);
  });
});
