import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCHEMA_CLUSTER } from '@cordon/clickhouse';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readConfig } from '../src/config.ts';

/**
 * infra/compose.yaml cannot run here (no Docker engine). What can be checked
 * is checked: it parses, every image is pinned, every Cordon service starts a
 * command the server has with variables its config reader reads and accepts,
 * and the files it mounts exist and agree with each other (brokers, Keeper
 * nodes, ClickHouse replicas, the ingest pool behind nginx).
 */

const infra = fileURLToPath(new URL('../../../infra/', import.meta.url));
const read = (path: string) => readFileSync(`${infra}${path}`, 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  depends_on?: string[];
}
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const named = (prefix: string) => Object.keys(services).filter((n) => new RegExp(`^${prefix}\\d+$`).test(n));

/** What `docker compose` makes of ${VAR:-default} and ${VAR:?message}, with the required ones set. */
function interpolate(value: string | number): string {
  return String(value).replace(
    /\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g,
    (_, name: string, fallback?: string) => fallback ?? `test-value-of-${name}`,
  );
}

/** Every variable name readConfig looks at, found by letting it read an empty environment. */
function variablesReadConfigReads(): Set<string> {
  const seen = new Set<string>();
  readConfig(new Proxy({}, { get: (_, key) => (typeof key === 'string' && seen.add(key), undefined) }));
  // Read only when the cluster is set: ask again with it.
  readConfig(
    new Proxy({ CORDON_CLICKHOUSE_CLUSTER: 'c', CORDON_CLICKHOUSE_URL: 'http://h:8123' } as NodeJS.ProcessEnv, {
      get: (target, key) => (typeof key === 'string' && seen.add(key), Reflect.get(target, key)),
    }),
  );
  return seen;
}

const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['shard', 'replica', 'node', 'server'].includes(name) });

describe('infra/compose.yaml (issue 12)', () => {
  it('pins every image to a version and builds the Cordon services from infra/Dockerfile', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.image, name).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(service.image, name).not.toMatch(/:latest$/);
      if (service.build) {
        expect(service.image).toBe('cordon:local');
        expect(existsSync(`${infra}../${service.build.dockerfile}`)).toBe(true);
      }
    }
    expect(read('Dockerfile')).toMatch(/^FROM node:20-bookworm-slim$/m);
    // The brokers are the release the tests run (infra/kafka/pom.xml), not another.
    const kafkaVersion = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(read('kafka/pom.xml'))![1];
    for (const broker of named('kafka')) expect(services[broker]!.image).toBe(`apache/kafka:${kafkaVersion}`);
  });

  it('starts each Cordon service with a command the server has, and variables its config reader reads and accepts', () => {
    const known = variablesReadConfigReads();
    const rootScripts = (JSON.parse(readFileSync(`${infra}../package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
    const cordonServices = Object.entries(services).filter(([, s]) => s.image === 'cordon:local');
    expect(cordonServices.map(([n]) => n).sort()).toEqual(['consumer', 'ingest1', 'ingest2', 'query-api']);
    for (const [name, service] of cordonServices) {
      const [npm, run, script] = service.command!;
      expect([npm, run], name).toEqual(['npm', 'run']);
      expect(rootScripts[script!], name).toBe(`exec node --import tsx packages/server/src/main.ts ${script}`);
      expect(['ingest', 'consumer', 'query-api'], name).toContain(script);
      const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(v)]));
      for (const variable of Object.keys(env)) expect(known, `${name}: ${variable}`).toContain(variable);
      const config = readConfig(env);
      expect(config.kafkaBrokers, name).toEqual(named('kafka').map((k) => `${k}:9092`));
      expect(config.host, name).toBe('0.0.0.0');
      if (script === 'ingest') expect(config.clickhouseUrl, name).toBeNull();
      else {
        expect(config.clickhouseUrl, name).toMatch(/^http:\/\/cordon:cordon@ch[12]:8123\/cordon$/);
        expect(config.clickhouseCluster, name).toBe(SCHEMA_CLUSTER);
      }
    }
  });

  it('mounts files that exist and agree: Kafka voters, Keeper nodes, ClickHouse replicas, the ingest pool', () => {
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./')) expect(existsSync(`${infra}${source}`), source).toBe(true);
      }
    }
    const brokers = named('kafka');
    expect(brokers).toHaveLength(3);
    for (const [i, broker] of brokers.entries()) {
      const env = services[broker]!.environment!;
      expect(env['KAFKA_NODE_ID']).toBe(i + 1);
      expect(env['KAFKA_CONTROLLER_QUORUM_VOTERS']).toBe(brokers.map((b, j) => `${j + 1}@${b}:9093`).join(','));
      expect(env['KAFKA_MIN_INSYNC_REPLICAS']).toBe(2);
      expect(env['KAFKA_DEFAULT_REPLICATION_FACTOR']).toBe(3);
    }

    for (const file of ['clickhouse/config.d/cluster.xml', 'clickhouse/keeper/keeper.xml'])
      expect(XMLValidator.validate(read(file)), file).toBe(true);
    const cluster = (xml.parse(read('clickhouse/config.d/cluster.xml')) as { clickhouse: Record<string, any> }).clickhouse;
    const keepers = named('keeper');
    expect(keepers).toHaveLength(3);
    expect(cluster['zookeeper'].node.map((n: { host: string }) => n.host)).toEqual(keepers);
    const raft = (xml.parse(read('clickhouse/keeper/keeper.xml')) as { clickhouse: Record<string, any> }).clickhouse['keeper_server']
      .raft_configuration.server;
    expect(raft.map((s: { id: number; hostname: string }) => [s.id, s.hostname])).toEqual(
      keepers.map((k) => [services[k]!.environment!['KEEPER_SERVER_ID'], k]),
    );
    const remote = cluster['remote_servers'][SCHEMA_CLUSTER];
    expect(remote.shard.flatMap((s: { replica: { host: string }[] }) => s.replica.map((r) => r.host))).toEqual(named('ch'));
    for (const ch of named('ch')) expect(services[ch]!.environment!['CLICKHOUSE_REPLICA']).toBe(ch);

    const pool = /upstream cordon_ingest \{([^}]*)\}/.exec(read('nginx/cordon.conf'))![1]!;
    expect([...pool.matchAll(/server (\S+):8787/g)].map((m) => m[1])).toEqual(named('ingest'));
  });
});
