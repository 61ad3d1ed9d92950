import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, startTestCordon, type TestClient } from './harness.ts';

/** Issue 7, item 2: a town-scoped key voided a sibling town's event (its 1700 became 700). */
let cordon: TestClient;
beforeAll(async () => {
  cordon = await startTestCordon();
});
afterAll(async () => {
  await cordon.close();
});

const xinyan = '410184003'; // 新烟街道
const lihe = '410184104'; // 梨河镇, its sibling in 新郑市

async function keyFor(role: string, region: string): Promise<string> {
  const r = await cordon.request('/v1/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `${role}-${region}`, role, region }) });
  return ((await r.json()) as { key: string }).key;
}

const turnedBack = (region: string) => cordon.totals(['people_turned_back'], `region=${region}&from=2020-02-13&to=2020-02-13`);

describe('voids respect region scope (regression: a town key voided a sibling town)', () => {
  it('refuses a void of a counted event outside the key\'s subtree, per event; the sibling keeps its 1700', async () => {
    const xinyanKey = await keyFor('ingest', xinyan);
    const liheKey = await keyFor('ingest', lihe);
    const theirs = event('turnback', { vehicles: 17, people: 1700 }, { region: lihe });
    const ours = event('turnback', { vehicles: 2, people: 30 }, { region: xinyan });
    expect((await cordon.send([theirs], { key: liheKey })).body).toMatchObject({ accepted: 1 });
    expect((await cordon.send([ours], { key: xinyanKey })).body).toMatchObject({ accepted: 1 });
    await cordon.settled();

    const overreach = event('void', { target: theirs.id, reason: '错报' }, { region: xinyan });
    const own = event('void', { target: ours.id, reason: '重复' }, { region: xinyan });
    const { status, body } = await cordon.send([overreach, own], { key: xinyanKey });
    expect(status).toBe(200);
    expect(body).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: 1,
      errors: [{ index: 0, id: overreach.id, errors: [{ path: 'data.target', message: `is an event of region ${lihe}, outside this key's region ${xinyan}: a key may only void events in its own subtree` }] }],
    });
    expect(await turnedBack(lihe)).toEqual({ people_turned_back: 1700 });
    expect(await turnedBack(xinyan)).toEqual({ people_turned_back: 0 });

    // The county's key (an ancestor of both) may void either; so may the town's own key.
    const countyKey = await keyFor('ingest', '410184');
    const byCounty = event('void', { target: theirs.id, reason: '县级核销' }, { region: '410184' });
    expect((await cordon.send([byCounty], { key: countyKey })).body).toMatchObject({ accepted: 1, rejected: 0 });
    expect(await turnedBack(lihe)).toEqual({ people_turned_back: 0 });
  });
});
