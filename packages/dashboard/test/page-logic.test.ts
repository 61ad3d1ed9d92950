/** The page's pure parts, as data: figures, the fragment, cards, sorting, chart options. */
import { describe, expect, it } from 'vitest';
import { breakdownOption, trendOption } from '../src/page/chart-options.ts';
import { formatChange, formatDay, formatFigure, formatInstant, formatShare } from '../src/page/format.ts';
import { formatFragment, parseFragment } from '../src/page/fragment.ts';
import { cardsOf, nextLevel, sortRows, type BreakdownRow } from '../src/page/view.ts';
import { failureOf } from '../src/page/load.ts';
import { words } from '../src/page/i18n.ts';
import { CordonNetworkError, CordonTimeoutError, type Schemas } from '@cordon/sdk';
import { metricCatalogue } from '@cordon/schemas';
import { flagFinding } from '../src/page/quality-words.ts';

describe('figures', () => {
  it('groups integers the zh-CN way, exactly, and signs changes with a real minus', () => {
    expect(formatFigure(115814)).toBe('115,814');
    expect(formatFigure(1234567)).toBe('1,234,567');
    expect(formatFigure(27)).toBe('27');
    expect(formatFigure(0)).toBe('0');
    expect(formatFigure(2.857143)).toBe('2.9');
    expect(formatChange(250)).toBe('+250');
    expect(formatChange(-1234)).toBe('−1,234');
    expect(formatChange(0)).toBe('0');
    expect(formatShare(0.15584415584415584)).toBe('15.6%');
    expect(formatShare(null)).toBe('—');
    expect(formatDay('2020-02-13', 'zh')).toBe('2020年2月13日');
    expect(formatDay('2020-02-13', 'en')).toBe('13 Feb 2020');
  });

  it('writes an instant in the county zone, the month by name in English', () => {
    expect(formatInstant('2026-12-02T05:26:46.123Z', 'zh')).toBe('2026/12/02 13:26:46');
    expect(formatInstant('2026-12-02T05:26:46.123Z', 'en')).toBe('2 Dec 2026, 13:26:46');
  });
});

describe('the fragment', () => {
  it('reads the wall-screen link and drops what is malformed', () => {
    expect(parseFragment('#key=ck_abc&region=410184&to=2020-02-13')).toEqual({
      key: 'ck_abc',
      region: '410184',
      from: null,
      to: '2020-02-13',
      metric: null,
      interval: null,
      knownAt: null,
      lang: null,
      refresh: null,
    });
    const bad = parseFragment('#region=4101&to=13.2.2020&interval=month&refresh=0&knownAt=yesterday&lang=fr');
    expect(bad).toMatchObject({ region: null, to: null, interval: null, refresh: null, knownAt: null, lang: null });
  });

  it('writes a view back without a key', () => {
    expect(
      formatFragment({
        region: '410184',
        from: null,
        to: '2020-02-13',
        metric: null,
        interval: 'week',
        knownAt: null,
        lang: null,
        refresh: 2,
      }),
    ).toBe('#region=410184&to=2020-02-13&interval=week&refresh=2');
  });
});

describe('cards and breakdown', () => {
  const answer = (rows: { key: object; values: Record<string, number> }[], totals: Record<string, number>) =>
    ({ metrics: [], region: { code: '410184', name: '新郑市' }, from: null, to: '2020-02-13', asOf: '', rows, totals }) as never;

  it('take the total, the last day and the change against the day before', () => {
    const cards = cardsOf(
      answer([], { people_screened: 184735, fever_cases: 27 }),
      answer(
        [
          { key: { day: '2020-02-12' }, values: { people_screened: 11715, fever_cases: 2 } },
          { key: { day: '2020-02-13' }, values: { people_screened: 11965, fever_cases: 5 } },
        ],
        {},
      ),
      '2020-02-13',
    );
    expect(cards.find((c) => c.metric === 'people_screened')).toEqual({
      metric: 'people_screened',
      total: 184735,
      lastDay: 11965,
      change: 250,
    });
    expect(cards.find((c) => c.metric === 'fever_cases')).toEqual({ metric: 'fever_cases', total: 27, lastDay: 5, change: 3 });
    expect(cards.find((c) => c.metric === 'sites_active')).toEqual({ metric: 'sites_active', total: 0, lastDay: 0, change: 0 });
  });

  it('sort by a column either way, ties by code, names in pinyin order', () => {
    const rows: BreakdownRow[] = [
      { code: '410184109', name: '龙湖镇', own: false, values: { people_screened: 5 } },
      { code: '410184104', name: '梨河镇', own: false, values: { people_screened: 9 } },
      { code: '410184001', name: '新建路街道', own: false, values: { people_screened: 5 } },
    ];
    expect(sortRows(rows, { key: 'people_screened', descending: true }).map((r) => r.code)).toEqual([
      '410184104',
      '410184001',
      '410184109',
    ]);
    expect(sortRows(rows, { key: 'people_screened', descending: false }).map((r) => r.code)).toEqual([
      '410184001',
      '410184109',
      '410184104',
    ]);
    expect(sortRows(rows, { key: 'name', descending: false }).map((r) => r.name)).toEqual(['梨河镇', '龙湖镇', '新建路街道']);
    expect(nextLevel('county')).toBe('town');
    expect(nextLevel('village')).toBeNull();
  });
});

