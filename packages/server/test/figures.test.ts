import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CordonEventInput } from '@cordon/schemas';
import { event, startTestCordon, waitFor, type TestClient } from './harness.ts';

/**
 * Trends, breakdowns and figures as known at a past moment (the "Query API"
 * issue, parts 1-3), through HTTP to the real app on chDB.
 *
 * The events are sent in two phases: A, then (once the clock has moved past
 * an instant T) B, which adds events backdated into A's days, re-registers
 * sites, and voids events of both phases. Every figure is checked against an
 * oracle in this file that sums the events sent with plain TypeScript:
 * `now` counts A and B, `atT` only what was acknowledged by T.
 */
let cordon: TestClient;
let T: string; // the instant between the phases, written with +08:00

const county = '410184'; // 新郑市
const towns = ['410184001', '410184002', '410184003'];
const village = '410184001001';
const outside = '410102'; // 中原区: never in a 410184 figure

type Phase = 'A' | 'B';
interface Sent {
  e: CordonEventInput & { data: Record<string, unknown> };
  phase: Phase;
  order: number;
}
const sent: Sent[] = [];
/** target id → the phase its void was sent in. */
const voidedIn = new Map<string, Phase>();

/** mulberry32: the same events on every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(phase: Phase, count: number, seed: number, days: [number, number]) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: Sent[] = [];
  const subjects: string[] = [];
  for (let i = 0; i < count; i++) {
    const dayOfYear = days[0] + Math.floor(r() * (days[1] - days[0] + 1));
    // UTC instants from 14:00 to 18:59: some fall on the next day in Asia/Shanghai.
    const occurredAt = new Date(Date.UTC(2020, 0, dayOfYear, 14 + Math.floor(r() * 5), Math.floor(r() * 60))).toISOString();
    const region = r() < 0.03 ? outside : pick([...towns, village, county]);
    const site = region === outside ? undefined : pick(['fx-1', 'fx-2', 'fx-3', 'fx-4', 'fx-5', 'fx-6', undefined]);
    const at = { occurredAt, region, ...(site ? { site } : {}) };
    const kind = r();
    let e: CordonEventInput;
    if (kind < 0.3) e = event('screening', { vehicles: Math.floor(r() * 40), people: Math.floor(r() * 90) }, at);
    else if (kind < 0.55) {
      const reason = pick(['no pass', 'from hubei', undefined, "x' OR 1=1 --"]);
      e = event('turnback', { vehicles: Math.floor(r() * 5), people: Math.floor(r() * 12), ...(reason ? { reason } : {}) }, at);
    } else if (kind < 0.7)
      e = event('fever', { people: 1 + Math.floor(r() * 2), disposition: pick(['referred', 'isolated', 'released', 'other']) }, at);
    else if (kind < 0.82) {
      const subject = `${phase}-q${i}`;
      subjects.push(subject);
      e = event('quarantine.started', { subject, reason: pick(['returnee_hubei', 'close_contact']) }, at);
    } else if (kind < 0.9 && subjects.length > 0) e = event('quarantine.ended', { subject: subjects.shift()!, outcome: 'released' }, at);
    else
      e = event(
        'donation',
        { donorType: pick(['company', 'resident']), item: 'disinfectant', quantity: Math.floor(r() * 200) / 10, unit: 'kg' },
        at,
      );
    out.push({ e: e as Sent['e'], phase, order: 0 });
  }
  return out;
}

const site = (id: string, kind: string, day: string, phase: Phase, region = towns[0]!): Sent => ({
  e: event('site.registered', { name: id, kind }, { region, site: id, occurredAt: `${day}T09:00:00+08:00` }) as Sent['e'],
  phase,
  order: 0,
});

async function sendPhase(items: Sent[], voids: { target: string }[], phase: Phase) {
  const voidEvents = voids.map((v) =>
    event('void', { target: v.target, reason: 'entered twice' }, { region: county, occurredAt: '2020-02-26T12:00:00+08:00' }),
  );
  for (const v of voids) voidedIn.set(v.target, phase);
  for (const item of items) sent.push({ ...item, order: sent.length });
  const { body } = await cordon.send([...items.map((x) => x.e), ...voidEvents]);
  expect(body).toMatchObject({ accepted: items.length + voids.length, rejected: 0 });
  await cordon.settled();
}

beforeAll(async () => {
  cordon = await startTestCordon();
  const a = [
    site('fx-1', 'road_checkpoint', '2020-01-20', 'A'),
    site('fx-2', 'community_gate', '2020-01-21', 'A'),
    site('fx-3', 'monitoring_point', '2020-01-21', 'A'),
    site('fx-4', 'highway_service_area', '2020-01-22', 'A'),
    {
      e: event('site.closed', {}, { region: towns[0]!, site: 'fx-1', occurredAt: '2020-02-10T09:00:00+08:00' }) as Sent['e'],
      phase: 'A' as const,
      order: 0,
    },
    ...generate('A', 360, 7, [25, 50]),
  ];
  // Voided within phase A: out of every figure.
  await sendPhase(a, [{ target: a[10]!.e.id }, { target: a[11]!.e.id }], 'A');
  const lateTarget = event('screening', { vehicles: 500, people: 900 }, { region: towns[1]!, occurredAt: '2020-02-05T10:00:00+08:00' });
  // A void sent before its target: it takes effect when the target arrives, in phase B.
  await cordon.send([
    event('void', { target: lateTarget.id, reason: 'wrong town' }, { region: towns[1]!, occurredAt: '2020-02-26T12:00:00+08:00' }),
  ]);
  voidedIn.set(lateTarget.id, 'A');
  await cordon.settled();

  const t = Date.now();
  T = offset8(t);
  await waitFor(() => Date.now() > t, { what: 'the clock to pass T' });

  const b = [
    ...generate('B', 120, 11, [30, 55]), // backdated into A's days too
    site('fx-3', 'grid_cell', '2020-02-01', 'B'), // the latest registration now
    site('fx-2', 'other', '2020-01-01', 'B'), // received later but occurred earlier: not the latest
    site('fx-6', 'other', '2020-02-02', 'B'),
    { e: lateTarget as Sent['e'], phase: 'B' as const, order: 0 },
  ];
  const fx4 = a[3]!.e.id;
  const turnbacksA = a
    .filter((x) => x.e.type === 'turnback' && !voidedIn.has(x.e.id))
    .slice(0, 3)
    .map((x) => ({ target: x.e.id }));
  await sendPhase(b, [{ target: fx4 }, ...turnbacksA, { target: b[0]!.e.id }], 'B');
});
afterAll(async () => {
  await cordon.close();
});

/** An instant written in +08:00, as a county office would send it. */
function offset8(ms: number): string {
  return `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 23)}+08:00`;
}

