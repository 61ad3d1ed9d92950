import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysBetween, type CordonEventInput } from '@cordon/schemas';
import { event, startTestCordon, waitFor, type TestClient } from './harness.ts';
import { registryOracle } from './registry-oracle.ts';

/**
 * `knownAt` on GET /v1/sites, /v1/completeness and /v1/quality: the answer
 * as known at an instant T, reproducible to the digit after more events, a
 * closure and voids have come in.
 *
 * Events are sent in two phases. Phase 1: four sites, daily reports, a rule
 * break, a quarantine end without a start. Then the instant T. Phase 2: a
 * new site (backdated), a closure, a re-registration under another name and
 * kind, more reports, voids of a phase-1 report and of a phase-1
 * registration, and late events backdated into phase-1 days (a report on a
 * day a site had missed, a spike, a second rule break, the missing
 * quarantine start). Each answer is compared with registry-oracle.ts over
 * the events known at that moment: with knownAt=T only phase 1 (voids
 * applied only if both the void and its target were received by T),
 * without it everything.
 */
let cordon: TestClient;
let T: string; // the instant between the phases, written with +08:00

const county = '410184'; // 新郑市
const T1 = '410184001'; // 新建路街道
const V1 = '410184001001'; // 北街社区居委会, in T1
const T2 = '410184002'; // 新华路街道
const names: Record<string, string> = { [county]: '新郑市', [T1]: '新建路街道', [V1]: '北街社区居委会', [T2]: '新华路街道' };
const regions = [county, T1, V1, T2];

type Phase = 1 | 2;
const sent: { e: CordonEventInput; phase: Phase }[] = [];

// ------------------------------------------------------------------ the events

let seed = 7;
/** Deterministic 0..n-1. */
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const at = (day: string, time = '10:00') => `${day}T${time}:00+08:00`;
const dayList = daysBetween;

function phaseEvents(phase: Phase) {
  const out: CordonEventInput[] = [];
  const add = (type: string, data: object, extra: Partial<CordonEventInput>) => {
    const e = event(type, data, extra);
    out.push(e);
    return e;
  };
  const voidOf = (target: CordonEventInput, occurredAt: string) =>
    add('void', { target: target.id, reason: 'sent in error' }, { region: target.region, occurredAt });
  const register = (site: string, region: string, day: string, name: string, kind: string) =>
    add('site.registered', { name, kind }, { site, region, occurredAt: at(day, '07:00') });
  const screening = (site: string | undefined, region: string, day: string, people: number, time = '10:00') =>
    add('screening', { vehicles: rnd(20), people }, { region, occurredAt: at(day, time), ...(site ? { site } : {}) });
  const turnback = (site: string, region: string, day: string, people: number, time = '11:00') =>
    add('turnback', { vehicles: 0, people }, { region, site, occurredAt: at(day, time) });
  const quarantine = (type: 'quarantine.started' | 'quarantine.ended', subject: string, site: string, region: string, day: string) =>
    add(type, type === 'quarantine.started' ? { subject, reason: 'close_contact' } : { subject, outcome: 'released' }, {
      region,
      site,
      occurredAt: at(day, '09:00'),
    });
  return { out, add, voidOf, register, screening, turnback, quarantine };
}

