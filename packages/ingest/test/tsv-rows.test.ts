import { afterAll, describe, expect, it } from 'vitest';
import { openTestClickHouse } from '@cordon/clickhouse/testing';
import { migrate, serverTextInsert, type ClickHouse } from '@cordon/clickhouse';
import { createDayOf, eventSchema, type CordonEventInput } from '@cordon/schemas';
import { eventRow, retractionRow, type EventRow } from '../src/consumer/rows.ts';
import { tsvLine } from '../src/consumer/tsv.ts';
import { writeRows } from '../src/consumer/write.ts';

/**
 * The consumer sends its rows as TabSeparated lines it builds itself
 * (tsv.ts): every string a sender may write must come back from the engine
 * exactly as sent, and a line must never split into two rows or run into
 * the next. Checked against chDB, the engine the consumer writes to.
 */
const clients: ClickHouse[] = [];
afterAll(async () => {
  await clients[0]?.close();
});

async function freshDatabase(): Promise<ClickHouse> {
  const ch = await openTestClickHouse();
  clients.push(ch);
  await migrate(ch);
  return ch;
}

let seq = 0;
function screening(extra: Partial<CordonEventInput> = {}, data: object = { vehicles: 2, people: 3 }): EventRow {
  seq++;
  const event = eventSchema.parse({
    id: `0190d8a0-0000-7000-8000-${seq.toString(16).padStart(12, '0')}`,
    type: 'screening',
    occurredAt: '2020-02-13T08:00:00+08:00',
    region: '410184001',
    site: 'xz-cp-001',
    data,
    ...extra,
  });
  return eventRow(event, {
    receivedAt: '2020-02-13T09:00:00.000Z',
    partition: 0,
    offset: BigInt(seq),
    dayOf: createDayOf('Asia/Shanghai'),
  });
}

async function storedRows(ch: ClickHouse): Promise<Record<string, unknown>[]> {
  const result = await ch.client.query({
    query: `SELECT id, sign, site, source, data, void_id, region, toString(day) AS day,
                   contributions.metric AS metrics, contributions.dim AS dims, contributions.value AS vals, toString(log_offset) AS log_offset
            FROM ${ch.database}.events ORDER BY id, sign DESC`,
    format: 'JSONEachRow',
  });
  return result.json();
}

// Every character a field could hold that TabSeparated gives a meaning to, and a few it does not.
const awkward = [
  'tab\there',
  'new\nline',
  'carriage\rreturn',
  'back\\slash',
  'ends in a backslash\\',
  "it's quoted",
  '\\N',
  '\\t literally',
  "['a','b']",
  '卡点 "东" 出口',
  '😷 emoji',
  'comma, and ] bracket',
];

describe('TabSeparated lines (the consumer insert)', () => {
  it('ends each line with one newline, escapes what TabSeparated reads specially, and writes a null as \\N', () => {
    const row = { ...screening(), source: 'a\tb\nc\\d' };
    const line = tsvLine(row);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\n\r\0]/);
    expect(line.split('\t')).toHaveLength(17);
    expect(line).toContain('\ta\\tb\\nc\\\\d\t');
    expect(line).toContain('\t\\N\t'); // void_id
    expect(tsvLine(retractionRow(row, '0190d8a0-0000-7000-8000-ffffffffffff', '2020-02-14T09:00:00.000Z'))).toContain(
      '\t0190d8a0-0000-7000-8000-ffffffffffff\t',
    );
  });

  it('refuses a number it cannot write', () => {
    const row = { ...screening(), 'contributions.value': [Number.NaN] };
    expect(() => tsvLine(row)).toThrow(/not a finite number: NaN/);
  });

  // Ingest refuses control characters in sites and sources; the encoder is
  // held to any string all the same, so these rows are made past the schema.
  // Both ways insertText sends a body: chDB's raw insert, and the client's
  // insert a ClickHouse server gets (here into chDB through its connection).
  it.each([
    ['the raw insert', (ch: ClickHouse) => ch],
    ["the client's insert", (ch: ClickHouse) => ({ ...ch, insertText: serverTextInsert(ch.client) })],
  ])('every awkward string comes back from chDB as sent, in sites, sources, data and dimensions (%s)', async (_, through) => {
    const ch = through(await freshDatabase());
    const rows = awkward.flatMap((text) => [
      { ...screening(), site: `site ${text}`, source: text, data: JSON.stringify({ note: text }) },
      // A turn-back reason is a dimension: it travels inside an array, quoted.
      { ...screening({ type: 'turnback' }, { vehicles: 1, people: 1, reason: `reason ${text.replace(/[\t\n\r]/g, ' ')}` }), data: text },
      { ...screening(), 'contributions.dim': ['', text] },
    ]);
    const retraction = retractionRow(rows[0]!, '0190d8a0-0000-7000-8000-ffffffffffff', '2020-02-14T09:00:00.000Z');
    await writeRows(ch, [...rows, retraction]);

    const stored = await storedRows(ch);
    expect(stored).toHaveLength(rows.length + 1);
    const expected = [...rows, retraction]
      .sort((a, b) => a.id.localeCompare(b.id) || b.sign - a.sign)
      .map((row) => ({
        id: row.id,
        sign: row.sign,
        site: row.site,
        source: row.source,
        data: row.data,
        void_id: row.void_id,
        region: row.region,
        day: row.day,
        metrics: row['contributions.metric'],
        dims: row['contributions.dim'],
        vals: row['contributions.value'],
        log_offset: row.log_offset,
      }));
    expect(stored).toEqual(expected);
  });

  it('a dimension with a quote and a backslash reaches the roll-up as the same key', async () => {
    const ch = await freshDatabase();
    const dims = ["it's", 'a\\b', "\\'", '卡点\t1'];
    const rows = dims.map((dim) => ({
      ...screening(),
      'contributions.metric': ['people_turned_back'],
      'contributions.dim': [dim],
      'contributions.value': [2],
    }));
    await writeRows(ch, rows);
    const result = await ch.client.query({
      query: `SELECT dim, sum(value) AS v FROM ${ch.database}.metric_daily GROUP BY dim ORDER BY dim`,
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual([...dims].sort().map((dim) => ({ dim, v: 2 })));
  });
});
