/**
 * Test helpers around infra/kafka/kafka.sh: where the test broker is, and how
 * to stop and start it again (the "broker down mid-stream" scenarios).
 *
 * The global setup (vitest-global-setup.ts) starts the shared broker and
 * passes its coordinates to the test workers through the environment:
 *   CORDON_KAFKA_BROKERS         bootstrap address, "127.0.0.1:PORT"
 *   CORDON_TEST_KAFKA_PORT       its port        (unset when the broker was given from outside)
 *   CORDON_TEST_KAFKA_DATA_DIR   its data folder (idem)
 *
 * Stopping the shared broker disturbs every test file running at the same
 * time, so a test that takes a broker down should use its own:
 * `startPrivateBroker()` starts one more broker on a free port, in a fresh
 * temporary folder, that only that test knows.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from 'vitest';

// Here rather than in the global setup, so that the root tsconfig (which
// covers the tests but not infra/) sees it through the tests' imports.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap servers of the test broker, comma-separated ("127.0.0.1:PORT"). */
    kafkaBrokers: string;
  }
}

export const kafkaScript = join(dirname(fileURLToPath(import.meta.url)), 'kafka.sh');

/** Where one broker lives: what kafka.sh needs to find it again. */
export interface BrokerPlace {
  port: number;
  dataDir: string;
}

/** Runs `kafka.sh <args>` for the broker at `place`; resolves with its last stdout line. */
export function runKafkaScript(args: string[], place?: BrokerPlace): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (place) {
    env['KAFKA_PORT'] = String(place.port);
    env['KAFKA_DATA_DIR'] = place.dataDir;
  }
  return new Promise((resolve, reject) => {
    execFile('bash', [kafkaScript, ...args], { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`kafka.sh ${args.join(' ')} failed: ${error.message}\n${stderr}`, { cause: error }));
        return;
      }
      const lines = stdout.trim().split('\n');
      resolve(lines[lines.length - 1] ?? '');
    });
  });
}

/** A free TCP port on 127.0.0.1 (free now; a race with other processes is possible but unlikely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The bootstrap servers of the test broker, from CORDON_KAFKA_BROKERS. */
export function testBrokers(): string[] {
  const brokers = process.env['CORDON_KAFKA_BROKERS'];
  if (!brokers) {
    throw new Error(
      'CORDON_KAFKA_BROKERS is not set: only the kafka lane of vitest starts a broker (infra/kafka/vitest-global-setup.ts); name the test file *.kafka.test.ts (README "Tests")',
    );
  }
  return brokers
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
}

/** The shared test broker's place, or undefined when it was given from outside (not ours to stop). */
export function sharedBrokerPlace(): BrokerPlace | undefined {
  const port = process.env['CORDON_TEST_KAFKA_PORT'];
  const dataDir = process.env['CORDON_TEST_KAFKA_DATA_DIR'];
  if (!port || !dataDir) return undefined;
  return { port: Number(port), dataDir };
}

function requireSharedPlace(): BrokerPlace {
  const place = sharedBrokerPlace();
  if (!place) {
    throw new Error('the test broker was not started by the global setup (CORDON_KAFKA_BROKERS given): cannot stop or start it');
  }
  return place;
}

/** Stops the shared test broker, keeping its data. Disturbs every test using it. */
export async function stopBroker(): Promise<void> {
  await runKafkaScript(['down'], requireSharedPlace());
}

/** Starts the shared test broker again on the same port and data; resolves with its bootstrap address. */
export function startBroker(): Promise<string> {
  return runKafkaScript(['up'], requireSharedPlace());
}

/** A broker of one's own: stop and start it at will, destroy it at the end. */
export interface PrivateBroker extends BrokerPlace {
  /** "127.0.0.1:PORT" */
  readonly bootstrap: string;
  stop(): Promise<void>;
  start(): Promise<string>;
  /** Stops it and deletes its data folder. */
  destroy(): Promise<void>;
}

/** Starts one more broker on a free port in a fresh temporary folder. */
export async function startPrivateBroker(): Promise<PrivateBroker> {
  const place: BrokerPlace = {
    port: await freePort(),
    dataDir: await mkdtemp(join(tmpdir(), 'cordon-kafka-')),
  };
  const bootstrap = await runKafkaScript(['up'], place);
  return {
    ...place,
    bootstrap,
    stop: async () => {
      await runKafkaScript(['down'], place);
    },
    start: () => runKafkaScript(['up'], place),
    destroy: async () => {
      await runKafkaScript(['down'], place);
      await rm(place.dataDir, { recursive: true, force: true });
    },
  };
}

/** A cluster of one's own (kafka-cluster.sh): every node a broker and a voter, replication factor 3 from three nodes. */
export interface PrivateCluster {
  /** Bootstrap servers of every node, "127.0.0.1:PORT" each. */
  readonly brokers: string[];
  readonly dataDir: string;
  /** Kills node `node` (1-based) with SIGKILL: no clean shutdown, as in a crash. */
  kill(node: number): Promise<void>;
  /** Starts node `node` again on its port and data. */
  start(node: number): Promise<void>;
  /** Stops every node and deletes the data folder. */
  destroy(): Promise<void>;
}

/** Starts an N-node KRaft cluster on free ports in a fresh temporary folder. */
export async function startPrivateCluster(nodes = 3): Promise<PrivateCluster> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cordon-kafka-cluster-'));
  const ports: number[] = [];
  const controllerPorts: number[] = [];
  while (ports.length < nodes || controllerPorts.length < nodes) {
    const port = await freePort();
    if (ports.includes(port) || controllerPorts.includes(port)) continue;
    (ports.length < nodes ? ports : controllerPorts).push(port);
  }
  const run = (args: string[]) =>
    runCluster(args, { KAFKA_DATA_DIR: dataDir, KAFKA_PORTS: ports.join(','), KAFKA_CONTROLLER_PORTS: controllerPorts.join(',') });
  try {
    await run(['up', '--brokers', String(nodes)]);
  } catch (error) {
    await run(['down']).catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    brokers: ports.map((port) => `127.0.0.1:${port}`),
    dataDir,
    kill: async (node) => {
      const pid = Number((await readFile(join(dataDir, `node-${node}`, 'broker.pid'), 'utf8')).trim());
      process.kill(pid, 'SIGKILL');
      // Gone once its client port refuses connections.
      while (await portTakesConnections(ports[node - 1]!)) await new Promise((resolve) => setTimeout(resolve, 50));
    },
    start: async (node) => {
      await run(['up', '--node', String(node)]);
    },
    destroy: async () => {
      try {
        await run(['down']);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

const clusterScript = join(dirname(fileURLToPath(import.meta.url)), 'kafka-cluster.sh');

function runCluster(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [clusterScript, ...args],
      { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`kafka-cluster.sh ${args.join(' ')} failed: ${error.message}\n${stderr}`, { cause: error }));
          return;
        }
        resolve(stdout.trim());
      },
    );
  });
}

function portTakesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