/** Phase 1, and the events phase 2 needs to refer to. */
function phaseOne() {
  const p = phaseEvents(1);
  p.register('k-a', T1, '2020-02-01', '新建路卡点', 'road_checkpoint');
  p.register('k-b', V1, '2020-02-01', '北街门岗', 'community_gate');
  p.register('k-c', T2, '2020-02-02', '新华路监测点', 'monitoring_point');
  const kv = p.register('k-v', T1, '2020-02-03', '网格V', 'grid_cell');
  let kbOnly03: CordonEventInput | undefined;
  for (const day of dayList('2020-02-01', '2020-02-20')) {
    if (day !== '2020-02-14') {
      p.screening('k-a', T1, day, 90 + rnd(21));
      const tb = p.turnback('k-a', T1, day, 1 + rnd(15));
      if (day === '2020-02-05') p.voidOf(tb, at(day, '20:00')); // voided within phase 1: out at both moments
    }
    if (day !== '2020-02-09') {
      const s = p.screening('k-b', V1, day, 30 + rnd(10));
      if (day === '2020-02-03') kbOnly03 = s;
    }
    if (rnd(3) !== 0 && day >= '2020-02-02') p.screening('k-c', T2, day, 60 + rnd(10));
    p.screening(undefined, county, day, 5000 + rnd(500), '22:00');
  }
  const kaTurnback10 = p.turnback('k-a', T1, '2020-02-10', 200, '15:00'); // turned back > screened: a rule break, voided in phase 2
  p.add('sweep', { households: 20, people: 61, returnees: 2 }, { region: T1, site: 'k-v', occurredAt: at('2020-02-04') });
  p.add('sweep', { households: 22, people: 70, returnees: 0 }, { region: T1, site: 'k-v', occurredAt: at('2020-02-06') });
  p.quarantine('quarantine.started', 's1', 'k-a', T1, '2020-02-03');
  p.quarantine('quarantine.ended', 's1', 'k-a', T1, '2020-02-09');
  p.quarantine('quarantine.ended', 's2', 'k-b', V1, '2020-02-08'); // no start yet: flagged at T, matched once phase 2 sends it
  // A void sent before its target: the target (phase 2) is taken back when it arrives, so it never counts.
  const lateTarget = event('screening', { vehicles: 0, people: 999 }, { region: V1, site: 'k-b', occurredAt: at('2020-02-11', '12:00') });
  p.voidOf(lateTarget, at('2020-02-11', '13:00'));
  return { events: p.out, kv, kaTurnback10, kbOnly03: kbOnly03!, lateTarget };
}

function phaseTwo(one: ReturnType<typeof phaseOne>) {
  const p = phaseEvents(2);
  p.register('k-n', T1, '2020-02-05', '新卡点', 'other'); // a new site, backdated
  for (const day of dayList('2020-02-05', '2020-02-22')) if (rnd(4) !== 0) p.screening('k-n', T1, day, 40 + rnd(10));
  p.add('site.closed', { reason: 'merged' }, { region: V1, site: 'k-b', occurredAt: at('2020-02-12', '09:00') });
  p.register('k-c', T2, '2020-02-15', '新华路卡点(改)', 'road_checkpoint'); // renamed and re-kinded from 2月15日
  p.voidOf(one.kv, at('2020-02-21')); // a phase-1 registration taken back
  p.voidOf(one.kaTurnback10, at('2020-02-21')); // a phase-1 report taken back: the rule break goes
  p.voidOf(one.kbOnly03, at('2020-02-21')); // k-b's only report of 2月3日
  for (const day of dayList('2020-02-21', '2020-02-25')) {
    p.screening('k-a', T1, day, 90 + rnd(21));
    p.turnback('k-a', T1, day, 1 + rnd(15));
    p.screening('k-c', T2, day, 60 + rnd(10));
    p.screening(undefined, county, day, day === '2020-02-24' ? 30000 : 5000 + rnd(500), '22:00');
  }
  // Late events backdated into phase-1 days.
  p.screening('k-a', T1, '2020-02-14', 100, '16:00'); // the day k-a had missed
  p.screening('k-a', T1, '2020-02-16', 900, '16:00'); // a spike: an outlier now
  p.turnback('k-b', V1, '2020-02-07', 300, '16:00'); // a second rule break
  p.quarantine('quarantine.started', 's2', 'k-b', V1, '2020-02-06');
  p.out.push(one.lateTarget);
  return p.out;
}

async function send(events: CordonEventInput[], phase: Phase) {
  for (const e of events) sent.push({ e, phase });
  const { body } = await cordon.send(events);
  expect(body).toMatchObject({ accepted: events.length, rejected: 0, duplicates: 0 });
  await cordon.settled();
}