// ---------------------------------------------------------------- the oracle

type Moment = 'atT' | 'now';
const phasesAt: Record<Moment, Phase[]> = { atT: ['A'], now: ['A', 'B'] };

/** The events counted at a moment: sent by then, and not voided by then. */
function counted(at: Moment): Sent[] {
  const phases = phasesAt[at];
  return sent.filter((s) => phases.includes(s.phase) && !(voidedIn.has(s.e.id) && phases.includes(voidedIn.get(s.e.id)!)));
}

/** The day in Asia/Shanghai (UTC+8 all year, no DST since 1991). */
function shanghaiDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

/** What an event adds to a metric, as [dim, value] pairs, from its data. */
function adds(s: Sent, metric: string): [string, number][] {
  const d = s.e.data;
  switch (`${s.e.type}/${metric}`) {
    case 'screening/people_screened':
      return [['', d['people'] as number]];
    case 'turnback/people_turned_back':
      return [[(d['reason'] as string | undefined) ?? '', d['people'] as number]];
    case 'turnback/vehicles_turned_back':
      return [[(d['reason'] as string | undefined) ?? '', d['vehicles'] as number]];
    case 'fever/fever_cases':
      return [[d['disposition'] as string, d['people'] as number]];
    case 'quarantine.started/quarantine_active':
      return [['', 1]];
    case 'quarantine.ended/quarantine_active':
      return [['', -1]];
    case 'site.registered/sites_active':
      return [[d['kind'] as string, 1]];
    case 'site.closed/sites_active':
      return [['', -1]];
    case 'donation/donations':
      return [[d['donorType'] as string, 1]];
    case 'donation/donated:disinfectant:kg':
      return [[d['donorType'] as string, d['quantity'] as number]];
    default:
      return [];
  }
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
const stocks = new Set(['quarantine_active', 'sites_active']);

interface Filter {
  at: Moment;
  region?: string | undefined;
  dim?: string;
}
/** Net contributions by day. */
function dailyOf(metric: string, f: Filter): Map<string, number> {
  // Public codes: a subtree's events are those whose code starts with the region's (county-level events have the county's own code).
  const prefix = f.region ?? county;
  const out = new Map<string, number>();
  for (const s of counted(f.at)) {
    if (!s.e.region.startsWith(prefix)) continue;
    for (const [dim, value] of adds(s, metric)) {
      if (f.dim !== undefined && dim !== f.dim) continue;
      const day = shanghaiDay(s.e.occurredAt);
      out.set(day, (out.get(day) ?? 0) + value);
    }
  }
  return out;
}

function sumDays(daily: Map<string, number>, first: string | null, last: string): number {
  let sum = 0;
  for (const [day, v] of daily) if ((first === null || day >= first) && day <= last) sum += v;
  return r6(sum);
}

function plusDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);
}

