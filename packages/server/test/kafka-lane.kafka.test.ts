import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startPrivateBroker, type PrivateBroker } from '@cordon/infra/kafka';
import { event, startTestCordon, waitFor, type TestClient } from './harness.ts';

/**
 * The same server on a real Kafka broker (started by the test setup):
 * ingest writes with acks=all, the roll-up consumer commits offsets only
 * after ClickHouse has the rows.
 */
describe('on Kafka', () => {
  let cordon: TestClient;
  beforeAll(async () => {
    cordon = await startTestCordon({ kafka: true });
  });
  afterAll(async () => {
    await cordon.close();
  });

  it('counts what was sent, exactly, and says the log is Kafka', async () => {
    const region = '410184003';
    const events = Array.from({ length: 300 }, (_, i) => event('turnback', { vehicles: 1, people: i % 4 }, { region }));
    expect((await cordon.send(events)).body).toMatchObject({ accepted: 300, duplicates: 0 });
    expect((await cordon.send(events.slice(0, 10))).body).toMatchObject({ accepted: 0, duplicates: 10 });
    expect(await cordon.totals(['vehicles_turned_back', 'people_turned_back'], `region=${region}&from=2020-02-13&to=2020-02-13`)).toEqual({
      vehicles_turned_back: 300,
      people_turned_back: 450,
    });
    expect((await cordon.get('/v1/status')).body).toMatchObject({ lag: 0, log: 'kafka' });
  });

  it('sends a message it cannot decode to the dead-letter topic, and the partition keeps flowing', async () => {
    const region = '410184104';
    const kafka = new Kafka({ brokers: cordon.config.kafkaBrokers!, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const before = event('fever', { people: 2, disposition: 'isolated' }, { region });
    const after = event('fever', { people: 3, disposition: 'referred' }, { region });
    expect((await cordon.send([before])).body.accepted).toBe(1);
    // Same key, so the same partition as `after`: a stuck poison message would block it.
    await producer.send({
      topic: cordon.config.kafkaTopic,
      messages: [
        { key: after.id, value: '{"v":1,"event":"garbage' },
        { key: after.id, value: JSON.stringify({ v: 1, receivedAt: new Date().toISOString(), event: { type: 'screening' } }) },
      ],
    });
    expect((await cordon.send([after])).body.accepted).toBe(1);
    expect(await cordon.totals(['fever_cases'], `region=${region}&from=2020-02-13&to=2020-02-13`)).toEqual({ fever_cases: 5 });

    const consumer = kafka.consumer({ groupId: `dlq-reader-${cordon.config.kafkaTopic}` });
    await consumer.connect();
    await consumer.subscribe({ topic: `${cordon.config.kafkaTopic}.dlq`, fromBeginning: true });
    const dead: { value: string; reason: string }[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        dead.push({ value: message.value?.toString() ?? '', reason: message.headers?.['reason']?.toString() ?? '' });
      },
    });
    await waitFor(() => dead.length >= 2, { what: 'two dead letters' });
    expect(dead.map((d) => d.reason.split(':')[0])).toEqual(['not JSON', 'not a valid event envelope']);
    expect(dead[0]?.value).toBe('{"v":1,"event":"garbage');
    await consumer.disconnect();
    await producer.disconnect();
  });
});

describe('the broker stopped mid-stream', () => {
  let broker: PrivateBroker;
  let cordon: TestClient;
  beforeAll(async () => {
    broker = await startPrivateBroker();
    cordon = await startTestCordon({ kafka: true, config: { kafkaBrokers: [broker.bootstrap] } });
  });
  afterAll(async () => {
    await cordon?.close();
    await broker?.destroy();
  });

  it('ingest answers 503 with Retry-After, recovers when the broker is back, and counts every acknowledged event once', async () => {
    const region = '410184107';
    const acked: ReturnType<typeof event>[] = [];
    const unacked: ReturnType<typeof event>[] = [];
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    let sending = true;
    const sender = (async () => {
      while (sending) {
        const batch = Array.from({ length: 20 }, () => event('screening', { vehicles: 1, people: 1 }, { region }));
        const response = await cordon.request('/v1/events', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(batch),
        });
        statuses.push(response.status);
        (response.status === 200 ? acked : unacked).push(...batch);
        if (response.status === 503) {
          retryAfter = response.headers.get('retry-after');
          expect(response.headers.get('content-type')).toMatch(/problem\+json/);
        }
        await response.arrayBuffer();
      }
    })();
    await waitFor(() => acked.length >= 200, { what: 'events acknowledged before the stop' });
    await broker.stop();
    await waitFor(() => statuses.includes(503), { timeoutMs: 60_000, what: 'a 503 while the broker is down' });
    expect(retryAfter).toBe('5');
    const ackedWhileDown = acked.length;
    await broker.start();
    await waitFor(() => acked.length >= ackedWhileDown + 200, { timeoutMs: 120_000, what: 'ingest to recover' });
    sending = false;
    await sender;

    await cordon.settled(120_000);
    const totals = await cordon.totals(['people_screened'], `region=${region}&from=2020-02-13&to=2020-02-13`);
    // Every acknowledged event is counted: sent again, each is a duplicate.
    let duplicates = 0;
    for (let i = 0; i < acked.length; i += 5000)
      duplicates += (await cordon.send(acked.slice(i, i + 5000), { query: '?dryRun=true' })).body.duplicates;
    expect(duplicates).toBe(acked.length);
    // A request answered 503 may still have reached the broker (its ack was
    // lost); those events count once too, and nothing else does.
    let durableUnacked = 0;
    for (let i = 0; i < unacked.length; i += 5000)
      durableUnacked += (await cordon.send(unacked.slice(i, i + 5000), { query: '?dryRun=true' })).body.duplicates;
    expect(totals['people_screened']).toBe(acked.length + durableUnacked);
  });
});
