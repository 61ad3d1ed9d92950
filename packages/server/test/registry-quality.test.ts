import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CordonEventInput } from '@cordon/schemas';
import { event, startTestCordon, type TestClient } from './harness.ts';

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

// ------------------------------------------------------------------ the events

const sent: CordonEventInput[] = [];
let seed = 42;
/** Deterministic 0..n-1. */
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const at = (day: string, time = '09:00') => `${day}T${time}:00+08:00`;
const dayList = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};
const add = (type: string, data: object, extra: Partial<CordonEventInput>) => {
  const e = event(type, data, extra);
  sent.push(e);
  return e;
};
const voidOf = (target: CordonEventInput, occurredAt: string, extra: Partial<CordonEventInput> = {}) =>
  add('void', { target: target.id, reason: 'sent in error' }, { region: target.region, occurredAt, ...extra });
const register = (site: string, region: string, occurredAt: string, name: string, kind: string) => add('site.registered', { name, kind }, { site, region, occurredAt });
const close = (site: string, region: string, occurredAt: string) => add('site.closed', { reason: 'merged' }, { site, region, occurredAt });

function buildEvents() {
  // cp-a: a road checkpoint in T1, reporting every day but 2月14日.
  register('cp-a', T1, at('2020-01-20', '07:00'), '新建路卡点', 'road_checkpoint');
  for (const day of dayList('2020-01-20', '2020-02-29')) {
    if (day === '2020-02-14') continue;
    const screening = add('screening', { vehicles: 40 + rnd(11), people: 90 + rnd(21) }, { region: T1, site: 'cp-a', occurredAt: at(day, '10:00') });
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
  for (const day of dayList('2020-02-05', '2020-02-10')) add('screening', { vehicles: 1, people: 3 }, { region: T1, site: 'cp-c', occurredAt: at(day, '10:00') });

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
    add('screening', { vehicles: 2000 + rnd(200), people: day === '2020-02-25' ? 30000 : 5000 + rnd(500) }, { region: county, occurredAt: at(day, '22:00') });
  }

  // A site id nobody registered: in quality, never in the registry.
  add('screening', { vehicles: 0, people: 10 }, { region: T1, site: 'ghost', occurredAt: at('2020-02-10') });
  add('turnback', { vehicles: 0, people: 20 }, { region: T1, site: 'ghost', occurredAt: at('2020-02-10') });

  // Quarantine.
  const q = (type: string, subject: string, region: string, occurredAt: string, site?: string) =>
    add(type, type === 'quarantine.started' ? { subject, reason: 'returnee_hubei' } : { subject, outcome: 'released' }, { region, occurredAt, ...(site ? { site } : {}) });
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

const oracle = (() => {
  // Read lazily: the events are built in beforeAll. A void takes its target back; nothing voids a void here.
  const live = () => {
    const voided = new Set(sent.filter((e) => e.type === 'void').map((e) => (e.data as { target: string }).target));
    return sent.filter((e) => !voided.has(e.id));
  };
  const dayOf = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10); // Asia/Shanghai has no DST
  const prefixOf = (code: string) => (code.length === 6 ? code.replace(/(00)+$/, '') : code);
  const inside = (code: string, region: string) => code.padEnd(12, '0').startsWith(prefixOf(region));
  const ref = (code: string) => ({ code, name: names[code]! });
  const isSiteEvent = (e: CordonEventInput) => e.type === 'site.registered' || e.type === 'site.closed';

  function sites(region: string) {
    const lifecycle = live().filter((e) => isSiteEvent(e) && inside(e.region, region));
    const ids = [...new Set(lifecycle.map((e) => e.site!))].sort();
    return ids.flatMap((id) => {
      const list = lifecycle.filter((e) => e.site === id).sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
      const regs = list.filter((e) => e.type === 'site.registered');
      if (regs.length === 0) return [];
      const latest = regs.at(-1)!;
      const last = list.at(-1)!;
      const data = latest.data as { name: string; kind: string };
      const times = live().filter((e) => e.site === id && e.type !== 'void' && inside(e.region, region)).map((e) => Date.parse(e.occurredAt));
      return [{
        id,
        name: data.name,
        kind: data.kind,
        region: ref(latest.region),
        openedOn: dayOf(regs[0]!.occurredAt),
        closedOn: last.type === 'site.closed' ? dayOf(last.occurredAt) : null,
        status: last.type === 'site.registered' ? 'open' : 'closed',
        lastEventAt: new Date(Math.max(...times)).toISOString(),
        history: list,
      }];
    });
  }

  function completeness(region: string, date: string) {
    const rows = sites(region)
      .filter((s) => s.history.filter((e) => dayOf(e.occurredAt) <= date).at(-1)?.type === 'site.registered')
      .map((s) => {
        const events = live().filter((e) => e.site === s.id && !isSiteEvent(e) && e.type !== 'void' && dayOf(e.occurredAt) === date && inside(e.region, region)).length;
        return { id: s.id, name: s.name, kind: s.kind, region: s.region, openedOn: s.openedOn, closedOn: s.closedOn, reported: events > 0, events };
      });
    const reporting = rows.filter((r) => r.reported).length;
    return {
      region: ref(region),
      date,
      inService: rows.length,
      reporting,
      share: rows.length ? reporting / rows.length : null,
      sites: rows,
      notReporting: rows.filter((r) => !r.reported).map((r) => r.id),
    };
  }

  /** What an event adds to the metrics the quality checks read (zeros add nothing). */
  function figures(e: CordonEventInput): Record<string, number> {
    const d = e.data as Record<string, number>;
    const all: Record<string, number> =
      e.type === 'screening' ? { vehicles_screened: d['vehicles']!, people_screened: d['people']! }
      : e.type === 'turnback' ? { vehicles_turned_back: d['vehicles']!, people_turned_back: d['people']! }
      : e.type === 'fever' ? { fever_cases: d['people']! }
      : {};
    return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== 0));
  }

  function quality(region: string, from: string, to: string) {
    const placeOf = (e: CordonEventInput) => (e.site ? `s:${e.site}` : `r:${e.region}`);
    const events = live().filter((e) => inside(e.region, region));
    const sums = new Map<string, Map<string, Record<string, number>>>(); // place → day → metric → sum
    const regionOfPlace = new Map<string, string>();
    for (const e of events) {
      const f = figures(e);
      if (Object.keys(f).length === 0) continue;
      const place = placeOf(e);
      regionOfPlace.set(place, e.region);
      const byDay = sums.get(place) ?? new Map<string, Record<string, number>>();
      sums.set(place, byDay);
      const values = byDay.get(dayOf(e.occurredAt)) ?? {};
      byDay.set(dayOf(e.occurredAt), values);
      for (const [m, v] of Object.entries(f)) values[m] = (values[m] ?? 0) + v;
    }
    const idsBehind = (place: string, day: string, metrics: string[]) =>
      events.filter((e) => placeOf(e) === place && dayOf(e.occurredAt) === day && metrics.some((m) => figures(e)[m] !== undefined)).map((e) => e.id).sort();
    type Flag = { check: string; kind: string; site: string | null; region: { code: string; name: string }; day: string; metric: string | null; values: Record<string, number>; detail: unknown; eventIds: string[] };
    const flags: (Flag & { place: string })[] = [];
    const flag = (place: string, regionCode: string, check: string, day: string, metric: string | null, values: Record<string, number>, eventIds: string[]) =>
      flags.push({ place, check, kind: check === 'outlier' ? 'outlier' : 'rule', site: place.startsWith('s:') ? place.slice(2) : null, region: ref(regionCode), day, metric, values, detail: expect.any(String), eventIds });

    const rules = [
      ['people_turned_back_exceeds_screened', 'people_turned_back', 'people_screened'],
      ['vehicles_turned_back_exceeds_screened', 'vehicles_turned_back', 'vehicles_screened'],
      ['fever_exceeds_screened', 'fever_cases', 'people_screened'],
    ] as const;
    for (const [place, byDay] of sums) {
      for (const [day, values] of byDay) {
        if (day < from || day > to) continue;
        for (const [check, over, under] of rules) {
          if ((values[over] ?? 0) > (values[under] ?? 0)) {
            flag(place, regionOfPlace.get(place)!, check, day, null, { [over]: values[over] ?? 0, [under]: values[under] ?? 0 }, idsBehind(place, day, [over, under]));
          }
        }
      }
      const floors: Record<string, number> = { people_screened: 50, people_turned_back: 20, fever_cases: 3 };
      for (const metric of ['people_screened', 'people_turned_back', 'fever_cases']) {
        const series = [...byDay].filter(([, v]) => (v[metric] ?? 0) > 0).map(([day, v]) => ({ day, value: v[metric]! })).sort((a, b) => a.day.localeCompare(b.day));
        for (const { day, value } of series) {
          if (day < from || day > to) continue;
          const sixtyBefore = new Date(Date.parse(`${day}T00:00:00Z`) - 60 * 86400_000).toISOString().slice(0, 10);
          const baseline = series.filter((p) => p.day < day && p.day >= sixtyBefore).slice(-14).map((p) => p.value).sort((a, b) => a - b);
          if (baseline.length < 7) continue;
          const mid = Math.floor(baseline.length / 2);
          const median = baseline.length % 2 ? baseline[mid]! : (baseline[mid - 1]! + baseline[mid]!) / 2;
          const far = (value > 3 * median && value - median >= floors[metric]!) || (value * 3 < median && median - value >= floors[metric]!);
          if (far) flag(place, regionOfPlace.get(place)!, 'outlier', day, metric, { value, median, baselineDays: baseline.length }, idsBehind(place, day, [metric]));
        }
      }
    }

    // Quarantine: walk each subject's events in time order, starts before ends at one instant.
    const qs = events
      .filter((e) => e.type === 'quarantine.started' || e.type === 'quarantine.ended')
      .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.type === 'quarantine.started' ? -1 : 1));
    const open = new Map<string, number>();
    const unmatched = new Map<string, CordonEventInput[]>();
    for (const e of qs) {
      const subject = (e.data as { subject: string }).subject;
      const n = open.get(subject) ?? 0;
      if (e.type === 'quarantine.started') open.set(subject, n + 1);
      else if (n > 0) open.set(subject, n - 1);
      else if (dayOf(e.occurredAt) >= from && dayOf(e.occurredAt) <= to) {
        const key = `${placeOf(e)}|${dayOf(e.occurredAt)}`;
        unmatched.set(key, [...(unmatched.get(key) ?? []), e]);
      }
    }
    for (const ends of unmatched.values()) {
      const e = ends[0]!;
      flag(placeOf(e), e.region, 'quarantine_end_without_start', dayOf(e.occurredAt), null, { quarantine_ended: ends.length }, ends.map((x) => x.id).sort());
    }

    const checks = ['people_turned_back_exceeds_screened', 'vehicles_turned_back_exceeds_screened', 'fever_exceeds_screened', 'quarantine_end_without_start', 'outlier'];
    const sortKey = (f: Flag & { place: string }) => [f.day, f.site === null ? '1' : '0', f.site ?? '', f.region.code.padEnd(12, '0'), String(checks.indexOf(f.check)).padStart(2, '0'), f.metric ?? ''];
    flags.sort((a, b) => {
      const x = sortKey(a);
      const y = sortKey(b);
      const i = x.findIndex((v, k) => v !== y[k]);
      return i < 0 ? 0 : x[i]! < y[i]! ? -1 : 1;
    });
    return { region: ref(region), from, to, flags: flags.map(({ place: _place, ...f }) => f) };
  }

  return { sites: (region: string) => sites(region).map(({ history: _h, ...s }) => s), completeness, quality };
})();

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
    const r = await cordon.request('/v1/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `${role}-${region ?? 'all'}`, role, ...(region ? { region } : {}) }) });
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
          const { status: code, body } = await cordon.get(`/v1/sites?region=${region}&status=${status}${kind ? `&kind=${kind}` : ''}`, readKey);
          expect(code).toBe(200);
          const expected = all.filter((s) => (status === 'all' || s.status === status) && (!kind || s.kind === kind));
          expect(body).toEqual({ region: { code: region, name: names[region] }, sites: expected });
        }
      }
    }
  });

  it('knows each case of the lifecycle', async () => {
    const { body } = await cordon.get(`/v1/sites?region=${T1}`, readKey);
    const byId = Object.fromEntries((body.sites as { id: string }[]).map((s) => [s.id, s]));
    expect(Object.keys(byId)).toEqual(['cp-a', 'cp-b', 'cp-d', 'cp-f', hostileSite]); // no cp-c (withdrawn), no ghost, no cp-e (T2)
    expect(byId['cp-b']).toMatchObject({ name: '北街社区门岗(新)', region: { code: V1, name: names[V1] }, openedOn: '2020-02-01', closedOn: null, status: 'open', lastEventAt: '2020-02-29T02:00:00.000Z' });
    expect(byId['cp-d']).toMatchObject({ status: 'open', closedOn: null, lastEventAt: '2020-02-12T01:00:00.000Z' }); // the closure and the 2月13日 void do not count
    expect(byId['cp-f']).toMatchObject({ openedOn: '2020-02-06', closedOn: '2020-02-20', status: 'closed', kind: 'highway_service_area' });
    expect(byId[hostileSite]).toMatchObject({ name: "卡点'; --", lastEventAt: '2020-02-02T01:00:00.000Z' });
  });

  it('defaults to the status all and to a scoped key\'s region', async () => {
    const { body } = await cordon.get('/v1/sites', townKey);
    expect(body).toEqual({ region: { code: T1, name: names[T1] }, sites: oracle.sites(T1) });
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
    type Flag = { check: string; site: string | null; day: string; metric: string | null; region: { code: string }; values: Record<string, number>; eventIds: string[] };
    const flags = body.flags as Flag[];
    const find = (check: string, site: string | null, day: string) => flags.filter((f) => f.check === check && f.site === site && f.day === day);
    const voidedIds = new Set(sent.filter((e) => e.type === 'void').map((e) => (e.data as { target: string }).target));

    const tb22 = find('people_turned_back_exceeds_screened', 'cp-a', '2020-02-22')[0]!;
    expect(tb22.values['people_screened']).toBe(5);
    const behind = sent.filter((e) => e.site === 'cp-a' && e.occurredAt.startsWith('2020-02-22') && (e.type === 'screening' || e.type === 'turnback'));
    expect(tb22.eventIds).toEqual(behind.filter((e) => !voidedIds.has(e.id)).map((e) => e.id).sort());
    expect(behind.some((e) => voidedIds.has(e.id))).toBe(true);
    expect(find('outlier', 'cp-a', '2020-02-20').map((f) => f.metric)).toContain('people_screened');
    expect(find('outlier', null, '2020-02-25')).toMatchObject([{ metric: 'people_screened', region: { code: county }, values: { value: 30000 } }]);
    expect(flags.filter((f) => f.day === '2020-02-23' && f.site === 'cp-a')).toEqual([]); // the 500 was withdrawn
    expect(find('fever_exceeds_screened', 'cp-d', '2020-02-12')).toHaveLength(1);
    expect(find('people_turned_back_exceeds_screened', 'ghost', '2020-02-10')).toHaveLength(1);
    expect(find('people_turned_back_exceeds_screened', null, '2020-02-03')).toMatchObject([{ region: { code: T1 } }]);
    const quarantine = flags.filter((f) => f.check === 'quarantine_end_without_start').map((f) => [f.site, f.day, f.values['quarantine_ended']]);
    expect(quarantine).toEqual([['cp-a', '2020-02-11', 1], ['cp-a', '2020-02-12', 1], ['cp-a', '2020-02-14', 1], [null, '2020-02-17', 1]]);
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
    expect(body).toMatchObject({ code: county, name: '新郑市', level: 'county', custom: false, parent: { code: '410100', name: '郑州市' } });
    expect(body.children).toContainEqual({ code: T1, name: names[T1], level: 'town' });
    expect(body.children).toHaveLength(cordon.runtime.regions.children(county).length);
    expect((await cordon.get(`/v1/regions/${V1}`, readKey)).body).toMatchObject({ level: 'village', parent: { code: T1, name: names[T1] }, children: [] });
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
  const routes = [`/v1/regions/${county}`, '/v1/regions?search=x', `/v1/sites?region=${county}`, `/v1/completeness?region=${county}&date=2020-02-10`, `/v1/quality?region=${county}&from=2020-02-01&to=2020-02-02`];

  it('401 without a key, 403 for an ingest key and for a region outside a scoped key', async () => {
    for (const path of routes) {
      expect([path, (await cordon.request(path, { key: null })).status]).toEqual([path, 401]);
      expect([path, (await cordon.get(path, ingestKey)).status]).toEqual([path, 403]);
      const scoped = await cordon.get(path, townKey);
      expect([path, scoped.status]).toEqual([path, path.includes('search') ? 200 : 403]);
    }
    // The admin route on the same path is still the admin's.
    const post = await cordon.request('/v1/regions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: '410184950', name: 'x' }), key: readKey });
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
    expect((await cordon.totals(['people_screened'], `region=${T1}&from=2020-02-01&to=2020-02-01`))['people_screened']).toBeGreaterThan(0);
  });
});