/** The contract's definitions of a trend point, computed from the daily sums. */
function expectedPoints(metric: string, f: Filter, interval: 'day' | 'week', start: string, end: string) {
  const daily = dailyOf(metric, f);
  const stock = stocks.has(metric);
  const level = (day: string) => sumDays(daily, null, day);
  const dailyValue = (day: string) => (stock ? level(day) : sumDays(daily, day, day));
  const valueOf = (first: string, last: string) => {
    if (stock) return level(last);
    let sum = 0;
    for (let d = first; d <= last; d = plusDays(d, 1)) sum += dailyValue(d);
    return r6(sum);
  };
  const length = interval === 'day' ? 1 : 7;
  const points = [];
  for (let s = start; s <= end; s = plusDays(s, length)) {
    const e = plusDays(s, length - 1);
    const value = valueOf(s, e);
    const previous = valueOf(plusDays(s, -length), plusDays(s, -1));
    let window = 0;
    for (let d = plusDays(e, -6); d <= e; d = plusDays(d, 1)) window += dailyValue(d);
    points.push({
      start: s,
      end: e,
      value,
      cumulative: level(e),
      movingAverage7: r6(window / 7),
      change: { absolute: r6(value - previous), relative: previous === 0 ? null : r6((value - previous) / Math.abs(previous)) },
    });
  }
  return points;
}

/** Latest registration by occurrence (then by receipt) among the counted ones. */
function kindsOf(at: Moment): Map<string, string> {
  const latest = new Map<string, Sent>();
  for (const s of counted(at)) {
    if (s.e.type !== 'site.registered') continue;
    const seen = latest.get(s.e.site!);
    const key = (x: Sent) => `${new Date(x.e.occurredAt).toISOString()}|${String(x.order).padStart(6, '0')}`;
    if (!seen || key(s) > key(seen)) latest.set(s.e.site!, s);
  }
  return new Map([...latest].map(([id, s]) => [id, s.e.data['kind'] as string]));
}

