import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, startTestCordon, type TestClient } from './harness.ts';

/**
 * The event types issue 8 added beyond the contract (supplies issued,
 * publicity, gatherings stopped, disciplinary talks) go through ingest, the
 * log, the consumer and the roll-up like every other type, voids included.
 */
let cordon: TestClient;
beforeAll(async () => {
  cordon = await startTestCordon();
});
afterAll(async () => {
  await cordon.close();
});

describe('the vocabulary beyond the contract', () => {
  it('is counted by the roll-up, per day and in total, and a void takes it back', async () => {
    const at = (day: string) => ({ region: '141127100', occurredAt: `${day}T10:00:00+08:00` });
    const masks = event('supplies.issued', { item: 'masks', quantity: 3000, unit: 'piece' }, at('2020-02-01'));
    const events = [
      masks,
      event('supplies.issued', { item: 'masks', quantity: 4000, unit: 'piece' }, at('2020-02-02')),
      event('supplies.issued', { item: 'masks', quantity: 999, unit: 'piece' }, at('2020-02-02')),
      event('supplies.issued', { item: 'disinfectant', quantity: 30, unit: 'box' }, at('2020-02-02')),
      event('publicity', { kind: 'blackboard', quantity: 20 }, at('2020-02-01')),
      event('publicity', { kind: 'blackboard', quantity: 30 }, at('2020-02-02')),
      event('publicity', { kind: 'banner', quantity: 350 }, at('2020-02-02')),
      event('gathering.stopped', { kind: 'family_ceremony' }, at('2020-02-01')),
      event('gathering.stopped', { kind: 'family_ceremony', people: 30 }, at('2020-02-02')),
      event('discipline.talk', { subject: 'party_organization', count: 3 }, at('2020-02-02')),
      event('discipline.talk', { subject: 'village_leader', count: 10 }, at('2020-02-02')),
      event('discipline.talk', { subject: 'town_cadre', count: 2 }, at('2020-02-02')),
    ];
    const typo = events[2]!;
    const sent = await cordon.send([
      ...events,
      event('void', { target: typo.id, reason: 'typed 999 instead of nothing' }, at('2020-02-03')),
    ]);
    expect(sent.body).toMatchObject({ accepted: 13, rejected: 0 });
    const metrics = [
      'issued:masks:piece',
      'issued:disinfectant:box',
      'publicity:blackboard',
      'publicity:banner',
      'gatherings_stopped',
      'talks_organizations',
      'talks_people',
    ];
    expect(await cordon.totals(metrics, 'region=141127&to=2020-02-10')).toEqual({
      'issued:masks:piece': 7000,
      'issued:disinfectant:box': 30,
      'publicity:blackboard': 50,
      'publicity:banner': 350,
      gatherings_stopped: 2,
      talks_organizations: 3,
      talks_people: 12,
    });
    expect(await cordon.totals(metrics, 'region=141127100&from=2020-02-02&to=2020-02-02')).toEqual({
      'issued:masks:piece': 4000,
      'issued:disinfectant:box': 30,
      'publicity:blackboard': 30,
      'publicity:banner': 350,
      gatherings_stopped: 1,
      talks_organizations: 3,
      talks_people: 12,
    });
    const { body } = await cordon.get('/v1/aggregates?metrics=talks_people&region=141127100&to=2020-02-10&groupBy=dimension');
    expect(body.rows).toEqual([
      { key: { dimension: 'subject', value: 'town_cadre' }, values: { talks_people: 2 } },
      { key: { dimension: 'subject', value: 'village_leader' }, values: { talks_people: 10 } },
    ]);
    // The family selector answers every item and unit in one request.
    const family = await cordon.get('/v1/aggregates?metrics=issued:*&region=141127100&to=2020-02-10');
    expect(Object.entries(family.body.totals as Record<string, number>).filter(([, v]) => v !== 0)).toEqual([
      ['issued:masks:piece', 7000],
      ['issued:disinfectant:box', 30],
    ]);
  });
});
