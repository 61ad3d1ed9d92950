import { describe, expect, it } from 'vitest';
import { figureSourceOf, knownAtParam, knownCondition, rollupTableFor, sourceSql } from './figure-source.ts';

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

describe('rollupTableFor', () => {
  it('answers from the coarsest roll-up that holds the region and the grouping', () => {
    // A province's figures, by day or by dimension: province_daily (a region cut to 2 digits).
    expect(rollupTableFor({ regionDigits: 2, bySite: false })).toBe('province_daily');
    // A city's, or a province broken down by city: city_daily (4 digits).
    expect(rollupTableFor({ regionDigits: 4, bySite: false })).toBe('city_daily');
    // A county's, or a province or a city broken down by county: county_daily (6 digits).
    expect(rollupTableFor({ regionDigits: 6, bySite: false })).toBe('county_daily');
    // A town, or a county broken down by town.
    expect(rollupTableFor({ regionDigits: 9, bySite: false })).toBe('town_daily');
    // A village, a town broken down by village, anything by site: the roll-up with sites.
    expect(rollupTableFor({ regionDigits: 12, bySite: false })).toBe('metric_daily');
    expect(rollupTableFor({ regionDigits: 6, bySite: true })).toBe('metric_daily');
    // A province's top sites: still by site, so metric_daily however coarse the region.
    expect(rollupTableFor({ regionDigits: 2, bySite: true })).toBe('metric_daily');
    expect(rollupTableFor({ regionDigits: 4, bySite: true })).toBe('metric_daily');
  });

  it('plans a custom region by its code like any other: a custom village or town never reads a coarser table', () => {
    // Custom regions have codes of the public syntax (a village of 12 digits, a town of 9; regions' parseRegionCode),
    // so their prefix is only exact on a table that keeps that many digits.
    expect(rollupTableFor({ regionDigits: '410184001999'.length, bySite: false })).toBe('metric_daily');
    expect(rollupTableFor({ regionDigits: '410184999'.length, bySite: false })).toBe('town_daily');
  });

  it('leaves the raw table alone, and metric_daily where no grain is given', () => {
    expect(sourceSql({ kind: 'rollup' }, '`db`', { regionDigits: 6, bySite: false }).from).toBe('`db`.county_daily');
    expect(sourceSql({ kind: 'rollup' }, '`db`', { regionDigits: 4, bySite: false }).from).toBe('`db`.city_daily');
    expect(sourceSql({ kind: 'rollup' }, '`db`', { regionDigits: 2, bySite: false }).from).toBe('`db`.province_daily');
    expect(sourceSql({ kind: 'raw', knownAt: '2020-02-14T00:00:00.000Z' }, '`db`', { regionDigits: 2, bySite: false }).from).toBe(
      '`db`.events ARRAY JOIN contributions AS c',
    );
    expect(sourceSql({ kind: 'rollup' }, '`db`').from).toBe('`db`.metric_daily');
    expect(sourceSql({ kind: 'raw', knownAt: '2020-02-14T00:00:00.000Z' }, '`db`', { regionDigits: 6, bySite: false }).from).toBe(
      '`db`.events ARRAY JOIN contributions AS c',
    );
  });
});