function bySiteKind(metric: string, at: Moment, from: string, to: string): Map<string, number> {
  const kinds = kindsOf(at);
  const out = new Map<string, number>();
  for (const s of counted(at)) {
    if (!s.e.region.startsWith(county)) continue;
    const day = shanghaiDay(s.e.occurredAt);
    if (day > to || (!stocks.has(metric) && day < from)) continue;
    const kind = s.e.site ? (kinds.get(s.e.site) ?? 'unknown') : 'unknown';
    for (const [, v] of adds(s, metric)) out.set(kind, r6((out.get(kind) ?? 0) + v));
  }
  return out;
}

function byDim(metric: string, at: Moment, from: string, to: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of counted(at)) {
    const day = shanghaiDay(s.e.occurredAt);
    if (!s.e.region.startsWith(county) || day < from || day > to) continue;
    for (const [dim, v] of adds(s, metric)) {
      const key = dim === '' ? '(unspecified)' : dim;
      out.set(key, r6((out.get(key) ?? 0) + v));
    }
  }
  return out;
}

const knownAt = () => `&knownAt=${encodeURIComponent(T)}`;
const momentQuery = (at: Moment) => (at === 'atT' ? knownAt() : '');

// ---------------------------------------------------------------- the tests

describe('the oracle', () => {
  it('sees the two phases differ, so the knownAt checks below mean something', () => {
    expect(sumDays(dailyOf('people_turned_back', { at: 'atT' }), null, '2020-12-31')).not.toBe(
      sumDays(dailyOf('people_turned_back', { at: 'now' }), null, '2020-12-31'),
    );
    expect(kindsOf('atT').get('fx-3')).toBe('monitoring_point');
    expect(kindsOf('now').get('fx-3')).toBe('grid_cell');
  });
});

describe('GET /v1/timeseries', () => {
  it.each(['now', 'atT'] as const)('daily points of a flow metric are exact, reaching before from (%s)', async (at) => {
    const { status, body } = await cordon.get(
      `/v1/timeseries?metric=people_turned_back&region=${county}&from=2020-02-01&to=2020-02-20${momentQuery(at)}`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      metric: 'people_turned_back',
      region: { code: county, name: '新郑市' },
      dim: null,
      interval: 'day',
      from: '2020-02-01',
      to: '2020-02-20',
    });
    expect(body.points).toHaveLength(20);
    const expected = expectedPoints('people_turned_back', { at }, 'day', '2020-02-01', '2020-02-20');
    expect(body.points).toEqual(expected.map((p) => ({ period: p.start, ...p })));
    // The running total starts at the first event, not at `from`.
    expect(body.points[0].cumulative).toBeGreaterThan(body.points[0].value);
    if (at === 'atT') expect(body.asOf).toBe(new Date(T).toISOString());
  });

  it('weekly points cover whole ISO weeks: from moves back to a Monday, to forward to a Sunday', async () => {
    const { body } = await cordon.get(`/v1/timeseries?metric=fever_cases&region=${towns[0]}&from=2020-02-05&to=2020-02-19&interval=week`);
    expect(body).toMatchObject({ interval: 'week', from: '2020-02-03', to: '2020-02-23' });
    const expected = expectedPoints('fever_cases', { at: 'now', region: towns[0] }, 'week', '2020-02-03', '2020-02-23');
    expect(body.points).toEqual(expected.map((p, i) => ({ period: ['2020-W06', '2020-W07', '2020-W08'][i], ...p })));
  });

  it('dim= restricts to one dimension value, "(unspecified)" to events that did not say', async () => {
    for (const [metric, dim, stored] of [
      ['fever_cases', 'isolated', 'isolated'],
      ['people_turned_back', '(unspecified)', ''],
      ['people_turned_back', "x' OR 1=1 --", "x' OR 1=1 --"], // data, bound as a parameter
    ] as const) {
      for (const at of ['now', 'atT'] as const) {
        const { status, body } = await cordon.get(
          `/v1/timeseries?metric=${metric}&region=${county}&from=2020-01-28&to=2020-02-18&dim=${encodeURIComponent(dim)}${momentQuery(at)}`,
        );
        expect(status).toBe(200);
        expect(body.dim).toBe(dim);
        expect(body.points).toEqual(
          expectedPoints(metric, { at, dim: stored }, 'day', '2020-01-28', '2020-02-18').map((p) => ({ period: p.start, ...p })),
        );
      }
    }
  });

  it('stock metrics give the level at the end of each period, cumulative equal to it', async () => {
    for (const interval of ['day', 'week'] as const) {
      const { body } = await cordon.get(
        `/v1/timeseries?metric=quarantine_active&region=${county}&from=2020-02-03&to=2020-02-16&interval=${interval}`,
      );
      const expected = expectedPoints('quarantine_active', { at: 'now' }, interval, '2020-02-03', '2020-02-16');
      expect(body.points).toEqual(
        expected.map((p) => ({ period: interval === 'day' ? p.start : p.start === '2020-02-03' ? '2020-W06' : '2020-W07', ...p })),
      );
      for (const p of body.points) expect(p.cumulative).toBe(p.value);
    }
  });

  it('without from starts at the first day with data, and counts only the subtree', async () => {
    const { body } = await cordon.get(`/v1/timeseries?metric=people_screened&region=${village}&to=2020-02-26`);
    const days = [...dailyOf('people_screened', { at: 'now', region: village }).keys()].sort();
    // Guard: no voided event lies before the first counted day (a voided event's day may still hold a zero row in the roll-up).
    const everyDay = sent
      .filter((s) => s.e.type === 'screening' && s.e.region.startsWith(village))
      .map((s) => shanghaiDay(s.e.occurredAt))
      .sort();
    expect(everyDay[0]).toBe(days[0]);
    expect(body.from).toBe(days[0]);
    expect(body.points).toEqual(
      expectedPoints('people_screened', { at: 'now', region: village }, 'day', days[0]!, '2020-02-26').map((p) => ({
        period: p.start,
        ...p,
      })),
    );
  });
});

