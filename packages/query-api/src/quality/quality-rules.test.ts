import { describe, expect, it } from 'vitest';
import { addDays } from '@cordon/schemas';
import { median, outlierFindings, quarantineFindings, ruleFindings, type PlaceDayValue, type QuarantineEvent } from './quality-rules.ts';

const key = '410184003000';
const at = (site: string, day: string, metric: string, value: number): PlaceDayValue => ({
  site,
  placeRegion: site === '' ? key : '',
  regionKey: key,
  day,
  metric,
  value,
});

describe('ruleFindings', () => {
  it('flags a site-day whose turned-back or fever figure exceeds the screened one, inside from..to only', () => {
    const rows = [
      at('a', '2020-02-10', 'people_turned_back', 12),
      at('a', '2020-02-10', 'people_screened', 5),
      at('a', '2020-02-10', 'vehicles_turned_back', 3),
      at('a', '2020-02-10', 'vehicles_screened', 3), // equal is fine
      at('a', '2020-02-10', 'fever_cases', 6),
      at('', '2020-02-10', 'vehicles_turned_back', 1), // nothing screened at the unsited place
      at('a', '2020-02-09', 'people_turned_back', 99),
    ];
    const found = ruleFindings(rows, '2020-02-10', '2020-02-10');
    expect(found.map((f) => [f.site, f.check, f.values])).toEqual([
      ['a', 'people_turned_back_exceeds_screened', { people_turned_back: 12, people_screened: 5 }],
      ['a', 'fever_exceeds_screened', { fever_cases: 6, people_screened: 5 }],
      ['', 'vehicles_turned_back_exceeds_screened', { vehicles_turned_back: 1, vehicles_screened: 0 }],
    ]);
    expect(found[0]?.evidence).toEqual({ metrics: ['people_turned_back', 'people_screened'] });
  });
});

describe('outlierFindings', () => {
  const days = (from: string, n: number) => Array.from({ length: n }, (_, i) => addDays(from, i));

  it('compares with the median of the previous 14 days with data, needs 7 of them and a floor', () => {
    const base = days('2020-02-01', 14).map((d, i) => at('a', d, 'people_screened', 100 + (i % 3)));
    const rows = [
      ...base,
      at('a', '2020-02-15', 'people_screened', 400),
      at('a', '2020-02-16', 'people_screened', 303),
      at('a', '2020-02-17', 'people_screened', 20),
    ];
    const found = outlierFindings(rows, '2020-02-15', '2020-02-17');
    // Baselines: 2-15 has the 14 days of 100..102 (median 101); 2-16 adds 400 and drops 2-01; 2-17 likewise.
    expect(found.map((f) => [f.day, f.values])).toEqual([
      ['2020-02-15', { value: 400, median: 101, baselineDays: 14 }],
      ['2020-02-17', { value: 20, median: 101, baselineDays: 14 }],
    ]);
  });

  it('does not judge without 7 baseline days in the last 60, nor below the floor', () => {
    const sparse = [
      ...days('2020-02-01', 6).map((d) => at('a', d, 'people_screened', 100)),
      at('a', '2020-02-10', 'people_screened', 1000),
    ];
    expect(outlierFindings(sparse, '2020-02-10', '2020-02-10')).toEqual([]);
    const old = [...days('2019-11-01', 10).map((d) => at('a', d, 'people_screened', 100)), at('a', '2020-02-10', 'people_screened', 1000)];
    expect(outlierFindings(old, '2020-02-10', '2020-02-10')).toEqual([]);
    const small = [...days('2020-02-01', 8).map((d) => at('a', d, 'fever_cases', 1)), at('a', '2020-02-09', 'fever_cases', 3)];
    expect(outlierFindings(small, '2020-02-09', '2020-02-09')).toEqual([]); // 3 > 3×1 is false
    const fever = [...small.slice(0, 8), at('a', '2020-02-09', 'fever_cases', 4)];
    expect(outlierFindings(fever, '2020-02-09', '2020-02-09').map((f) => f.values)).toEqual([{ value: 4, median: 1, baselineDays: 8 }]);
  });

  it('median of an even count is the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5])).toBe(5);
  });
});

describe('quarantineFindings', () => {
  let n = 0;
  const q = (type: QuarantineEvent['type'], subject: string, occurredAt: string, site = 's'): QuarantineEvent => ({
    id: `q-${String(++n).padStart(3, '0')}`,
    type,
    subject,
    occurredAt,
    day: occurredAt.slice(0, 10),
    site,
    regionKey: key,
  });

  it('flags an end with no open quarantine of its subject: none started, started later, or already ended', () => {
    const events = [
      q('quarantine.started', 'x', '2020-02-01T08:00:00+08:00'),
      q('quarantine.ended', 'x', '2020-02-10T08:00:00+08:00'),
      q('quarantine.ended', 'x', '2020-02-11T08:00:00+08:00'), // a second end
      q('quarantine.ended', 'y', '2020-02-10T09:00:00+08:00'), // never started
      q('quarantine.started', 'z', '2020-02-12T08:00:00+08:00'),
      q('quarantine.ended', 'z', '2020-02-11T08:00:00+08:00'), // ended before it started
      q('quarantine.started', 'w', '2020-02-10T08:00:00+08:00'),
      q('quarantine.ended', 'w', '2020-02-10T08:00:00+08:00'), // same instant: matched
      q('quarantine.ended', 'v', '2020-02-20T08:00:00+08:00'), // outside from..to
    ];
    const found = quarantineFindings(events, '2020-02-01', '2020-02-15');
    expect(found.map((f) => [f.day, f.values, f.evidence])).toEqual([
      ['2020-02-10', { quarantine_ended: 1 }, { eventIds: [events[3]!.id] }],
      ['2020-02-11', { quarantine_ended: 2 }, { eventIds: [events[2]!.id, events[5]!.id].sort() }],
    ]);
  });
});
