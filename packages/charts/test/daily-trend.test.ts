import { describe, expect, it } from 'vitest';
import { breakdownBarHeight, breakdownBarOption, dailyTrendOption, dayLabel, renderSvg, weekLabel } from '../src/index.ts';
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
    expect(option.xAxis).toEqual({
      type: 'category',
      data: ['2月11日', '2月12日', '2月13日'],
      axisLabel: { fontFamily: expect.stringContaining('Noto Sans CJK SC') },
    });
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

  it('draws ISO weeks as bars alone, labelled by week number', () => {
    const weeks = {
      name: '排查人员',
      points: [
        { period: '2020-W06', value: 63000, movingAverage7: 9000 },
        { period: '2020-W07', value: 66500, movingAverage7: 9500 },
      ],
    };
    const option = dailyTrendOption({ series: [weeks], interval: 'week' });
    expect((option.xAxis as { data: string[] }).data).toEqual(['第6周', '第7周']);
    expect((option.series as { type: string; data: number[] }[]).map((s) => [s.type, s.data])).toEqual([['bar', [63000, 66500]]]);
    expect(weekLabel('2020-W53', 'en')).toBe('Week 53');
  });

  it("fits the axis labels into the grid and puts the legend on top on a screen; the print frame stays the bulletin's", () => {
    const screen = dailyTrendOption({ series: [screened], layout: 'screen' });
    expect(screen.grid).toEqual({ left: 8, right: 16, top: 36, bottom: 8, containLabel: true });
    expect(screen.legend).toMatchObject({ top: 0 });
    expect((screen.xAxis as { axisLabel: object }).axisLabel).toMatchObject({ hideOverlap: true });
    expect((screen.yAxis as { minInterval: number }).minInterval).toBe(1);
    const print = dailyTrendOption({ series: [screened] });
    expect(print.grid).toEqual({ left: 56, right: 24, top: 24, bottom: 64 });
    expect(print.legend).toMatchObject({ bottom: 4 });
  });
});

describe('breakdownBarOption', () => {
  const items = [
    { code: '410184104', name: '梨河镇', value: 24771 },
    { code: '410184109', name: '龙湖镇', value: 38961 },
    { code: '410184001', name: '新建路街道', value: 24771 },
  ];

  it('puts the largest bar on top (ECharts draws categories bottom-up), ties by code, each bar with its figure and its region code', () => {
    const option = breakdownBarOption({ items, name: '卡点排查人员' });
    expect((option.yAxis as { data: string[] }).data).toEqual(['梨河镇', '新建路街道', '龙湖镇']);
    const [bars] = option.series as { name: string; type: string; data: unknown[]; label: { show: boolean } }[];
    expect(bars!.name).toBe('卡点排查人员');
    expect(bars!.data).toEqual([
      { value: 24771, code: '410184104' },
      { value: 24771, code: '410184001' },
      { value: 38961, code: '410184109' },
    ]);
    expect(bars!.label.show).toBe(true);
    expect(option.animation).toBe(false);
  });

  it('gives every region a row of its own', () => {
    expect(breakdownBarHeight(15)).toBe(384);
    expect(breakdownBarHeight(2)).toBe(160);
  });

  it('renders as SVG with every region name and figure', () => {
    const { texts } = parseXml(
      renderSvg(breakdownBarOption({ items, name: '卡点排查人员' }), { width: 480, height: breakdownBarHeight(items.length) }),
    );
    for (const text of ['梨河镇', '龙湖镇', '新建路街道', '24,771', '38,961']) expect(texts).toContain(text);
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