describe('GET /v1/aggregates breakdowns', () => {
  const range = 'from=2020-01-25&to=2020-02-24';
  it.each(['now', 'atT'] as const)('groupBy=dimension: one row per value of the shared dimension (%s)', async (at) => {
    const { status, body } = await cordon.get(
      `/v1/aggregates?metrics=people_turned_back,vehicles_turned_back&region=${county}&${range}&groupBy=dimension${momentQuery(at)}`,
    );
    expect(status).toBe(200);
    const people = byDim('people_turned_back', at, '2020-01-25', '2020-02-24');
    const vehicles = byDim('vehicles_turned_back', at, '2020-01-25', '2020-02-24');
    // Rows whose values are all zero are left out.
    const values = [...new Set([...people.keys(), ...vehicles.keys()])]
      .filter((v) => (people.get(v) ?? 0) !== 0 || (vehicles.get(v) ?? 0) !== 0)
      .sort();
    expect(body.rows).toEqual(
      values.map((value) => ({
        key: { dimension: 'reason', value },
        values: { people_turned_back: people.get(value) ?? 0, vehicles_turned_back: vehicles.get(value) ?? 0 },
      })),
    );
    expect(body.totals.people_turned_back).toBe(r6([...people.values()].reduce((a, b) => a + b, 0)));
  });

  it('groupBy=dimension breaks donations down by donor type, quantities to the micro-unit', async () => {
    const { body } = await cordon.get(
      `/v1/aggregates?metrics=donations,donated:disinfectant:kg&region=${county}&${range}&groupBy=dimension`,
    );
    const n = byDim('donations', 'now', '2020-01-25', '2020-02-24');
    const kg = byDim('donated:disinfectant:kg', 'now', '2020-01-25', '2020-02-24');
    expect(body.rows).toEqual(
      [...n.keys()]
        .filter((v) => n.get(v) !== 0)
        .sort()
        .map((value) => ({
          key: { dimension: 'donorType', value },
          values: { donations: n.get(value), 'donated:disinfectant:kg': kg.get(value) },
        })),
    );
  });

  it('sort and limit give a top N; totals stay over every row', async () => {
    const people = byDim('people_turned_back', 'now', '2020-01-25', '2020-02-24');
    const top = [...people]
      .filter(([, v]) => v !== 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 2);
    const { body } = await cordon.get(
      `/v1/aggregates?metrics=people_turned_back&region=${county}&${range}&groupBy=dimension&sort=-people_turned_back&limit=2`,
    );
    expect(body.rows).toEqual(top.map(([value, v]) => ({ key: { dimension: 'reason', value }, values: { people_turned_back: v } })));
    expect(body.totals).toEqual({ people_turned_back: r6([...people.values()].reduce((a, b) => a + b, 0)) });

    const days = await cordon.get(
      `/v1/aggregates?metrics=people_screened&region=${county}&${range}&groupBy=day&sort=people_screened&limit=3`,
    );
    const daily = dailyOf('people_screened', { at: 'now' });
    const all = [];
    for (let d = '2020-01-25'; d <= '2020-02-24'; d = plusDays(d, 1)) all.push([d, daily.get(d) ?? 0] as const);
    const lowest = [...all].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
    expect(days.body.rows).toEqual(lowest.map(([day, v]) => ({ key: { day }, values: { people_screened: v } })));
    const latest = await cordon.get(`/v1/aggregates?metrics=people_screened&region=${county}&${range}&groupBy=day&sort=-key&limit=1`);
    expect(latest.body.rows).toEqual([{ key: { day: '2020-02-24' }, values: { people_screened: daily.get('2020-02-24') ?? 0 } }]);
  });

  it.each(['now', 'atT'] as const)(
    'groupBy=siteKind: by the kind of each site\'s latest registration, "unknown" without one (%s)',
    async (at) => {
      const { status, body } = await cordon.get(
        `/v1/aggregates?metrics=people_screened,sites_active&region=${county}&${range}&groupBy=siteKind${momentQuery(at)}`,
      );
      expect(status).toBe(200);
      const people = bySiteKind('people_screened', at, '2020-01-25', '2020-02-24');
      const sites = bySiteKind('sites_active', at, '2020-01-25', '2020-02-24');
      const kinds = [...new Set([...people.keys(), ...sites.keys()])]
        .filter((k) => (people.get(k) ?? 0) !== 0 || (sites.get(k) ?? 0) !== 0)
        .sort();
      expect(body.rows).toEqual(
        kinds.map((siteKind) => ({
          key: { siteKind },
          values: { people_screened: people.get(siteKind) ?? 0, sites_active: sites.get(siteKind) ?? 0 },
        })),
      );
      // fx-4's registration is voided in phase B; fx-6 registers in phase B.
      expect(body.rows.some((r: { key: { siteKind: string } }) => r.key.siteKind === 'highway_service_area')).toBe(at === 'atT');
      expect(body.rows.some((r: { key: { siteKind: string } }) => r.key.siteKind === 'grid_cell')).toBe(at === 'now');
    },
  );
});

