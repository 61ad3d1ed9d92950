import { describe, expect, it } from 'vitest';
import { openTestClickHouse } from '@cordon/clickhouse/testing';
import { describeError, isRowCaused, rowCausedCodes } from '../src/consumer/insert-errors.ts';

describe('ClickHouse insert errors (issue 7: a refused row was retried forever)', () => {
  it('names each row-caused code as the engine does', async () => {
    const ch = await openTestClickHouse();
    const result = await ch.client.query({
      query: 'SELECT code, errorCodeToName(code) AS name FROM (SELECT arrayJoin({codes:Array(UInt32)}) AS code) ORDER BY code',
      query_params: { codes: [...rowCausedCodes.keys()] },
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual([...rowCausedCodes].map(([code, name]) => ({ code, name })));
  });

  it('classifies what chDB raises: a lone surrogate and a constraint are the rows; a missing table is not', async () => {
    const ch = await openTestClickHouse();
    const table = `${ch.database}.t`;
    await ch.client.command({ query: `CREATE TABLE ${table} (s String) ENGINE = MergeTree ORDER BY tuple()` });
    await ch.client.command({ query: `ALTER TABLE ${table} ADD CONSTRAINT c CHECK s != 'poison'` });
    const failure = (values: object[], into = table) =>
      ch.client.insert({ table: into, values, format: 'JSONEachRow' }).then(
        () => undefined,
        (e: unknown) => e,
      );

    const surrogate = await failure([{ s: 'x\ud800' }]);
    expect(isRowCaused(surrogate)).toBe(true);
    expect(describeError(surrogate)).toMatch(/^ClickHouse error 25 CANNOT_PARSE_ESCAPE_SEQUENCE: Cannot parse escape sequence/);
    const constraint = await failure([{ s: 'poison' }]);
    expect(isRowCaused(constraint)).toBe(true);
    expect(describeError(constraint)).toMatch(/^ClickHouse error 469 VIOLATED_CONSTRAINT: Constraint `c` for table/);
    const missing = await failure([{ s: 'fine' }], `${ch.database}.nope`);
    expect(isRowCaused(missing)).toBe(false);
    expect(describeError(missing)).toMatch(/^ClickHouse error 60 UNKNOWN_TABLE: /);
    expect(isRowCaused(new Error('socket hang up'))).toBe(false);
  });

  it("reads the same codes from chDB's raw insert, which the consumer writes through (insertText)", async () => {
    const ch = await openTestClickHouse();
    const table = `${ch.database}.r`;
    await ch.client.command({ query: `CREATE TABLE ${table} (n UInt8, s String) ENGINE = MergeTree ORDER BY tuple()` });
    await ch.client.command({ query: `ALTER TABLE ${table} ADD CONSTRAINT c CHECK s != 'poison'` });
    const failure = (body: string, into = table) =>
      ch.insertText({ table: into, columns: ['n', 's'], format: 'TabSeparated', body: Buffer.from(body), settings: {} }).then(
        () => undefined,
        (e: unknown) => e,
      );

    const constraint = await failure('1\tfine\n2\tpoison\n');
    expect(isRowCaused(constraint)).toBe(true);
    expect(describeError(constraint)).toMatch(/^ClickHouse error 469 VIOLATED_CONSTRAINT: Constraint `c` for table/);
    const unparsable = await failure('1\tfine\nxx\tbad\n');
    expect(isRowCaused(unparsable)).toBe(true);
    expect(describeError(unparsable)).toMatch(/^ClickHouse error 27 CANNOT_PARSE_INPUT_ASSERTION_FAILED: Cannot parse input/);
    const missing = await failure('1\tfine\n', `${ch.database}.nope`);
    expect(isRowCaused(missing)).toBe(false);
    expect(describeError(missing)).toMatch(/^ClickHouse error 60 UNKNOWN_TABLE: /);
    // Nothing of a refused body went in.
    const count = await ch.client.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' });
    expect(await count.json()).toEqual([{ n: 0 }]);
  });
});
