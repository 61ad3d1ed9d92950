import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openTestClickHouse } from '@cordon/clickhouse/testing';
import { loadRegionRegistry, type RegionRegistry } from '@cordon/regions';
import { silentLogger, type Logger } from '@cordon/ingest';
import type { CordonEventInput, ImportSummary } from '@cordon/schemas';
import { readConfig, type CordonConfig } from '../src/config.ts';
import { startCordon, type CordonRuntime, type Role, type StartOptions } from '../src/runtime.ts';

export const adminKey = 'test-admin-key-please-change';

/** Records every log line, as pino would write it (level, fields and message). */
export function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const record = (level: string) => (obj: object, msg?: string) => void lines.push({ level, ...obj, msg });
  const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  return { logger, lines, requests: () => lines.filter((l) => l['msg'] === 'request') };
}

let registry: Promise<RegionRegistry> | undefined;

/** An all-in-one Cordon on a fresh database and data folder, driven through app.request(). */
export async function startTestCordon(
  options: { roles?: Role[]; kafka?: boolean; config?: Partial<CordonConfig>; bulletins?: StartOptions['bulletins']; logger?: Logger } = {},
) {
  if (options.kafka && !process.env['CORDON_KAFKA_BROKERS']) {
    throw new Error('no test broker: a test on Kafka belongs to the kafka lane, name its file *.kafka.test.ts (README "Tests")');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'cordon-test-'));
  const config: CordonConfig = {
    ...readConfig({}),
    dataDir,
    bootstrapKey: adminKey,
    kafkaBrokers: options.kafka ? (process.env['CORDON_KAFKA_BROKERS'] ?? '').split(',') : null,
    kafkaTopic: `cordon-test-${randomBytes(4).toString('hex')}`,
    ...options.config,
  };
  registry ??= loadRegionRegistry();
  const clickhouse = await openTestClickHouse();
  const runtime = await startCordon(config, {
    roles: options.roles ?? ['ingest', 'consumer', 'query'],
    logger: options.logger ?? silentLogger,
    listen: false,
    clickhouse,
    regions: await registry,
    groupId: `cordon-rollup-${randomBytes(4).toString('hex')}`,
    ...(options.bulletins ? { bulletins: options.bulletins } : {}),
  });
  return new TestClient(runtime, config);
}

export class TestClient {
  constructor(
    readonly runtime: CordonRuntime,
    readonly config: CordonConfig,
  ) {}

  async request(path: string, init: RequestInit & { key?: string | null } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const key = init.key === undefined ? adminKey : init.key;
    if (key !== null) headers.set('authorization', `Bearer ${key}`);
    return this.runtime.app!.request(path, { ...init, headers });
  }

  async send(
    events: unknown,
    options: { key?: string; query?: string; contentType?: string } = {},
  ): Promise<{ status: number; body: ImportSummary & Record<string, unknown> }> {
    const response = await this.request(`/v1/events${options.query ?? ''}`, {
      method: 'POST',
      headers: { 'content-type': options.contentType ?? 'application/json' },
      body: typeof events === 'string' ? events : JSON.stringify(events),
      ...(options.key ? { key: options.key } : {}),
    });
    return { status: response.status, body: (await response.json()) as ImportSummary & Record<string, unknown> };
  }

  async get<T = any>(path: string, key?: string): Promise<{ status: number; body: T; headers: Headers }> {
    const response = await this.request(path, key ? { key } : {});
    return { status: response.status, body: (await response.json()) as T, headers: response.headers };
  }

  /** A new API key made with the admin key (`region` null: the whole registry); its secret and its id (to revoke it). */
  async newKey(name: string, role: string, region: string | null = null): Promise<{ key: string; keyId: string }> {
    const response = await this.request('/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(region === null ? { name, role } : { name, role, region }),
    });
    if (response.status !== 201) throw new Error(`POST /v1/keys answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { key: string; keyId: string };
  }

  /** A new API key with `role`, limited to `region` (made with the admin key); its secret. */
  async createKey(role: string, region: string): Promise<string> {
    return (await this.newKey(`${role}-${region}`, role, region)).key;
  }

  /** Resolves once every acknowledged event is counted. */
  async settled(timeoutMs = 30_000): Promise<void> {
    await this.runtime.settled(timeoutMs);
  }

  async totals(metrics: string[], query = 'region=410184&from=2020-01-01&to=2020-12-31'): Promise<Record<string, number>> {
    await this.settled();
    const { status, body } = await this.get(`/v1/aggregates?metrics=${metrics.join(',')}&${query}`);
    if (status !== 200) throw new Error(`aggregates answered ${status}: ${JSON.stringify(body)}`);
    return body.totals;
  }

  close() {
    return this.runtime.close();
  }
}

/** Records into `sent` the text of every query the Cordon sends to ClickHouse from now on (to see which table answered). */
export function recordQueries(cordon: TestClient, sent: string[] = []): string[] {
  const client = cordon.runtime.clickhouse!.client;
  const query = client.query.bind(client);
  client.query = ((params: { query: string }) => {
    sent.push(params.query);
    return query(params as never);
  }) as typeof client.query;
  return sent;
}

/** Polls a condition instead of sleeping a fixed time. */
export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
) {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'a condition'}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}

let seq = 0;
const runId = randomBytes(4).toString('hex');
/** A fresh UUID v7-shaped id, unique in this test run. */
export function newId(): string {
  seq++;
  return `0190d8a0-${runId.slice(0, 4)}-7${runId.slice(4, 7)}-8000-${seq.toString(16).padStart(12, '0')}`;
}

export function event(type: string, data: object, extra: Partial<CordonEventInput> = {}): CordonEventInput {
  return { id: newId(), type, occurredAt: '2020-02-13T08:00:00+08:00', region: '410184', data, ...extra } as CordonEventInput;
}