describe('knownAt', () => {
  const metrics = 'people_screened,people_turned_back,fever_cases,quarantine_active';
  const expectedTotals = (at: Moment, from: string, to: string) =>
    Object.fromEntries(
      metrics.split(',').map((m) => [m, stocks.has(m) ? sumDays(dailyOf(m, { at }), null, to) : sumDays(dailyOf(m, { at }), from, to)]),
    );

  it('gives the figures as known at T to the digit, and the new ones without it', async () => {
    const old = await cordon.get(`/v1/aggregates?metrics=${metrics}&region=${county}&from=2020-01-25&to=2020-02-24${knownAt()}`);
    expect(old.body.totals).toEqual(expectedTotals('atT', '2020-01-25', '2020-02-24'));
    expect(old.body.asOf).toBe(new Date(T).toISOString());
    const current = await cordon.get(`/v1/aggregates?metrics=${metrics}&region=${county}&from=2020-01-25&to=2020-02-24`);
    expect(current.body.totals).toEqual(expectedTotals('now', '2020-01-25', '2020-02-24'));
    expect(current.body.totals).not.toEqual(old.body.totals);
    expect(Date.parse(current.body.asOf)).toBeGreaterThan(Date.parse(T));
  });

  it('applies to every grouping: days, regions and sites', async () => {
    for (const at of ['atT', 'now'] as const) {
      const days = await cordon.get(
        `/v1/aggregates?metrics=people_screened,quarantine_active&region=${county}&from=2020-02-01&to=2020-02-07&groupBy=day${momentQuery(at)}`,
      );
      expect(days.body.rows.map((r: { key: { day: string }; values: object }) => [r.key.day, r.values])).toEqual(
        Array.from({ length: 7 }, (_, i) => plusDays('2020-02-01', i)).map((d) => [
          d,
          {
            people_screened: sumDays(dailyOf('people_screened', { at }), d, d),
            quarantine_active: sumDays(dailyOf('quarantine_active', { at }), null, d),
          },
        ]),
      );
      const regions = await cordon.get(
        `/v1/aggregates?metrics=fever_cases&region=${county}&from=2020-01-25&to=2020-02-24&groupBy=region&level=town${momentQuery(at)}`,
      );
      for (const row of regions.body.rows as { key: { region: string }; values: { fever_cases: number } }[]) {
        const exact = counted(at).filter((s) =>
          row.key.region === county ? s.e.region === county : s.e.region.startsWith(row.key.region),
        );
        const want = r6(
          exact
            .flatMap((s) =>
              shanghaiDay(s.e.occurredAt) >= '2020-01-25' && shanghaiDay(s.e.occurredAt) <= '2020-02-24' ? adds(s, 'fever_cases') : [],
            )
            .reduce((a, [, v]) => a + v, 0),
        );
        expect([row.key.region, row.values.fever_cases]).toEqual([row.key.region, want]);
      }
    }
  });

  it('a void sent after T is not applied at T; one sent before its target takes effect with the target', async () => {
    const turnbacks = sent.filter((s) => s.phase === 'A' && s.e.type === 'turnback' && voidedIn.get(s.e.id) === 'B');
    expect(turnbacks).toHaveLength(3);
    const day = shanghaiDay(turnbacks[0]!.e.occurredAt);
    const q = `/v1/aggregates?metrics=people_screened&region=${towns[1]}&from=2020-02-05&to=2020-02-05`;
    // The late target (900 people) was sent in phase B and voided by a void sent in phase A: never counted.
    expect((await cordon.get(q)).body.totals.people_screened).toBe(
      sumDays(dailyOf('people_screened', { at: 'now', region: towns[1] }), '2020-02-05', '2020-02-05'),
    );
    expect((await cordon.get(`${q}${knownAt()}`)).body.totals.people_screened).toBe(
      sumDays(dailyOf('people_screened', { at: 'atT', region: towns[1] }), '2020-02-05', '2020-02-05'),
    );
    const tb = (at: Moment) =>
      cordon
        .get(`/v1/timeseries?metric=people_turned_back&region=${county}&from=${day}&to=${day}${momentQuery(at)}`)
        .then((r) => r.body.points[0].value);
    expect(await tb('atT')).toBe(sumDays(dailyOf('people_turned_back', { at: 'atT' }), day, day));
    expect(await tb('now')).toBe(sumDays(dailyOf('people_turned_back', { at: 'now' }), day, day));
  });
});

