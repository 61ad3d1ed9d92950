import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { event, startTestCordon, waitFor, type TestClient } from './harness.ts';

/**
 * Issue 7, item 2, on Kafka: the same consumer check as void-scope.test.ts
 * (embedded log), with the refused void in the dead-letter topic.
 */
const xinyan = '410184003'; // 新烟街道
const lihe = '410184104'; // 梨河镇, its sibling in 新郑市
const turnedBackOn = (c: TestClient, region: string, day: string) =>
  c.totals(['people_turned_back'], `region=${region}&from=${day}&to=${day}`);
const refusalReason = (target: string) =>
  `void outside its key's scope: the target ${target} is an event of region ${xinyan}, outside the sending key's region ${lihe}; not applied`;

describe("on Kafka: a sibling town's early void is not applied and goes to the dead-letter topic", () => {
  let onKafka: TestClient;
  beforeAll(async () => {
    onKafka = await startTestCordon({ kafka: true });
  });
  afterAll(async () => {
    await onKafka.close();
  });

  it('1700 stays 1700; the void is in the dead-letter topic with its reason', async () => {
    const key = (region: string) => onKafka.createKey('ingest', region);
    const ours = event('turnback', { vehicles: 17, people: 1700 }, { region: xinyan });
    const early = event('void', { target: ours.id, reason: '抢先核销' }, { region: lihe });
    expect((await onKafka.send([early], { key: await key(lihe) })).body).toMatchObject({ accepted: 1 });
    await onKafka.settled();
    expect((await onKafka.send([ours], { key: await key(xinyan) })).body).toMatchObject({ accepted: 1 });
    expect(await turnedBackOn(onKafka, xinyan, '2020-02-13')).toEqual({ people_turned_back: 1700 });

    const kafka = new Kafka({ brokers: onKafka.config.kafkaBrokers!, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `dlq-reader-${onKafka.config.kafkaTopic}` });
    await consumer.connect();
    await consumer.subscribe({ topic: `${onKafka.config.kafkaTopic}.dlq`, fromBeginning: true });
    const dead: { key: string; value: string; reason: string }[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        dead.push({
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
          reason: message.headers?.['reason']?.toString() ?? '',
        });
      },
    });
    await waitFor(() => dead.length >= 1, { what: 'the dead-lettered void' });
    await consumer.disconnect();
    expect(dead.map((d) => d.reason)).toEqual([refusalReason(ours.id)]);
    expect(dead[0]!.key).toBe(ours.id);
    expect(JSON.parse(dead[0]!.value)).toMatchObject({ scope: lihe, event: { id: early.id, type: 'void' } });
    expect(
      (await onKafka.get(`/v1/quality?region=${xinyan}&from=2020-02-13&to=2020-02-13`)).body.flags.filter(
        (f: { check: string }) => f.check === 'void_outside_scope',
      ),
    ).toMatchObject([{ values: { people_turned_back: 1700, vehicles_turned_back: 17 }, eventIds: [early.id, ours.id].sort() }]);
  });
});
