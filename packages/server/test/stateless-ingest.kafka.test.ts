/**
 * Issue 12, item 2: `npm run ingest` on Kafka needs only the brokers. A real
 * ingest process without CORDON_CLICKHOUSE_URL opens no ClickHouse and
 * creates no data folder; a consumer and query API elsewhere (here: in the
 * test process, on chDB) count what it acknowledged, exactly once.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adminKey, event, startTestCordon } from './harness.ts';
import { client, startServer } from './processes.ts';

describe('an ingest process with only Kafka (issue 12, item 2)', () => {
  it('acknowledges events without ClickHouse or a data folder, and the consumer counts each once', async () => {
    const topic = `cordon-stateless-${randomBytes(4).toString('hex')}`;
    const dataDir = join(mkdtempSync(join(tmpdir(), 'cordon-stateless-')), 'never-made');
    const ingest = await startServer(
      {
        CORDON_BOOTSTRAP_KEY: adminKey,
        CORDON_KAFKA_BROKERS: process.env['CORDON_KAFKA_BROKERS']!,
        CORDON_KAFKA_TOPIC: topic,
        CORDON_DATA_DIR: dataDir,
        CORDON_CLICKHOUSE_URL: '',
      },
      'ingest',
    );
    const counting = await startTestCordon({ kafka: true, roles: ['consumer', 'query'], config: { kafkaTopic: topic } });
    try {
      expect(ingest.output()).toMatch(/Cordon ingest listening on \S+ \(log: kafka, ClickHouse: none, data: none\)/);
      const ready = await fetch(`${ingest.url}/v1/ready`);
      expect([ready.status, ((await ready.json()) as { checks: object }).checks]).toEqual([
        200,
        { log: { ok: true, ms: expect.any(Number), detail: 'the brokers answer' } },
      ]);

      const region = '410184003';
      const events = Array.from({ length: 200 }, (_, i) => event('screening', { vehicles: 1, people: i % 5 }, { region }));
      const http = client(ingest.url, adminKey);
      const first = await http.post('/v1/events', events);
      expect([first.status, await first.json()]).toEqual([200, { accepted: 200, duplicates: 0, rejected: 0, errors: [] }]);
      // Sent again to the same process: it remembers what it acknowledged.
      const again = await http.post('/v1/events', events.slice(0, 20));
      expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 20 });

      expect(await counting.totals(['vehicles_screened', 'people_screened'], `region=${region}&from=2020-02-13&to=2020-02-13`)).toEqual({
        vehicles_screened: 200,
        people_screened: 400,
      });
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await counting.close();
      await ingest.stop();
    }
  }, 180_000);
});