describe('bad parameters', () => {
  const at = `region=${county}&from=2020-02-01&to=2020-02-07`;
  it('are refused with a problem+json 400 naming the parameter, and harm nothing', async () => {
    const before = await cordon.get(`/v1/aggregates?metrics=people_screened,people_turned_back&${at}`);
    const cases: [string, string][] = [
      [`/v1/timeseries?metric=${encodeURIComponent("x' OR 1=1")}&${at}`, 'metric'],
      [`/v1/timeseries?${at}`, 'metric'],
      [`/v1/timeseries?metric=fever_cases&${at}&interval=month`, 'interval'],
      [`/v1/timeseries?metric=fever_cases&${at}&knownAt=yesterday`, 'knownAt'],
      [`/v1/timeseries?metric=fever_cases&${at}&knownAt=1999-12-31T00:00:00Z`, 'knownAt'],
      [`/v1/timeseries?metric=fever_cases&${at}&knownAt=${encodeURIComponent("2020-02-01' OR 1=1")}`, 'knownAt'],
      [`/v1/timeseries?metric=people_screened&${at}&dim=x`, 'dim'],
      [`/v1/timeseries?metric=quarantine_active&${at}&dim=x`, 'dim'],
      [`/v1/timeseries?metric=fever_cases&${at}&dim=${encodeURIComponent('a\u0000b')}`, 'dim'],
      [`/v1/timeseries?metric=fever_cases&region=${county}&from=2020-02-10&to=2020-02-01`, 'from'],
      [`/v1/timeseries?metric=fever_cases&region=${county}&from=2000-01-01&to=2020-02-01`, 'from'],
      [`/v1/timeseries?metric=fever_cases&region=${encodeURIComponent("410184' --")}`, 'region'],
      [`/v1/aggregates?metrics=people_screened&${at}&sort=${encodeURIComponent('-drop table')}`, 'sort'],
      [`/v1/aggregates?metrics=people_screened&${at}&sort=-fever_cases`, 'sort'],
      [`/v1/aggregates?metrics=people_screened&${at}&limit=-1`, 'limit'],
      [`/v1/aggregates?metrics=people_screened&${at}&limit=0`, 'limit'],
      [`/v1/aggregates?metrics=people_screened&${at}&limit=1001`, 'limit'],
      [`/v1/aggregates?metrics=people_screened&${at}&limit=${encodeURIComponent('1; DROP TABLE events')}`, 'limit'],
      [`/v1/aggregates?metrics=people_screened&${at}&knownAt=yesterday`, 'knownAt'],
      [`/v1/aggregates?metrics=people_turned_back,fever_cases&${at}&groupBy=dimension`, 'groupBy'],
      [`/v1/aggregates?metrics=people_screened&${at}&groupBy=dimension`, 'groupBy'],
      [`/v1/aggregates?metrics=sites_active&${at}&groupBy=dimension`, 'groupBy'],
      [`/v1/aggregates?metrics=people_screened&${at}&groupBy=${encodeURIComponent("site' --")}`, 'groupBy'],
      [`/v1/aggregates?metrics=${encodeURIComponent("x' OR 1=1")}&${at}`, 'metrics.0'],
    ];
    for (const [path, param] of cases) {
      const response = await cordon.request(path);
      expect([path, response.status]).toEqual([path, 400]);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as { type: string; errors: { path: string }[] };
      expect(problem.type).toBe('/problems/validation');
      expect([path, problem.errors.map((e) => e.path)]).toEqual([path, expect.arrayContaining([param])]);
    }
    const after = await cordon.get(`/v1/aggregates?metrics=people_screened,people_turned_back&${at}`);
    expect(after.body.totals).toEqual(before.body.totals);
  });

  it('a region-scoped key reads trends only inside its subtree', async () => {
    const created = await cordon.request('/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'town', role: 'read', region: towns[0] }),
    });
    const { key } = (await created.json()) as { key: string };
    expect((await cordon.get(`/v1/timeseries?metric=fever_cases&region=${county}&from=2020-02-01&to=2020-02-07`, key)).status).toBe(403);
    const own = await cordon.get(`/v1/timeseries?metric=fever_cases&from=2020-02-01&to=2020-02-07`, key);
    expect(own.body.region.code).toBe(towns[0]);
    expect(own.body.points.map((p: { value: number }) => p.value)).toEqual(
      expectedPoints('fever_cases', { at: 'now', region: towns[0] }, 'day', '2020-02-01', '2020-02-07').map((p) => p.value),
    );
  });
});
