import { describe, expect, it } from 'vitest';
import { addDays, mondayOf, sundayOf } from '@cordon/schemas';
import { buildPoints } from './timeseries-points.ts';

const deltas = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('buildPoints', () => {
  it('days: value, cumulative from before the window, a 7-day average and change reaching before start', () => {
    const points = buildPoints({
      kind: 'flow',
      interval: 'day',
      start: '2020-02-10',
      end: '2020-02-12',
      windowStart: '2020-02-03',
      before: 100,
      deltas: deltas({ '2020-02-04': 7, '2020-02-09': 4, '2020-02-10': 6, '2020-02-12': 3 }),
    });
    expect(points).toEqual([
      // 7 days ending 02-10: 04..10 → 7 + 4 + 6 = 17
      {
        period: '2020-02-10',
        start: '2020-02-10',
        end: '2020-02-10',
        value: 6,
        cumulative: 117,
        movingAverage7: Math.round((17 / 7) * 1e6) / 1e6,
        change: { absolute: 2, relative: 0.5 },
      },
      // 05..11: 4 + 6 = 10
      {
        period: '2020-02-11',
        start: '2020-02-11',
        end: '2020-02-11',
        value: 0,
        cumulative: 117,
        movingAverage7: Math.round((10 / 7) * 1e6) / 1e6,
        change: { absolute: -6, relative: -1 },
      },
      {
        period: '2020-02-12',
        start: '2020-02-12',
        end: '2020-02-12',
        value: 3,
        cumulative: 120,
        movingAverage7: Math.round((13 / 7) * 1e6) / 1e6,
        change: { absolute: 3, relative: null },
      },
    ]);
  });

  it('weeks: sums of whole ISO weeks, the mean daily value, change against the week before', () => {
    const points = buildPoints({
      kind: 'flow',
      interval: 'week',
      start: '2020-02-10',
      end: '2020-02-23',
      windowStart: '2020-02-03',
      before: 0,
      deltas: deltas({ '2020-02-03': 10, '2020-02-09': 4, '2020-02-10': 7, '2020-02-16': 7, '2020-02-20': 21 }),
    });
    expect(points.map((p) => [p.period, p.start, p.end, p.value, p.cumulative, p.movingAverage7, p.change])).toEqual([
      ['2020-W07', '2020-02-10', '2020-02-16', 14, 28, 2, { absolute: 0, relative: 0 }],
      ['2020-W08', '2020-02-17', '2020-02-23', 21, 49, 3, { absolute: 7, relative: 0.5 }],
    ]);
  });

  it('stock metrics: the level at the end of each period, cumulative equal to it', () => {
    const points = buildPoints({
      kind: 'stock',
      interval: 'day',
      start: '2020-02-10',
      end: '2020-02-11',
      windowStart: '2020-02-03',
      before: 2,
      deltas: deltas({ '2020-02-05': 1, '2020-02-11': -3 }),
    });
    // Daily levels 03..11: 2,2,3,3,3,3,3,3,0
    expect(points).toEqual([
      {
        period: '2020-02-10',
        start: '2020-02-10',
        end: '2020-02-10',
        value: 3,
        cumulative: 3,
        movingAverage7: Math.round((20 / 7) * 1e6) / 1e6,
        change: { absolute: 0, relative: 0 },
      },
      {
        period: '2020-02-11',
        start: '2020-02-11',
        end: '2020-02-11',
        value: 0,
        cumulative: 0,
        movingAverage7: Math.round((18 / 7) * 1e6) / 1e6,
        change: { absolute: -3, relative: -1 },
      },
    ]);
  });
});

describe('days and ISO weeks', () => {
  it('moves days and finds the Monday and Sunday of a week, across months and years', () => {
    expect(addDays('2020-03-01', -1)).toBe('2020-02-29');
    expect(mondayOf('2020-02-13')).toBe('2020-02-10');
    expect(mondayOf('2020-02-10')).toBe('2020-02-10');
    expect(sundayOf('2020-02-16')).toBe('2020-02-16');
    expect(mondayOf('2021-01-01')).toBe('2020-12-28');
    expect(sundayOf('2019-12-30')).toBe('2020-01-05');
  });
});
