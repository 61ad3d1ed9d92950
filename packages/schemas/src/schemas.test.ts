import { describe, expect, it } from 'vitest';
import { contributionsOf, eventSchema, metricCatalogue } from './index.ts';

const base = { id: '0190d8a0-0000-7000-8000-000000000001', occurredAt: '2020-02-13T08:00:00+08:00', region: '410184' };

describe('eventSchema', () => {
  it('accepts every contract example and normalises ids to lower case', () => {
    const e = eventSchema.parse({ ...base, id: base.id.toUpperCase(), type: 'screening', data: { vehicles: 3, people: 5 } });
    expect(e.id).toBe(base.id);
  });
  it('names the field of each error', () => {
    const r = eventSchema.safeParse({ ...base, type: 'turnback', data: { vehicles: -1, people: 1.5 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['data.vehicles', 'data.people']);
  });
  it('rejects unknown types, impossible dates, bad region codes and unknown fields', () => {
    const r = eventSchema.safeParse({ ...base, type: 'bogus', data: {} });
    expect(r.error?.issues[0]?.path).toEqual(['type']);
    const d = eventSchema.safeParse({
      ...base,
      occurredAt: '2020-02-30T08:00:00+08:00',
      type: 'fever',
      data: { people: 1, disposition: 'referred' },
    });
    expect(d.error?.issues.map((i) => i.path.join('.'))).toEqual(['occurredAt']);
    const g = eventSchema.safeParse({
      ...base,
      region: "410184' OR 1=1",
      type: 'fever',
      data: { people: 1, disposition: 'referred', x: 1 },
    });
    expect(g.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['data', 'region']);
  });
  it('requires a site on site events and a pseudonymous quarantine subject', () => {
    const s = eventSchema.safeParse({ ...base, type: 'site.registered', data: { name: '岗李村卡点', kind: 'road_checkpoint' } });
    expect(s.error?.issues.map((i) => i.path.join('.'))).toEqual(['site']);
    const q = eventSchema.safeParse({ ...base, type: 'quarantine.started', data: { subject: '张三', reason: 'returnee_hubei' } });
    expect(q.error?.issues.map((i) => i.path.join('.'))).toEqual(['data.subject']);
  });
});

describe('contributionsOf', () => {
  const ev = (type: string, data: object, extra: object = {}) => eventSchema.parse({ ...base, ...extra, type, data });
  it('maps each event type to the catalogue metrics, with exact values', () => {
    expect(contributionsOf(ev('screening', { vehicles: 2, people: 7, temperatureChecks: 7 }))).toEqual([
      { metric: 'vehicles_screened', dim: '', value: 2 },
      { metric: 'people_screened', dim: '', value: 7 },
      { metric: 'temperature_checks', dim: '', value: 7 },
    ]);
    expect(contributionsOf(ev('donation', { donorType: 'party_member', item: 'cash', quantity: 140000, unit: 'cny' }))).toEqual([
      { metric: 'donations', dim: 'party_member', value: 1 },
      { metric: 'donated:cash:cny', dim: 'party_member', value: 140000 },
    ]);
    expect(contributionsOf(ev('shift', { staff: 6, partyMembers: 2, militia: 1 }))).toEqual([
      { metric: 'shifts', dim: '', value: 1 },
      { metric: 'staff_on_duty', dim: 'party_member', value: 2 },
      { metric: 'staff_on_duty', dim: 'militia', value: 1 },
      { metric: 'staff_on_duty', dim: 'other', value: 3 },
    ]);
    expect(contributionsOf(ev('quarantine.ended', { subject: 'q-1', outcome: 'released' }))).toEqual([
      { metric: 'quarantine_ended', dim: 'released', value: 1 },
      { metric: 'quarantine_active', dim: '', value: -1 },
    ]);
    expect(contributionsOf(ev('site.registered', { name: 'G107卡点', kind: 'road_checkpoint' }, { site: 'cp-1' }))).toEqual([
      { metric: 'sites_active', dim: 'road_checkpoint', value: 1 },
    ]);
  });
  it('only ever names catalogue metrics', () => {
    const all = [
      ev('turnback', { vehicles: 1, people: 1, reason: 'no pass' }),
      ev('fever', { people: 1, disposition: 'isolated' }),
      ev('sweep', { households: 3, people: 9, returnees: 2, returneesFromHubei: 1 }),
      ev('deployment', { role: 'militia', people: 4 }),
      ev('incident', { kind: 'checkpoint_breach', outcome: 'detained' }),
      ev('resumption', { enterprises: 1, employees: 30 }),
    ].flatMap(contributionsOf);
    for (const c of all) expect(metricCatalogue.has(c.metric)).toBe(true);
    expect(all.filter((c) => c.metric === 'returnees_found')).toEqual([
      { metric: 'returnees_found', dim: 'hubei', value: 1 },
      { metric: 'returnees_found', dim: 'other', value: 1 },
    ]);
  });
});

describe('days', () => {
  it('buckets instants into days of the county time zone and ISO weeks', async () => {
    const { createDayOf, isoWeekOf, daysBetween } = await import('./index.ts');
    const dayOf = createDayOf('Asia/Shanghai');
    expect(dayOf('2020-02-13T23:30:00+08:00')).toBe('2020-02-13');
    expect(dayOf('2020-02-13T16:30:00Z')).toBe('2020-02-14');
    expect(isoWeekOf('2020-02-13')).toBe('2020-W07');
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53');
    expect(isoWeekOf('2019-12-30')).toBe('2020-W01');
    expect(daysBetween('2020-02-27', '2020-03-01')).toEqual(['2020-02-27', '2020-02-28', '2020-02-29', '2020-03-01']);
  });
});
