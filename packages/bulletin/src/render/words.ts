import type { BulletinLang } from '../figures.ts';

/** The words a bulletin writes around its figures; metric labels and units come from the catalogue. */
export const words = {
  zh: {
    title: (region: string) => `${region}疫情防控工作日报`,
    issue: (n: number) => `第${n}期`,
    noData: '无数据',
    none: '无',
    levels: { city: '县（市、区）', county: '乡镇（街道）', town: '乡镇（街道）', village: '村（社区）', province: '市' } as Record<
      string,
      string
    >,
    sections: ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四'],
  },
  en: {
    title: (region: string) => `${region} daily epidemic control bulletin`,
    issue: (n: number) => `No. ${n}`,
    noData: 'no data',
    none: 'none',
    levels: { city: 'Counties', county: 'Towns', town: 'Towns', village: 'Villages', province: 'Cities' } as Record<string, string>,
    sections: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14'],
  },
} as const satisfies Record<BulletinLang, unknown>;

const enMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 2020-02-13 → 2月13日 / 13 February. */
export function shortDay(day: string, lang: BulletinLang): string {
  const m = Number(day.slice(5, 7));
  const d = Number(day.slice(8, 10));
  return lang === 'zh' ? `${m}月${d}日` : `${d} ${enMonths[m - 1]}`;
}

/** 2020-02-13 → 2020年2月13日 / 13 February 2020. */
export function longDay(day: string, lang: BulletinLang): string {
  return lang === 'zh' ? `${day.slice(0, 4)}年${shortDay(day, lang)}` : `${shortDay(day, lang)} ${day.slice(0, 4)}`;
}

/** Zones that keep Beijing time (UTC+8 all year, the zone China's offices mean). */
const beijingZones = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Harbin', 'PRC', 'Asia/Chungking']);

/** An instant as the server's zone reads it: 2020年2月14日 08:00（北京时间） / 14 February 2020 08:00 (Beijing time). */
export function instantInZone(instant: string, timeZone: string, lang: BulletinLang): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  const day = `${parts['year']}-${parts['month']}-${parts['day']}`;
  const time = `${parts['hour']}:${parts['minute']}`;
  const beijing = beijingZones.has(timeZone);
  return lang === 'zh'
    ? `${longDay(day, lang)} ${time}（${beijing ? '北京时间' : timeZone}）`
    : `${longDay(day, lang)} ${time} (${beijing ? 'Beijing time' : timeZone})`;
}

/** A figure as the reports print it: plain digits in Chinese (115814), grouped in English (115,814); up to 2 decimals. */
export function number(value: number, lang: BulletinLang): string {
  if (lang === 'zh') return String(Math.round(value * 100) / 100);
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(value);
}
