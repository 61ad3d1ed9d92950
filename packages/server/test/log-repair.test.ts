/**
 * Issue 7, item 3: a record damaged in the middle of a segment stops the
 * start with a clear error, and `npm run log:repair` salvages every intact
 * record before and after the damage; the server then counts them all and
 * the damaged one is reported by offset. Real processes, real files.
 */
import { mkdtempSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeEnvelope, openEventLog, silentLogger } from '@cordon/ingest';
import type { CordonEvent } from '@cordon/schemas';
import { event } from './harness.ts';
import { client, serverMain, spawnScript, startServer } from './processes.ts';

const key = 'log-repair-admin-key';
const repairScript = join(import.meta.dirname, '../../ingest/scripts/log-repair.ts');
const figure = '/v1/aggregates?metrics=people_screened&region=410184003&from=2020-02-13&to=2020-02-13';

describe('a record damaged mid-segment (issue 7, item 3)', () => {
  it('stops the start with a clear error; log:repair keeps every intact record and names the damaged one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cordon-repair-'));
    const log = await openEventLog({ kafka: null, dataDir, logger: silentLogger });
    const events = Array.from(
      { length: 300 },
      () => event('screening', { vehicles: 0, people: 1 }, { region: '410184003' }) as CordonEvent,
    );
    // Three writes of 100: the damage sits in the middle one, with an intact write after it.
    for (let w = 0; w < 3; w++) {
      await log.append(
        events
          .slice(w * 100, w * 100 + 100)
          .map((e) => ({ key: e.id, value: encodeEnvelope({ v: 1, receivedAt: new Date().toISOString(), event: e }) })),
      );
    }
    await log.close();
    const segments = join(dataDir, 'log', 'segments');
    const [file] = (await readdir(segments)).filter((f) => f.endsWith('.log'));
    const bytes = await readFile(join(segments, file!));
    const damaged = events[150]!;
    const at = bytes.indexOf(damaged.id);
    expect(at).toBeGreaterThan(0);
    bytes[at + 3]! ^= 0x20;
    bytes[at + 4]! ^= 0x20;
    await writeFile(join(segments, file!), bytes);

    const refused = spawnScript(serverMain, ['all'], {
      PORT: '0',
      CORDON_DATA_DIR: dataDir,
      CORDON_BOOTSTRAP_KEY: key,
      CORDON_KAFKA_BROKERS: '',
    });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain('the write starting at record 100 is damaged (crc mismatch)');
    expect(refused.output()).toContain(`npm run log:repair -- ${join(dataDir, 'log')}`);

    const dry = spawnScript(repairScript, [dataDir, '--dry-run'], {});
    expect(await dry.exited).toBe(0);
    expect(dry.output()).toContain('(dry run: nothing changed)');

    const repair = spawnScript(repairScript, [dataDir], {});
    expect(await repair.exited).toBe(0);
    const out = repair.output();
    expect(out).toContain('intact records kept: 299');
    expect(out).toContain('damaged: offset 150 (1 record)');
    const report = JSON.parse(/^REPORT (.*)$/m.exec(out)![1]!) as Record<string, any>;
    expect(report['missing']).toEqual([{ from: '150', to: '150', count: '1', recorded: false }]);
    expect(report['tornRecords']).toBe(0);
    expect(report['rewritten']).toBe(true);

    // A second run finds nothing to repair.
    const again = spawnScript(repairScript, [dataDir], {});
    expect(await again.exited).toBe(0);
    expect(again.output()).toContain('nothing to repair');

    const server = await startServer({ CORDON_DATA_DIR: dataDir, CORDON_BOOTSTRAP_KEY: key });
    const api = client(server.url, key);
    await api.settled();
    // Every intact record before and after the damage is counted: 150 before it, 149 after it.
    expect((await api.get(figure)).body.totals.people_screened).toBe(299);
    // The damaged event is not in the log any more: sent again, it is new, and counted once.
    const resent = (await (await api.post('/v1/events', [damaged])).json()) as { accepted: number; duplicates: number };
    expect(resent).toMatchObject({ accepted: 1, duplicates: 0 });
    await api.settled();
    expect((await api.get(figure)).body.totals.people_screened).toBe(300);
    expect(server.lines().some((l) => l['msg']?.includes?.('stepping over offsets the log lost') && l['firstLost'] === '150')).toBe(true);
    expect(await server.stop()).toBe(0);
  }, 240_000);
});
