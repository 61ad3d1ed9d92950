import { describe, expect, it } from 'vitest';
import { aggregatesQueryErrors, aggregatesQuerySchema, timeseriesQueryErrors, timeseriesQuerySchema } from './api.ts';
import { qualityQueryErrors } from './registry-api.ts';

const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  r.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('aggregates query: breakdowns, top N, knownAt', () => {
  it('parses sort, limit and knownAt, and refuses hostile values by name', () => {
    expect(
      aggregatesQuerySchema.parse({ metrics: 'fever_cases', sort: '-fever_cases', limit: '10', knownAt: '2020-02-13T18:00:00+08:00' }),
    ).toMatchObject({
      sort: '-fever_cases',
      limit: 10,
      knownAt: '2020-02-13T18:00:00+08:00',
    });
    expect(paths(aggregatesQuerySchema.safeParse({ metrics: 'fever_cases', sort: '-drop table' }))).toEqual(['sort']);
    for (const limit of ['-1', '0', '1001', '2.5', 'ten', ''])
      expect(paths(aggregatesQuerySchema.safeParse({ metrics: 'fever_cases', limit }))).toEqual(['limit']);
    for (const knownAt of ['yesterday', '2020-02-13', '1999-12-31T23:59:59Z'])
      expect(paths(aggregatesQuerySchema.safeParse({ metrics: 'fever_cases', knownAt }))).toEqual(['knownAt']);
  });

  it('needs metrics of one shared dimension for groupBy=dimension, and a requested metric to sort by', () => {
    const errors = (metrics: string, extra: object = {}) =>
      aggregatesQueryErrors({ ...aggregatesQuerySchema.parse({ metrics, groupBy: 'dimension', ...extra }) });
    expect(errors('people_turned_back,vehicles_turned_back')).toEqual([]);
    expect(errors('donations,donated:masks:piece')).toEqual([]);
    expect(errors('people_turned_back,fever_cases')).toEqual([
      {
        path: 'groupBy',
        message: 'dimension needs metrics that share one dimension, not people_turned_back by reason; fever_cases by disposition',
      },
    ]);
    expect(errors('people_screened').map((e) => e.path)).toEqual(['groupBy']);
    expect(errors('sites_active').map((e) => e.path)).toEqual(['groupBy']);
    expect(errors('fever_cases', { sort: 'people_screened' }).map((e) => e.path)).toEqual(['sort']);
    expect(errors('fever_cases', { sort: '-key' })).toEqual([]);
  });

  it("checks level against the region's own level and the span of a day list (one style: every cross-field check here)", () => {
    const errors = (extra: object, regionLevel?: 'county' | 'town') =>
      aggregatesQueryErrors({ ...aggregatesQuerySchema.parse({ metrics: 'people_screened', ...extra }), regionLevel }).map(
        (e) => `${e.path}: ${e.message}`,
      );
    expect(errors({ groupBy: 'region', level: 'town' }, 'county')).toEqual([]);
    expect(errors({ groupBy: 'region', level: 'county' }, 'county')).toEqual([]);
    expect(errors({ groupBy: 'region', level: 'city' }, 'county')).toEqual(["level: must be at or below the region's own level (county)"]);
    expect(errors({ groupBy: 'region', level: 'county' }, 'town')).toEqual(["level: must be at or below the region's own level (town)"]);
    expect(errors({ groupBy: 'day', from: '2000-01-01', to: '2010-02-17' })).toEqual([]); // 3700 days apart
    expect(errors({ groupBy: 'week', from: '2000-01-01', to: '2010-02-18' })).toEqual([
      'from: a day or week breakdown spans at most 3700 days',
    ]);
    expect(errors({ groupBy: 'none', from: '2000-01-01', to: '2020-01-01' })).toEqual([]);
  });
});

describe('quality query', () => {
  it('refuses from after to and a span over 92 days', () => {
    expect(qualityQueryErrors({ from: '2020-01-01', to: '2020-04-01' })).toEqual([]); // 92 days inclusive
    expect(qualityQueryErrors({ from: '2020-01-01', to: '2020-04-02' })).toEqual([
      { path: 'from', message: 'from..to spans at most 92 days' },
    ]);
    expect(qualityQueryErrors({ from: '2020-02-02', to: '2020-02-01' })).toEqual([{ path: 'from', message: 'must not be after to' }]);
  });
});

describe('timeseries query', () => {
  it('names the parameter in error', () => {
    expect(paths(timeseriesQuerySchema.safeParse({ metric: "x' OR 1=1" }))).toEqual(['metric']);
    expect(paths(timeseriesQuerySchema.safeParse({ metric: 'fever_cases', interval: 'month' }))).toEqual(['interval']);
    expect(paths(timeseriesQuerySchema.safeParse({ metric: 'fever_cases', dim: 'a\nb' }))).toEqual(['dim']);
    expect(timeseriesQuerySchema.parse({ metric: 'fever_cases' }).interval).toBe('day');
    expect(timeseriesQueryErrors({ metric: 'people_screened', dim: 'x' }).map((e) => e.path)).toEqual(['dim']);
    expect(timeseriesQueryErrors({ metric: 'quarantine_active', dim: 'x' }).map((e) => e.path)).toEqual(['dim']);
    expect(timeseriesQueryErrors({ metric: 'fever_cases', dim: "' --", from: '2020-02-02', to: '2020-02-01' }).map((e) => e.path)).toEqual([
      'from',
    ]);
    expect(timeseriesQueryErrors({ metric: 'fever_cases', from: '2000-01-01', to: '2010-02-18' })).toEqual([
      { path: 'from', message: 'a timeseries spans at most 3700 days' },
    ]);
    expect(timeseriesQueryErrors({ metric: 'fever_cases', from: '2000-01-01', to: '2010-02-18', fromDefaulted: true })[0]?.message).toBe(
      'a timeseries spans at most 3700 days (the data starts earlier; give a from)',
    );
  });
});