beforeAll(async () => {
  cordon = await startTestCordon();
  const one = phaseOne();
  await send(one.events, 1);
  const t = Date.now();
  T = offset8(t);
  await waitFor(() => Date.now() > t, { what: 'the clock to pass T' });
  await send(phaseTwo(one), 2);
});
afterAll(async () => {
  await cordon?.close();
});

/** An instant written in +08:00, as a county office would send it. */
function offset8(ms: number): string {
  return `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 23)}+08:00`;
}

// ------------------------------------------------------------------ the oracle

type Moment = 'atT' | 'now';

/**
 * The events that count at a moment: those received by then, minus the
 * targets of the voids received by then (a void whose target came later
 * takes it back when it comes).
 */
function liveAt(moment: Moment): CordonEventInput[] {
  const known = sent.filter((s) => moment === 'now' || s.phase === 1).map((s) => s.e);
  const voided = new Set(known.filter((e) => e.type === 'void').map((e) => (e.data as { target: string }).target));
  return known.filter((e) => !voided.has(e.id));
}

const anInstant = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const oracles = {
  // With knownAt the answer says it is as of T (the pipeline had counted past it); without, the pipeline position.
  atT: registryOracle({ names, live: () => liveAt('atT'), asOf: () => new Date(T).toISOString() }),
  now: registryOracle({ names, live: () => liveAt('now'), asOf: () => anInstant }),
};
const query = (moment: Moment) => (moment === 'atT' ? `&knownAt=${encodeURIComponent(T)}` : '');

// ------------------------------------------------------------------ the tests

describe('the scenario', () => {
  it('differs between T and now on every route, so the checks below mean something', () => {
    const ids = (m: Moment) => oracles[m].sites(county).map((s) => `${s.id}:${s.name}:${s.status}`);
    expect(ids('atT')).toEqual(['k-a:新建路卡点:open', 'k-b:北街门岗:open', 'k-c:新华路监测点:open', 'k-v:网格V:open']);
    expect(ids('now')).toEqual(['k-a:新建路卡点:open', 'k-b:北街门岗:closed', 'k-c:新华路卡点(改):open', 'k-n:新卡点:open']);
    expect(oracles.atT.completeness(county, '2020-02-14')).not.toEqual(oracles.now.completeness(county, '2020-02-14'));
    const checks = (m: Moment) => oracles[m].quality(county, '2020-02-01', '2020-02-25').flags.map((f) => `${f.day} ${f.site} ${f.check}`);
    expect(checks('atT')).toEqual(
      expect.arrayContaining(['2020-02-10 k-a people_turned_back_exceeds_screened', '2020-02-08 k-b quarantine_end_without_start']),
    );
    expect(checks('now')).not.toEqual(expect.arrayContaining(['2020-02-10 k-a people_turned_back_exceeds_screened']));
    expect(checks('now')).not.toEqual(expect.arrayContaining(['2020-02-08 k-b quarantine_end_without_start']));
    expect(checks('now')).toEqual(expect.arrayContaining(['2020-02-07 k-b people_turned_back_exceeds_screened', '2020-02-16 k-a outlier']));
    expect(checks('atT')).not.toEqual(expect.arrayContaining(['2020-02-16 k-a outlier']));
  });
});

