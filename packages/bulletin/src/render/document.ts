import { headlineMetrics, type BulletinFigures, type BulletinLang, type Localized, type MetricFigure } from '../figures.ts';
import { instantInZone, longDay, number, shortDay, words } from './words.ts';

/**
 * A bulletin as a list of blocks, built once from the figures and written
 * out as Markdown and as HTML, so the two never say different things.
 */
export type Block =
  | { kind: 'title'; text: string }
  | { kind: 'meta'; parts: string[] }
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][]; numeric: boolean[] }
  | { kind: 'chart'; title: string };

interface Section {
  title: Localized;
  /** Metric names, or a family prefix (`donated:`) for every metric of it the figures hold. */
  metrics: readonly string[];
  family?: string;
}

/** The sections printed where the region has such data, in this order. */
const sections: readonly Section[] = [
  { title: { zh: '居家隔离', en: 'Home quarantine' }, metrics: ['quarantine_active', 'quarantine_started', 'quarantine_ended'] },
  { title: { zh: '入户排查', en: 'Door-to-door sweeps' }, metrics: ['households_swept', 'people_swept', 'returnees_found'] },
  { title: { zh: '卡点值守', en: 'Sites and staff on duty' }, metrics: ['sites_active', 'staff_on_duty', 'shifts'] },
  { title: { zh: '人员下沉', en: 'People deployed' }, metrics: ['people_deployed'] },
  { title: { zh: '物资发放', en: 'Supplies issued' }, metrics: [], family: 'issued:' },
  { title: { zh: '宣传发动', en: 'Publicity' }, metrics: [], family: 'publicity:' },
  { title: { zh: '聚集性活动管控', en: 'Gatherings stopped' }, metrics: ['gatherings_stopped'] },
  { title: { zh: '督查约谈', en: 'Disciplinary talks' }, metrics: ['talks_organizations', 'talks_people'] },
  { title: { zh: '违规事件', en: 'Incidents' }, metrics: ['incidents'] },
  { title: { zh: '社会捐赠', en: 'Donations received' }, metrics: ['donations'], family: 'donated:' },
];

const stockMetrics = new Set(['quarantine_active', 'sites_active']);
/** Sites named in the text before 等N个. */
const maxNamed = 20;

