import { describe, expect, it } from 'vitest';
import { contributionsOf, eventSchema, metricCatalogue, type CordonEvent } from './index.ts';

const envelope = { id: '0190d8a0-0000-7000-8000-000000000001', occurredAt: '2020-02-05T10:00:00+08:00', region: '141127100' };
const parse = (type: string, data: object): CordonEvent => eventSchema.parse({ ...envelope, type, data });

describe('the vocabulary beyond the contract (issue 8)', () => {
  it('counts supplies issued per item and unit, apart from donations', () => {
    expect(contributionsOf(parse('supplies.issued', { item: 'masks', quantity: 7000, unit: 'piece', recipient: '各村检测卡口' }))).toEqual([
      { metric: 'issued:masks:piece', dim: '', value: 7000 },
    ]);
    expect(contributionsOf(parse('supplies.issued', { item: 'clothing', quantity: 460, unit: 'set' }))).toEqual([
      { metric: 'issued:clothing:set', dim: '', value: 460 },
    ]);
  });

  it('counts publicity per kind, each in its own unit', () => {
    expect(contributionsOf(parse('publicity', { kind: 'blackboard', quantity: 50 }))).toEqual([
      { metric: 'publicity:blackboard', dim: '', value: 50 },
    ]);
    expect(metricCatalogue.get('publicity:blackboard')).toMatchObject({
      label: { zh: '出黑板报', en: 'Blackboard bulletins' },
      unit: { zh: '期', en: 'issues' },
    });
    expect(metricCatalogue.get('publicity:banner')).toMatchObject({ label: { zh: '悬挂宣传横幅' }, unit: { zh: '条' } });
    expect(metricCatalogue.get('issued:thermometers:piece')).toMatchObject({
      label: { zh: '发放温度计（个）', en: 'Thermometers issued (pieces)' },
      unit: { zh: '个' },
    });
  });

  it('counts a gathering stopped once, by kind', () => {
    expect(contributionsOf(parse('gathering.stopped', { kind: 'family_ceremony', people: 40 }))).toEqual([
      { metric: 'gatherings_stopped', dim: 'family_ceremony', value: 1 },
    ]);
  });

  it('counts talks with organisations and with people apart', () => {
    expect(contributionsOf(parse('discipline.talk', { subject: 'party_organization', count: 3 }))).toEqual([
      { metric: 'talks_organizations', dim: '', value: 3 },
    ]);
    expect(contributionsOf(parse('discipline.talk', { subject: 'village_leader', count: 10 }))).toEqual([
      { metric: 'talks_people', dim: 'village_leader', value: 10 },
    ]);
  });

  it('rejects what the new types do not allow', () => {
    const bad = (type: string, data: object) =>
      eventSchema.safeParse({ ...envelope, type, data }).error?.issues.map((i) => [i.path.join('.'), i.code]);
    expect(bad('supplies.issued', { item: 'masks', quantity: 5, unit: 'cny' })).toEqual([['data.unit', 'invalid_value']]);
    expect(bad('publicity', { kind: 'banner', quantity: 1.5 })).toEqual([['data.quantity', 'invalid_type']]);
    expect(bad('discipline.talk', { subject: 'town_cadre', count: 0 })).toEqual([['data.count', 'too_small']]);
    expect(bad('gathering.stopped', { kind: 'wedding' })).toEqual([['data.kind', 'invalid_value']]);
  });
});