describe.each(['atT', 'now'] as const)('as known %s', (moment) => {
  const oracle = oracles[moment];

  it('GET /v1/sites lists the sites of each subtree as known then', async () => {
    for (const region of regions) {
      for (const status of ['open', 'closed', 'all'] as const) {
        const { status: code, body } = await cordon.get(`/v1/sites?region=${region}&status=${status}${query(moment)}`);
        expect([region, status, code]).toEqual([region, status, 200]);
        const expected = oracle.sites(region).filter((s) => status === 'all' || s.status === status);
        expect(body).toEqual({
          region: { code: region, name: names[region] },
          asOf: moment === 'atT' ? new Date(T).toISOString() : anInstant,
          sites: expected,
        });
      }
    }
  });

  it('GET /v1/completeness counts the sites in service and their reports as known then, every day', async () => {
    for (const region of regions) {
      for (const date of dayList('2020-01-31', '2020-02-26')) {
        const { status, body } = await cordon.get(`/v1/completeness?region=${region}&date=${date}${query(moment)}`);
        expect([region, date, status]).toEqual([region, date, 200]);
        expect(body).toEqual(oracle.completeness(region, date));
      }
    }
  });

  it('GET /v1/quality finds the rule breaks, outliers and unmatched ends as known then', async () => {
    const cases: [string, string, string][] = [
      [county, '2020-02-01', '2020-02-25'],
      [T1, '2020-02-01', '2020-02-25'],
      [V1, '2020-02-01', '2020-02-25'],
      [T2, '2020-02-01', '2020-02-25'],
      [county, '2020-02-07', '2020-02-10'],
      [county, '2020-02-24', '2020-02-24'],
    ];
    for (const [region, from, to] of cases) {
      const { status, body } = await cordon.get(`/v1/quality?region=${region}&from=${from}&to=${to}${query(moment)}`);
      expect([region, from, to, status]).toEqual([region, from, to, 200]);
      expect(body).toEqual(oracle.quality(region, from, to));
    }
  });
});

describe('knownAt', () => {
  it('after the pipeline position answers everything counted, with asOf the position (the raw table agrees with the roll-up)', async () => {
    const future = encodeURIComponent('2100-01-01T00:00:00+08:00');
    const quality = await cordon.get(`/v1/quality?region=${county}&from=2020-02-01&to=2020-02-25&knownAt=${future}`);
    expect(quality.body).toEqual(oracles.now.quality(county, '2020-02-01', '2020-02-25'));
    expect(Date.parse(quality.body.asOf)).toBeGreaterThan(Date.parse(T));
    expect(Date.parse(quality.body.asOf)).toBeLessThan(Date.parse('2100-01-01T00:00:00Z'));
    const sites = await cordon.get(`/v1/sites?region=${county}&knownAt=${future}`);
    expect(sites.body.sites).toEqual(oracles.now.sites(county));
  });

  it('before the first event answers no site, no report and no flag', async () => {
    const before = encodeURIComponent('2000-01-01T00:00:00Z');
    expect((await cordon.get(`/v1/sites?region=${county}&knownAt=${before}`)).body).toEqual({
      region: { code: county, name: names[county] },
      asOf: '2000-01-01T00:00:00.000Z',
      sites: [],
    });
    expect((await cordon.get(`/v1/completeness?region=${county}&date=2020-02-10&knownAt=${before}`)).body).toMatchObject({
      inService: 0,
      reporting: 0,
      share: null,
      sites: [],
    });
    expect((await cordon.get(`/v1/quality?region=${county}&from=2020-02-01&to=2020-02-25&knownAt=${before}`)).body.flags).toEqual([]);
  });

  it('refuses hostile values with a problem+json 400 naming knownAt', async () => {
    const routes = [
      `/v1/sites?region=${county}`,
      `/v1/completeness?region=${county}&date=2020-02-10`,
      `/v1/quality?region=${county}&from=2020-02-01&to=2020-02-07`,
    ];
    const values = [
      'yesterday',
      '2020-02-30T00:00:00Z',
      "' OR 1=1",
      "2020-02-10T00:00:00Z' OR 1=1 --",
      '2020-02-10',
      '1999-12-31T23:59:59Z',
      '',
    ];
    for (const route of routes) {
      for (const value of values) {
        const path = `${route}&knownAt=${encodeURIComponent(value)}`;
        const response = await cordon.request(path);
        const body = (await response.json()) as { type: string; errors?: { path: string }[] };
        expect([path, response.status, response.headers.get('content-type')]).toEqual([
          path,
          400,
          'application/problem+json; charset=utf-8',
        ]);
        expect([path, body.type, body.errors?.map((x) => x.path)]).toEqual([path, '/problems/validation', ['knownAt']]);
      }
    }
    // Nothing was harmed: the sites are still all there.
    expect((await cordon.get(`/v1/sites?region=${county}`)).body.sites).toEqual(oracles.now.sites(county));
  });
});