export function bulletinDocument(f: BulletinFigures, lang: BulletinLang): Block[] {
  const w = words[lang];
  const zh = lang === 'zh';
  const label = (m: string) => f.catalogue[m]?.label[lang] ?? m;
  const unit = (m: string) => f.catalogue[m]?.unit[lang] ?? '';
  const value = (v: number | null) => (v === null ? w.noData : number(v, lang));
  const withUnit = (m: string, v: number | null) =>
    v === null ? w.noData : zh ? `${number(v, lang)}${unit(m)}` : `${number(v, lang)} ${unit(m)}`;
  const change = (fig: MetricFigure) => {
    if (fig.day === null || fig.previous === null) return w.noData;
    const d = fig.day - fig.previous;
    return d > 0 ? `+${number(d, lang)}` : d < 0 ? `−${number(-d, lang)}` : '0';
  };
  // donated:* and issued:* labels carry their unit already (口罩（个）).
  const named = (m: string, extra = '') => {
    const l = label(m);
    const u = unit(m);
    if (zh) return l.endsWith(`（${u}）`) ? (extra ? `${l.slice(0, -1)}，${extra}）` : l) : `${l}（${u}${extra ? `，${extra}` : ''}）`;
    return l.endsWith(`(${u})`) ? (extra ? `${l.slice(0, -1)}, ${extra})` : l) : `${l} (${u}${extra ? `, ${extra}` : ''})`;
  };
  const fig = (m: string): MetricFigure => f.metrics[m] ?? { day: null, previous: null, cumulative: null };
  const heading = (() => {
    let n = 0;
    return (text: string) => ({ kind: 'heading' as const, text: zh ? `${w.sections[n++]}、${text}` : `${w.sections[n++]}. ${text}` });
  })();

  const blocks: Block[] = [
    { kind: 'title', text: w.title(f.region.name) },
    {
      kind: 'meta',
      parts: zh
        ? [w.issue(f.issue), `统计日：${longDay(f.date, lang)}（0时至24时）`, `数据截至${instantInZone(f.asOf, f.timeZone, lang)}`]
        : [
            w.issue(f.issue),
            `Reporting day: ${longDay(f.date, lang)} (00:00–24:00)`,
            `Data as of ${instantInZone(f.asOf, f.timeZone, lang)}`,
          ],
    },
  ];

  // 一、总体情况: the headline sentence, the day's own figures, the change.
  const [vs, ps, vt, pt, fc] = headlineMetrics.map((m) => fig(m));
  const cum = (m: (typeof headlineMetrics)[number], x: MetricFigure | undefined) => withUnit(m, x?.cumulative ?? null);
  const today = (m: (typeof headlineMetrics)[number], x: MetricFigure | undefined) => withUnit(m, x?.day ?? null);
  blocks.push(heading(zh ? '总体情况' : 'Overview'));
  const noHeadline = [vs, ps, vt, pt, fc].every((x) => x?.cumulative === null);
  if (noHeadline) {
    blocks.push({
      kind: 'paragraph',
      text: zh
        ? `截至${shortDay(f.date, lang)}，本地区无卡点排查、劝返和发热人员数据。`
        : `Up to ${shortDay(f.date, lang)}, this region has no screening, turn-back or fever data.`,
    });
  } else
    blocks.push({
      kind: 'paragraph',
      text: zh
        ? `截至${shortDay(f.date, lang)}，累计排查车辆${cum('vehicles_screened', vs)}、${cum('people_screened', ps)}，劝返车辆${cum('vehicles_turned_back', vt)}、${cum('people_turned_back', pt)}，发现发热人员${cum('fever_cases', fc)}。`
        : `Up to ${shortDay(f.date, lang)}, ${cum('vehicles_screened', vs)} and ${cum('people_screened', ps)} were screened in total, ${cum('vehicles_turned_back', vt)} and ${cum('people_turned_back', pt)} were turned back, and ${cum('fever_cases', fc)} with fever were found.`,
    });
  if (!noHeadline)
    blocks.push({
      kind: 'paragraph',
      text: zh
        ? `${shortDay(f.date, lang)}当日排查车辆${today('vehicles_screened', vs)}、${today('people_screened', ps)}，劝返车辆${today('vehicles_turned_back', vt)}、${today('people_turned_back', pt)}，发现发热人员${today('fever_cases', fc)}。`
        : `On ${shortDay(f.date, lang)} itself, ${today('vehicles_screened', vs)} and ${today('people_screened', ps)} were screened, ${today('vehicles_turned_back', vt)} and ${today('people_turned_back', pt)} were turned back, and ${today('fever_cases', fc)} with fever were found.`,
    });
  blocks.push({
    kind: 'table',
    head: zh ? ['指标', '当日', '前一日', '较前一日', '累计'] : ['Figure', 'Day', 'Day before', 'Change', 'Total'],
    numeric: [false, true, true, true, true],
    rows: headlineMetrics.map((m) => {
      const x = fig(m);
      return [named(m), value(x.day), value(x.previous), change(x), value(x.cumulative)];
    }),
  });

  // 二、分乡镇（街道）情况.
  if (f.subregions && f.subregions.rows.length > 0) {
    const levelName = w.levels[f.subregions.level] ?? f.subregions.level;
    blocks.push(heading(zh ? `分${levelName}情况` : `By ${levelName.toLowerCase()}`));
    blocks.push({
      kind: 'table',
      head: [
        levelName,
        ...headlineMetrics.flatMap((m) => (zh ? [`${label(m)}当日`, `${label(m)}累计`] : [`${label(m)}, day`, `${label(m)}, total`])),
      ],
      numeric: [false, ...headlineMetrics.flatMap(() => [true, true])],
      // Events sent for the region itself (not a town of it) get a row of their own, last: 新郑市本级.
      rows: [
        ...f.subregions.rows.filter((r) => r.code !== f.region.code),
        ...f.subregions.rows.filter((r) => r.code === f.region.code),
      ].map((r) => [
        r.code === f.region.code ? (zh ? `${f.region.name}本级` : `${f.region.name} itself`) : r.name,
        ...headlineMetrics.flatMap((m) => [value(r.values[m].day), value(r.values[m].cumulative)]),
      ]),
    });
  }

  // Sections where the region has such data; the others are named once at the end.
  const empty: string[] = [];
  for (const s of sections) {
    const names = [...s.metrics, ...(s.family ? Object.keys(f.metrics).filter((m) => m.startsWith(s.family!)) : [])];
    if (!names.some((m) => f.metrics[m] && f.metrics[m].cumulative !== null)) {
      empty.push(s.title[lang]);
      continue;
    }
    blocks.push(heading(s.title[lang]));
    blocks.push({
      kind: 'table',
      head: zh ? ['指标', '当日', '较前一日', '累计'] : ['Figure', 'Day', 'Change', 'Total'],
      numeric: [false, true, true, true],
      rows: names.map((m) => {
        const x = fig(m);
        // A level (people in quarantine, sites in service) has no running total: the day's figure is the level.
        const stock = stockMetrics.has(m);
        return [named(m, stock ? (zh ? '日末' : 'end of day') : ''), value(x.day), change(x), stock ? '—' : value(x.cumulative)];
      }),
    });
  }

  // Reporting completeness: in service, reported (零报告 among them), did not report.
  const c = f.completeness;
  const siteName = (s: { name: string; region: { name: string } }) =>
    zh ? `${s.name}（${s.region.name}）` : `${s.name} (${s.region.name})`;
  blocks.push(heading(zh ? '报送情况' : 'Reporting'));
  blocks.push({
    kind: 'paragraph',
    text:
      c.inService === 0
        ? zh
          ? '当日无在用卡点（站点）。'
          : 'No site was in service that day.'
        : zh
          ? `当日在用卡点（站点）${c.inService}个，已报送${c.reporting}个（其中零报告${c.zeroReports.length}个），未报送${c.notReporting.length}个。`
          : `${number(c.inService, lang)} sites were in service; ${number(c.reporting, lang)} reported (${number(c.zeroReports.length, lang)} of them zero reports), ${number(c.notReporting.length, lang)} did not report.`,
  });
  if (c.zeroReports.length > 0)
    blocks.push({
      kind: 'paragraph',
      text: `${zh ? '零报告：' : 'Zero reports: '}${c.zeroReports.map(siteName).join(zh ? '、' : ', ')}${zh ? '。' : '.'}`,
    });
  if (c.notReporting.length > 0) {
    // The JSON lists them all; the text names the first ones, so 129 silent sites do not bury the bulletin.
    const shown = c.notReporting
      .slice(0, maxNamed)
      .map(siteName)
      .join(zh ? '、' : ', ');
    const more =
      c.notReporting.length > maxNamed ? (zh ? `等${c.notReporting.length}个` : `, and ${c.notReporting.length - maxNamed} more`) : '';
    blocks.push({ kind: 'paragraph', text: `${zh ? '未报送：' : 'Did not report: '}${shown}${more}${zh ? '。' : '.'}` });
  }

  // Data-quality warnings of the day (GET /v1/quality).
  blocks.push(heading(zh ? '数据质量提示' : 'Data-quality warnings'));
  if (f.quality.length === 0) blocks.push({ kind: 'paragraph', text: zh ? '无。' : 'None.' });
  else
    blocks.push({
      kind: 'list',
      items: f.quality.map(
        (q) =>
          `${q.site ?? q.region.name}${zh ? '：' : ': '}${checkWords[q.check]?.[lang] ?? q.check}${zh ? `（${q.detail}）` : ` (${q.detail})`}`,
      ),
    });

  // The 14-day chart.
  const chartTitle = zh ? '近14日排查与劝返人数' : 'People screened and turned back, last 14 days';
  blocks.push(heading(chartTitle));
  blocks.push({ kind: 'chart', title: chartTitle });

  if (empty.length > 0)
    blocks.push({
      kind: 'paragraph',
      text: zh ? `本地区以下事项无数据：${empty.join('、')}。` : `No data in this region for: ${empty.join(', ')}.`,
    });
  return blocks;
}

const checkWords: Record<string, Localized> = {
  people_turned_back_exceeds_screened: { zh: '劝返人数超过排查人数', en: 'more people turned back than screened' },
  vehicles_turned_back_exceeds_screened: { zh: '劝返车辆超过排查车辆', en: 'more vehicles turned back than screened' },
  fever_exceeds_screened: { zh: '发热人数超过排查人数', en: 'more fever cases than people screened' },
  quarantine_end_without_start: { zh: '解除隔离无对应的开始记录', en: 'quarantine ended without a start' },
  outlier: { zh: '数值明显偏离近期水平', en: 'far from its recent level' },
};
