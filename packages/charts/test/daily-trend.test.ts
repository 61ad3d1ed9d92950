import { describe, expect, it } from 'vitest';
import { dailyTrendOption, dayLabel, renderSvg } from '../src/index.ts';
import { parseXml } from './xml.ts';

const screened = {
  name: '排查人员',
  points: [
    { period: '2020-02-11', value: 9000, movingAverage7: 8500.142857 },
    { period: '2020-02-12', value: 9500, movingAverage7: 8700 },
    { period: '2020-02-13', value: 10000, movingAverage7: 8900.5 },
  ],
};
const turnedBack = {
  name: '劝返人员',
  points: [
    { period: '2020-02-11', value: 800, movingAverage7: 790 },
    { period: '2020-02-12', value: 850, movingAverage7: 800.04 },
    { period: '2020-02-13', value: 900, movingAverage7: 810 },
  ],
};

describe('dailyTrendOption', () => {
  it('puts each series as bars and its 7-day average as a line, days in Chinese', () => {
    const option = dailyTrendOption({ series: [screened, turnedBack], unit: '人' });
    expect(option.xAxis).toEqual({ type: 'category', data: ['2月11日', '2月12日', '2月13日'], axisLabel: { fontFamily: expect.stringContaining('Noto Sans CJK SC') } });
    const series = option.series as { type: string; name: string; data: number[] }[];
    expect(series.map((s) => [s.type, s.name, s.data])).toEqual([
      ['bar', '排查人员', [9000, 9500, 10000]],
      ['line', '排查人员（7日平均）', [8500.1, 8700, 8900.5]],
      ['bar', '劝返人员', [800, 850, 900]],
      ['line', '劝返人员（7日平均）', [790, 800, 810]],
    ]);
    expect(option.animation).toBe(false);
    expect((option.yAxis as { name: string }).name).toBe('人');
  });

  it('speaks English and draws lines when asked', () => {
    const option = dailyTrendOption({ series: [{ ...screened, name: 'People screened' }], lang: 'en', daily: 'line' });
    expect((option.xAxis as { data: string[] }).data).toEqual(['Feb 11', 'Feb 12', 'Feb 13']);
    const series = option.series as { type: string; name: string }[];
    expect(series.map((s) => [s.type, s.name])).toEqual([
      ['line', 'People screened'],
      ['line', 'People screened (7-day average)'],
    ]);
  });

  it('has no days and no series for no input', () => {
    const option = dailyTrendOption({ series: [] });
    expect((option.xAxis as { data: string[] }).data).toEqual([]);
    expect(option.series).toEqual([]);
  });

  it('labels days from the string, whatever the time zone', () => {
    expect(dayLabel('2020-01-01', 'zh')).toBe('1月1日');
    expect(dayLabel('2020-12-31', 'en')).toBe('Dec 31');
  });
});

describe('renderSvg', () => {
  const option = dailyTrendOption({ title: '近14日排查与劝返人数', series: [screened, turnedBack], unit: '人' });

  it('gives a well-formed SVG of the given size holding the series names, the title and the days', () => {
    const svg = renderSvg(option, { width: 720, height: 320 });
    const { texts, elements } = parseXml(svg);
    expect(elements[0]).toBe('svg');
    expect(svg).toMatch(/^<svg width="720" height="320" /);
    for (const text of ['近14日排查与劝返人数', '排查人员', '劝返人员（7日平均）', '2月13日', '人']) expect(texts).toContain(text);
    // Three bars of each daily series are drawn as paths.
    expect(elements.filter((e) => e === 'path').length).toBeGreaterThanOrEqual(6);
  });

  it('gives the same bytes for the same option, however many charts were drawn before', () => {
    const first = renderSvg(option, { width: 720, height: 320 });
    renderSvg(dailyTrendOption({ series: [turnedBack] }), { width: 300, height: 200 });
    expect(renderSvg(option, { width: 720, height: 320 })).toBe(first);
    expect(first).not.toMatch(/zr\d+-/);
  });
});
