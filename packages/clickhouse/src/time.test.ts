import { describe, expect, it } from 'vitest';
import { fromClickHouseTime, toClickHouseTime } from './time.ts';

describe('toClickHouseTime', () => {
  it('writes any instant as UTC to the millisecond, the fast path and Date agreeing', () => {
    const instants = [
      '2020-02-13T00:00:00.000Z',
      '2020-02-28T23:59:59.999Z',
      '2020-02-29T12:00:00.000Z',
      '2020-12-31T23:59:59.999Z',
      '2020-02-13T08:00:00+08:00',
      '2020-02-13T08:00:00.5+08:00',
      '2020-02-13T08:00:00Z',
    ];
    for (const instant of instants)
      expect(toClickHouseTime(instant)).toBe(new Date(instant).toISOString().replace('T', ' ').replace('Z', ''));
    expect(toClickHouseTime('2020-02-13T08:00:00+08:00')).toBe('2020-02-13 00:00:00.000');
    expect(toClickHouseTime(new Date(Date.UTC(2020, 1, 13, 1, 2, 3, 4)))).toBe('2020-02-13 01:02:03.004');
  });

  it('throws on what is not an instant, as Date does', () => {
    expect(() => toClickHouseTime('not a time')).toThrow(RangeError);
    expect(() => toClickHouseTime('2020-13-01T00:00:00.000Z')).toThrow(RangeError);
  });

  it('reads back what it wrote', () => {
    expect(fromClickHouseTime(toClickHouseTime('2020-02-13T09:30:00.123Z'))).toBe('2020-02-13T09:30:00.123Z');
  });
});
