/** The few words a chart writes itself; metric names and units come from the caller (the metric catalogue). */
export type ChartLang = 'zh' | 'en';

const words = {
  zh: { movingAverage7: '7日平均', perDay: '每日' },
  en: { movingAverage7: '7-day average', perDay: 'per day' },
} as const satisfies Record<ChartLang, Record<string, string>>;

export function chartWord(lang: ChartLang, key: keyof (typeof words)['zh']): string {
  return words[lang][key];
}

const enMonths = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** 2020-02-13 → 2月13日 / Feb 13: the axis label of a day, read from the string (no Date, no time zone). */
export function dayLabel(day: string, lang: ChartLang): string {
  const month = Number(day.slice(5, 7));
  const date = Number(day.slice(8, 10));
  return lang === 'zh' ? `${month}月${date}日` : `${enMonths[month - 1] ?? '?'} ${date}`;
}

/** 2020-W07 → 第7周 / Week 7: the axis label of an ISO week as `interval=week` names it. */
export function weekLabel(week: string, lang: ChartLang): string {
  const n = Number(week.slice(week.indexOf('W') + 1));
  return lang === 'zh' ? `第${n}周` : `Week ${n}`;
}
