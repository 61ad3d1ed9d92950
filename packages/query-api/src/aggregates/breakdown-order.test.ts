import { describe, expect, it } from 'vitest';
import { orderRows } from './breakdown-order.ts';

const row = (k: string, n: number) => ({ key: { k }, values: { n } });
const rows = [row('a', 3), row('b', 9), row('c', 3), row('d', 0)];
const keys = (r: { key: { k: string } }[]) => r.map((x) => x.key.k);

describe('orderRows', () => {
  it('keeps the natural key order by default and for key; -key reverses it', () => {
    expect(keys(orderRows(rows, undefined, undefined))).toEqual(['a', 'b', 'c', 'd']);
    expect(keys(orderRows(rows, 'key', undefined))).toEqual(['a', 'b', 'c', 'd']);
    expect(keys(orderRows(rows, '-key', 2))).toEqual(['d', 'c']);
  });

  it('sorts by a metric either way, ties in key order, and keeps the first N', () => {
    expect(keys(orderRows(rows, '-n', undefined))).toEqual(['b', 'a', 'c', 'd']);
    expect(keys(orderRows(rows, 'n', undefined))).toEqual(['d', 'a', 'c', 'b']);
    expect(keys(orderRows(rows, '-n', 2))).toEqual(['b', 'a']);
    expect(orderRows(rows, undefined, 1000)).toHaveLength(4);
  });
});
