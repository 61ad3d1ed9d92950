import { open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { problemType, readyRoute, type ConsumerHealth, type ReadinessChecks } from '@cordon/schemas';
import type { Env } from 'hono';
import { createRouter } from '@cordon/edge';
import type { ClickHouse } from '@cordon/clickhouse';
import type { EventLog } from '@cordon/ingest';

type Check = ReadinessChecks['log'];

export interface ReadinessDeps {
  log: EventLog;
  /** Absent in a stateless ingest process (no ClickHouse): not checked, not listed. */
  clickhouse?: ClickHouse;
  /** The consumer group whose offsets Kafka must be able to answer for. */
  groupId: string;
  /** Absent when this process runs no consumer. */
  consumerHealth?: () => ConsumerHealth;
  /** A check that takes longer fails: a probe must answer in time. Default 2 s. */
  timeoutMs?: number;
}

/**
 * GET /v1/ready. Liveness (/v1/health) says the process runs; readiness says
 * it can do its job now, so a load balancer stops sending events to an
 * instance whose disk is full or whose ClickHouse is gone. Every check runs
 * on every call, at once, each with a time limit; nothing is cached, so it
 * flips back as soon as the cause is gone.
 */
export function createReadinessRoutes(deps: ReadinessDeps) {
  const timeoutMs = deps.timeoutMs ?? 2000;
  const app = createRouter<Env>();
  app.openapi(readyRoute, async (c) => {
    const ch = deps.clickhouse;
    const [log, clickhouse] = await Promise.all([
      timed(() => probeLog(deps), timeoutMs),
      ch ? timed(() => probeClickHouse(ch), timeoutMs) : undefined,
    ]);
    const checks: ReadinessChecks = {
      log,
      ...(clickhouse ? { clickhouse } : {}),
      ...(deps.consumerHealth ? { consumer: consumerCheck(deps.consumerHealth()) } : {}),
    };
    const failed = Object.entries(checks).filter((entry): entry is [string, Check] => entry[1] !== undefined && !entry[1].ok);
    if (failed.length === 0) return c.json({ status: 'ready' as const, checks }, 200);
    const body = {
      type: problemType('unavailable'),
      title: 'Not ready',
      status: 503,
      detail: failed.map(([name, check]) => `${name}: ${check.detail}`).join('; '),
      checks,
    };
    return c.json(body, 503, { 'content-type': 'application/problem+json; charset=utf-8' });
  });
  return app;
}

/**
 * Embedded: a small file written, fdatasynced and removed in the log's own
 * segment folder, the same folder and filesystem the next append and the
 * next segment need (a full disk, a read-only or immutable folder fail it).
 * Kafka: the brokers answer for the group's offsets.
 */
async function probeLog(deps: ReadinessDeps): Promise<string> {
  const { log } = deps;
  if (log.kind === 'kafka') {
    await log.lag(deps.groupId);
    return 'the brokers answer';
  }
  const dir = (log as EventLog & { dir?: string }).dir;
  if (!dir) throw new Error('the embedded log does not say where its folder is');
  const probe = join(dir, 'segments', `.ready-${process.pid}`);
  const file = await open(probe, 'w');
  try {
    await file.write(Buffer.from('ready\n'));
    await file.datasync();
  } finally {
    await file.close();
    await unlink(probe).catch(() => undefined);
  }
  return `${join(dir, 'segments')} takes writes`;
}

async function probeClickHouse(clickhouse: ClickHouse): Promise<string> {
  const result = await clickhouse.client.query({ query: 'SELECT 1 AS one', format: 'JSONEachRow' });
  const rows = await result.json<{ one: number }>();
  if (rows[0]?.one !== 1) throw new Error(`SELECT 1 answered ${JSON.stringify(rows)}`);
  return `${clickhouse.kind} answers`;
}

function consumerCheck(health: ConsumerHealth): Check {
  const since = `since ${health.since}`;
  if (health.state === 'stuck') return { ok: false, ms: 0, detail: `stuck ${since}${health.lastError ? `: ${health.lastError}` : ''}` };
  if (health.state === 'retrying')
    return { ok: true, ms: 0, detail: `retrying ${since}${health.lastError ? `: ${health.lastError}` : ''}` };
  return { ok: true, ms: 0, detail: `ok ${since}` };
}

async function timed(probe: () => Promise<string>, timeoutMs: number): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const detail = await Promise.race([probe(), timeout]);
    return { ok: true, ms: elapsed(started), detail };
  } catch (error) {
    return { ok: false, ms: elapsed(started), detail: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
