import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDeadLetters, silentLogger } from '@cordon/ingest';
import { startCordon } from '../src/runtime.ts';
import { event, startTestCordon, TestClient } from './harness.ts';

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
  return cordon.createKey(role, region);
}

const turnedBack = (region: string) => cordon.totals(['people_turned_back'], `region=${region}&from=2020-02-13&to=2020-02-13`);

describe('voids respect region scope (regression: a town key voided a sibling town)', () => {
  it("refuses a void of a counted event outside the key's subtree, per event; the sibling keeps its 1700", async () => {
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
      errors: [
        {
          index: 0,
          id: overreach.id,
          errors: [
            {
              path: 'data.target',
              message: `is an event of region ${lihe}, outside this key's region ${xinyan}: a key may only void events in its own subtree`,
            },
          ],
        },
      ],
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

/**
 * Issue 7, item 2, the consumer side: a void may arrive before its target, so
 * ingest cannot judge it. The log envelope carries the sending key's scope;
 * where the void meets its target the consumer applies it only inside that
 * scope, and dead-letters it (a /v1/quality finding) otherwise.
 */
const deadLetters = (c: TestClient) => readDeadLetters(join(c.config.dataDir, 'log'));
const turnedBackOn = (c: TestClient, region: string, day: string) =>
  c.totals(['people_turned_back'], `region=${region}&from=${day}&to=${day}`);
const refusalReason = (target: string) =>
  `void outside its key's scope: the target ${target} is an event of region ${xinyan}, outside the sending key's region ${lihe}; not applied`;

describe("a void that arrives before its target is applied only inside the sending key's scope", () => {
  const day = '2020-02-14';
  it("a sibling town's early void does not take back the later event: 1700 stays 1700, the void is dead-lettered and flagged in /v1/quality", async () => {
    const xinyanKey = await keyFor('ingest', xinyan);
    const liheKey = await keyFor('ingest', lihe);
    const ours = event('turnback', { vehicles: 17, people: 1700 }, { region: xinyan, occurredAt: `${day}T08:00:00+08:00` });
    const screened = event('screening', { vehicles: 40, people: 2000 }, { region: xinyan, occurredAt: `${day}T08:00:00+08:00` });
    // 梨河镇's key names an id nobody has sent yet: ingest cannot know whose it will be.
    const early = event('void', { target: ours.id, reason: '抢先核销' }, { region: lihe, occurredAt: `${day}T07:00:00+08:00` });
    expect((await cordon.send([early], { key: liheKey })).body).toMatchObject({ accepted: 1, rejected: 0 });
    await cordon.settled();
    expect((await cordon.send([ours, screened], { key: xinyanKey })).body).toMatchObject({ accepted: 2, rejected: 0 });

    expect(await turnedBackOn(cordon, xinyan, day)).toEqual({ people_turned_back: 1700 });
    expect(await turnedBackOn(cordon, '410184', day)).toEqual({ people_turned_back: 1700 });
    const letters = (await deadLetters(cordon)).filter((l) => l.reason.startsWith('void outside'));
    expect(letters.map((l) => l.reason)).toEqual([refusalReason(ours.id)]);
    const envelope = JSON.parse(letters[0]!.value.toString('utf8'));
    expect(envelope).toMatchObject({
      v: 1,
      scope: lihe,
      event: { id: early.id, type: 'void', region: lihe, data: { target: ours.id, reason: '抢先核销' } },
    });
    expect(letters[0]!.key).toBe(ours.id);

    const { status, body } = await cordon.get(`/v1/quality?region=410184&from=${day}&to=${day}`);
    expect(status).toBe(200);
    expect(body.flags).toEqual([
      {
        check: 'void_outside_scope',
        kind: 'dead_letter',
        site: null,
        region: { code: xinyan, name: '新烟街道' },
        day,
        metric: null,
        values: { people_turned_back: 1700, vehicles_turned_back: 17 },
        detail: `a void sent with a key limited to region ${lihe} aimed at this event of region ${xinyan}, outside it: not applied (dead-lettered)`,
        eventIds: [early.id, ours.id].sort(),
      },
    ]);
    // The town's own read key sees the finding about its event.
    const xinyanRead = await keyFor('read', xinyan);
    expect(
      (await cordon.get(`/v1/quality?region=${xinyan}&from=${day}&to=${day}`, xinyanRead)).body.flags.map(
        (f: { check: string }) => f.check,
      ),
    ).toEqual(['void_outside_scope']);

    // The refused void stays refused: sending the target again changes nothing, an in-scope void still applies.
    expect((await cordon.send([ours], { key: xinyanKey })).body).toMatchObject({ accepted: 0, duplicates: 1 });
    const own = event('void', { target: ours.id, reason: '重复' }, { region: xinyan, occurredAt: `${day}T12:00:00+08:00` });
    expect((await cordon.send([own], { key: xinyanKey })).body).toMatchObject({ accepted: 1, rejected: 0 });
    expect(await turnedBackOn(cordon, xinyan, day)).toEqual({ people_turned_back: 0 });
  });

  it("an early void inside the key's scope still takes back its target when it arrives (the town's own key, and the county's)", async () => {
    const day2 = '2020-02-15';
    const xinyanKey = await keyFor('ingest', xinyan);
    const countyKey = await keyFor('ingest', '410184');
    const a = event('turnback', { vehicles: 3, people: 30 }, { region: xinyan, occurredAt: `${day2}T08:00:00+08:00` });
    const b = event('turnback', { vehicles: 5, people: 500 }, { region: lihe, occurredAt: `${day2}T08:00:00+08:00` });
    const kept = event('turnback', { vehicles: 1, people: 7 }, { region: xinyan, occurredAt: `${day2}T08:00:00+08:00` });
    const byTown = event('void', { target: a.id, reason: '重复' }, { region: xinyan, occurredAt: `${day2}T07:00:00+08:00` });
    const byCounty = event('void', { target: b.id, reason: '县级核销' }, { region: '410184', occurredAt: `${day2}T07:00:00+08:00` });
    expect((await cordon.send([byTown], { key: xinyanKey })).body).toMatchObject({ accepted: 1 });
    expect((await cordon.send([byCounty], { key: countyKey })).body).toMatchObject({ accepted: 1 });
    await cordon.settled();
    expect((await cordon.send([a, b, kept])).body).toMatchObject({ accepted: 3 });
    expect(await turnedBackOn(cordon, xinyan, day2)).toEqual({ people_turned_back: 7 });
    expect(await turnedBackOn(cordon, lihe, day2)).toEqual({ people_turned_back: 0 });
    expect((await deadLetters(cordon)).filter((l) => l.reason.startsWith('void outside')).length).toBe(1); // only the previous test's
  });

  it('a target already in the log when the void passes ingest, counted in the same batch: the target counts, the void is dead-lettered', async () => {
    // No consumer yet: ingest cannot see the target counted, so the void passes it; the consumer then meets both at once.
    const day3 = '2020-02-16';
    const waiting = await startTestCordon({ roles: ['ingest', 'query'] });
    const xinyanKey = await waiting.createKey('ingest', xinyan);
    const liheKey = await waiting.createKey('ingest', lihe);
    const theirs = event('turnback', { vehicles: 2, people: 200 }, { region: xinyan, occurredAt: `${day3}T08:00:00+08:00` });
    const overreach = event('void', { target: theirs.id, reason: '错报' }, { region: lihe, occurredAt: `${day3}T09:00:00+08:00` });
    expect((await waiting.send([theirs], { key: xinyanKey })).body).toMatchObject({ accepted: 1 });
    expect((await waiting.send([overreach], { key: liheKey })).body).toMatchObject({ accepted: 1, rejected: 0 });
    await waiting.runtime.close();
    const counting = new TestClient(
      await startCordon(waiting.config, {
        roles: ['ingest', 'consumer', 'query'],
        logger: silentLogger,
        listen: false,
        clickhouse: waiting.runtime.clickhouse!,
        regions: waiting.runtime.regions,
        groupId: waiting.runtime.groupId,
      }),
      waiting.config,
    );
    try {
      expect(await turnedBackOn(counting, xinyan, day3)).toEqual({ people_turned_back: 200 });
      expect((await deadLetters(counting)).map((l) => l.reason)).toEqual([refusalReason(theirs.id)]);
      expect(
        (await counting.get(`/v1/quality?region=${xinyan}&from=${day3}&to=${day3}`)).body.flags.filter(
          (f: { check: string }) => f.check === 'void_outside_scope',
        ),
      ).toMatchObject([{ values: { people_turned_back: 200, vehicles_turned_back: 2 }, eventIds: [overreach.id, theirs.id].sort() }]);
    } finally {
      await counting.close();
    }
  });
});
