/**
 * Vitest global setup: a real Kafka broker for the whole run.
 *
 * CORDON_KAFKA_BROKERS set: that broker is used and never stopped here.
 * Otherwise a single-node KRaft broker is started through kafka.sh on a free
 * port with a fresh data folder, and stopped (and its folder deleted) at the
 * end. Test files reach it through `inject('kafkaBrokers')` or
 * `process.env.CORDON_KAFKA_BROKERS` (the forked workers inherit the
 * environment set here, since the pool starts after the global setup).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// test-broker.ts also declares the `kafkaBrokers` key of vitest's ProvidedContext.
import { freePort, runKafkaScript, type BrokerPlace } from './test-broker.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env['CORDON_KAFKA_BROKERS'];
  if (given) {
    project.provide('kafkaBrokers', given);
    return async () => {};
  }

  const place: BrokerPlace = {
    port: await freePort(),
    dataDir: await mkdtemp(join(tmpdir(), 'cordon-kafka-test-')),
  };
  // If vitest dies without running the teardown, kafka.sh stops the broker
  // once this process is gone (KAFKA_OWNER_PID), so no broker is left behind.
  process.env['KAFKA_OWNER_PID'] = String(process.pid);
  process.env['KAFKA_OWNER_WIPE'] = '1';
  let brokers: string;
  try {
    brokers = await runKafkaScript(['up'], place);
  } catch (error) {
    await runKafkaScript(['down'], place).catch(() => {});
    await rm(place.dataDir, { recursive: true, force: true });
    throw error;
  }
  process.env['CORDON_KAFKA_BROKERS'] = brokers;
  process.env['CORDON_TEST_KAFKA_PORT'] = String(place.port);
  process.env['CORDON_TEST_KAFKA_DATA_DIR'] = place.dataDir;
  project.provide('kafkaBrokers', brokers);

  return async () => {
    try {
      await runKafkaScript(['down'], place);
    } finally {
      await rm(place.dataDir, { recursive: true, force: true });
    }
  };
}
