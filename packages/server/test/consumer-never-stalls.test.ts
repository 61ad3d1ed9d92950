import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeEnvelope, readDeadLetters, silentLogger } from '@cordon/ingest';
import { startCordon, type Role } from '../src/runtime.ts';
import { event, startTestCordon, TestClient, waitFor } from './harness.ts';

/**
 * Issue 7, item 1: one event ClickHouse refused (a lone surrogate in
 * `source`) was retried forever and nothing after it was counted, also
 * across restarts. Ingest now refuses such text, so these tests make the
 * engine refuse rows another way: a CHECK constraint on the raw table, which
 * ClickHouse enforces at insert (VIOLATED_CONSTRAINT), exactly as it refused
 * the surrogate (CANNOT_PARSE_ESCAPE_SEQUENCE). Both are row-caused errors.
 */
const open: TestClient[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

async function start(options: Parameters<typeof startTestCordon>[0] = {}) {
  const c = await startTestCordon(options);
  open.push(c);
  return c;
}

/** The same data folder, database and group, as a new process would open them. */
async function restart(old: TestClient, roles: Role[]) {
  await old.runtime.close();
  const runtime = await startCordon(old.config, {
    roles,
    logger: silentLogger,
    listen: false,
    clickhouse: old.runtime.clickhouse!,
    regions: old.runtime.regions,
    groupId: old.runtime.groupId,
  });
  const next = new TestClient(runtime, old.config);
  open.splice(open.indexOf(old), 1, next);
  return next;
}

async function refuseSource(c: TestClient, source: string) {
  const ch = c.runtime.clickhouse!;
  await ch.client.command({
    query: `ALTER TABLE ${ch.database}.events ADD CONSTRAINT refuse_${source.replace(/\W/g, '_')} CHECK source != '${source}'`,
  });
}

const screening = (vehicles: number, extra: object = {}) =>
  event('screening', { vehicles, people: vehicles }, { region: '410184003', ...extra });
const deadLetters = (c: TestClient) => readDeadLetters(join(c.config.dataDir, 'log'));

describe('the consumer never stalls on data (regression: a refused row stalled counting for good)', () => {
  it("bisects a batch ClickHouse refuses, dead-letters the refused event with the engine's error, counts the rest exactly once, and goes on", async () => {
    const c = await start();
    await refuseSource(c, 'poison-row');
    const before = Array.from({ length: 5 }, (_, i) => screening(i + 1)); // 15 vehicles
    const poison = screening(1000, { source: 'poison-row' });
    const after = Array.from({ length: 6 }, (_, i) => screening(10 * (i + 1))); // 210 vehicles
    const { body } = await c.send([...before, poison, ...after]);
    expect(body).toMatchObject({ accepted: 12, rejected: 0 });

    expect(await c.totals(['vehicles_screened'])).toEqual({ vehicles_screened: 225 });
    const letters = await deadLetters(c);
    expect(letters).toHaveLength(1);
    expect(JSON.parse(letters[0]!.value.toString('utf8')).event.id).toBe(poison.id);
    expect(letters[0]!.reason).toMatch(
      /^ClickHouse refused the row: ClickHouse error 469 VIOLATED_CONSTRAINT: Constraint `refuse_poison_row` for table .* is violated/,
    );
    expect(c.runtime.consumer!.stats).toMatchObject({ counted: 11, deadLettered: 1 });

    // Events after it flow, and nothing of the first batch is counted twice.
    await c.send([screening(7), before[0]]);
    expect(await c.totals(['vehicles_screened'])).toEqual({ vehicles_screened: 232 });
    expect(c.runtime.consumer!.health()).toMatchObject({ state: 'ok' });
    expect((await c.get('/v1/status')).body).toMatchObject({ lag: 0, consumer: { state: 'ok' } });
  });

  it('dead-letters a record smuggled into the log with a lone surrogate, and the events around it are counted', async () => {
    const c = await start();
    const good = [screening(3), screening(4)];
    const smuggled = { ...screening(500), source: 'x\ud800' };
    const receivedAt = new Date().toISOString();
    // Straight into the log, past ingest's validation (an older ingest, another producer).
    await c.runtime.log.append(
      [good[0]!, smuggled, good[1]!].map((e) => ({ key: e.id!, value: encodeEnvelope({ v: 1, receivedAt, event: e as never }) })),
    );
    expect(await c.totals(['vehicles_screened'])).toEqual({ vehicles_screened: 7 });
    const letters = await deadLetters(c);
    expect(letters.map((l) => l.reason)).toEqual([
      'not a valid event envelope: event.source: holds a lone surrogate U+D800 at character 1: not Unicode text, it cannot be stored',
    ]);
  });

  it('a refused event written before a restart does not stall the restarted consumer', async () => {
    // No consumer: the events wait in the log, as they did when the old consumer looped on them.
    const c = await start({ roles: ['ingest', 'query'] });
    await refuseSource(c, 'poison-row');
    const batch = [
      screening(1),
      screening(2, { source: 'poison-row' }),
      screening(4),
      screening(8, { source: 'poison-row' }),
      screening(16),
    ];
    expect((await c.send(batch)).body).toMatchObject({ accepted: 5 });
    expect((await c.get('/v1/status')).body).toMatchObject({ lag: 5 });

    const restarted = await restart(c, ['ingest', 'consumer', 'query']);
    expect(await restarted.totals(['vehicles_screened'])).toEqual({ vehicles_screened: 21 });
    const letters = await deadLetters(restarted);
    expect(letters.map((l) => JSON.parse(l.value.toString('utf8')).event.id)).toEqual([batch[1]!.id, batch[3]!.id]);

    // And once more: the committed offset is past them, nothing is counted or dead-lettered again.
    const again = await restart(restarted, ['ingest', 'consumer', 'query']);
    await again.send([screening(32)]);
    expect(await again.totals(['vehicles_screened'])).toEqual({ vehicles_screened: 53 });
    expect(await deadLetters(again)).toHaveLength(2);
  });
});

describe('GET /v1/status says when the consumer is stuck (regression: health said "ok" while nothing was counted)', () => {
  it('retrying, then stuck, while ClickHouse refuses inserts (its raw table detached), then ok, with every event counted once', async () => {
    const c = await start({ config: { stuckAfterMs: 1500 } });
    await c.send([screening(5)]);
    expect(await c.totals(['vehicles_screened'])).toEqual({ vehicles_screened: 5 });
    const ch = c.runtime.clickhouse!;
    await ch.client.command({ query: `DETACH TABLE ${ch.database}.events` });
    try {
      await c.send([screening(6), screening(7)]);
      await waitFor(() => c.runtime.consumerHealth()?.state === 'retrying', { what: 'retrying' });
      const retrying = (await c.get('/v1/status')).body;
      expect(retrying).toMatchObject({ lag: 2, consumer: { state: 'retrying' } });
      expect(retrying.consumer.lastError).toMatch(/^ClickHouse error 60 UNKNOWN_TABLE: .*events/);

      await waitFor(() => c.runtime.consumerHealth()?.state === 'stuck', { what: 'stuck', timeoutMs: 10_000 });
      const stuck = (await c.get('/v1/status')).body;
      expect(stuck).toMatchObject({ lag: 2, consumer: { state: 'stuck' } });
      expect(Date.parse(stuck.consumer.since) - Date.parse(retrying.consumer.since)).toBe(1500);
    } finally {
      await ch.client.command({ query: `ATTACH TABLE ${ch.database}.events` });
    }
    expect(await c.totals(['vehicles_screened'])).toEqual({ vehicles_screened: 18 });
    const ok = (await c.get('/v1/status')).body;
    expect(ok).toMatchObject({ lag: 0, consumer: { state: 'ok' } });
    expect(ok.consumer.lastError).toMatch(/UNKNOWN_TABLE/);
    expect(await deadLetters(c)).toEqual([]);
  });
});