describe('chart options', () => {
  const point = (period: string, value: number, avg: number) => ({
    period,
    start: period,
    end: period,
    value,
    cumulative: 0,
    movingAverage7: avg,
    change: { absolute: 0, relative: null },
  });
  type Series = { name: string; type: string; data: unknown[] };

  it('draw the daily values as bars with the 7-day average as a line, through the shared builder in its screen layout; weekly without the average', () => {
    const daily = trendOption(
      [point('2020-02-12', 10, 8.54), point('2020-02-13', 12, 9)],
      'day',
      { metric: '卡点排查人员', unit: '人' },
      'zh',
    );
    expect((daily.xAxis as { data: string[] }).data).toEqual(['2月12日', '2月13日']);
    expect((daily.series as Series[]).map((s) => [s.name, s.type, s.data])).toEqual([
      ['卡点排查人员', 'bar', [10, 12]],
      ['卡点排查人员（7日平均）', 'line', [8.5, 9]],
    ]);
    expect(daily.animation).toBe(false);
    expect(daily.grid).toEqual({ left: 8, right: 16, top: 50, bottom: 8, containLabel: true });
    expect((daily.yAxis as { name: string }).name).toBe('人');
    const weekly = trendOption([point('2020-W07', 70, 10)], 'week', { metric: 'People screened', unit: 'people' }, 'en');
    expect((weekly.series as Series[]).map((s) => s.type)).toEqual(['bar']);
    expect((weekly.xAxis as { data: string[] }).data).toEqual(['Week 7']);
  });

  it('order the breakdown bars largest on top and keep each region code for the click', () => {
    const option = breakdownOption(
      [
        { code: 'a', name: '甲', value: 3 },
        { code: 'b', name: '乙', value: 9 },
      ],
      '卡点排查人员',
    );
    // ECharts draws a category axis bottom-up: the last item is on top.
    expect((option.yAxis as { data: string[] }).data).toEqual(['甲', '乙']);
    expect((option.series as Series[])[0]!.data).toEqual([
      { value: 3, code: 'a' },
      { value: 9, code: 'b' },
    ]);
  });
});

describe('what the page says when the server does not answer', () => {
  it('tells a refused connection from an answer that did not come in time, in both languages', () => {
    expect(failureOf(new CordonNetworkError('fetch failed', { cause: new TypeError('fetch failed') }))).toEqual({
      kind: 'unreachable',
      slow: false,
    });
    expect(failureOf(new CordonTimeoutError(15_000))).toEqual({ kind: 'unreachable', slow: true });
    expect([words.zh.unreachable, words.zh.slowServer]).toEqual(['无法连接服务器，正在重试…', '服务器响应超时，正在重试…']);
    expect(words.en.slowServer).toBe('The server did not answer in time, retrying…');
  });
});

describe('quality findings', () => {
  // Names as GET /v1/metrics gives them (metricLabel reads only these).
  const catalogue = [...metricCatalogue.values()].map((m) => ({
    name: m.name,
    label: { zh: m.label.zh, en: m.label.en },
  })) as unknown as Schemas['Metric'][];
  const flag = (check: Schemas['QualityFlag']['check'], values: Record<string, number>, metric: string | null = null) => ({
    check,
    metric,
    values,
    detail: 'the API’s English words',
  });

  it("say each check in the page's language from its figures, the larger of a rule's two figures first", () => {
    const fever = flag('fever_exceeds_screened', { fever_cases: 2, people_screened: 0 });
    expect(flagFinding(fever, catalogue, 'zh')).toBe('发热人员（2）多于卡点排查人员（0）');
    expect(flagFinding(fever, catalogue, 'en')).toBe('Fever cases (2) exceed people screened (0)');
    // The order of the figures in the answer does not matter.
    const turnedBack = flag('people_turned_back_exceeds_screened', { people_screened: 1200, people_turned_back: 1350 });
    expect(flagFinding(turnedBack, catalogue, 'zh')).toBe('劝返人员（1,350）多于卡点排查人员（1,200）');
    const outlier = flag('outlier', { value: 5000, median: 1000, baselineDays: 7 }, 'people_screened');
    expect(flagFinding(outlier, catalogue, 'zh')).toBe('卡点排查人员 5,000，此前 7 天的中位数为 1,000（5 倍）');
    expect(flagFinding(outlier, catalogue, 'en')).toBe('People screened 5,000 against a median of 1,000 over the previous 7 days (5×)');
    expect(flagFinding(flag('quarantine_end_without_start', { quarantine_ended: 2 }), catalogue, 'zh')).toBe(
      '2 条解除隔离记录没有对应的开始隔离记录',
    );
    expect(flagFinding(flag('void_outside_scope', { people_screened: 3 }), catalogue, 'en')).toBe(
      'a void outside its key’s region: not applied (dead-lettered)',
    );
  });

  it('keep the API’s words for a check the page does not know', () => {
    const unknown = flag('future_check' as Schemas['QualityFlag']['check'], {});
    expect(flagFinding(unknown, catalogue, 'zh')).toBe('the API’s English words');
  });
});
