import { describe, expect, it } from 'vitest';
import { figureSourceOf, knownAtParam, knownCondition } from './figure-source.ts';

describe('figureSourceOf', () => {
  const position = '2020-02-20T00:00:00.000Z';

  it('reads the roll-up as of the pipeline position without knownAt', () => {
    expect(figureSourceOf(undefined, position)).toEqual({ source: { kind: 'rollup' }, asOf: position });
    expect(knownCondition({ kind: 'rollup' })).toBe('');
  });

  it('reads the raw table as known at knownAt, in UTC, and answers that instant as asOf', () => {
    const { source, asOf } = figureSourceOf('2020-02-14T08:00:00+08:00', position);
    expect(source).toEqual({ kind: 'raw', knownAt: '2020-02-14T00:00:00.000Z' });
    expect(asOf).toBe('2020-02-14T00:00:00.000Z');
    expect(knownAtParam(source)).toBe('2020-02-14 00:00:00.000');
    expect(knownCondition(source)).toContain('{knownAt:');
  });

  it('answers the pipeline position when knownAt is past it', () => {
    expect(figureSourceOf('2100-01-01T00:00:00Z', position).asOf).toBe(position);
  });
});
