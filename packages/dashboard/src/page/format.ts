/**
 * Figures as the office reads them: integers grouped the zh-CN way
 * (115,814), exactly the API's number, never rounded to 万. Pure functions,
 * no DOM, so they are tested as data.
 */
const integer = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0, useGrouping: true });
const decimal = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const percent = new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1 });

/** An API figure. Counts are integers; a non-integer (a 7-day mean) keeps one decimal. */
export function formatFigure(value: number): string {
  return Number.isInteger(value) ? integer.format(value) : decimal.format(value);
}

/** A change against the day before: +1,234, −56 (a real minus sign), 0. */
export function formatChange(value: number): string {
  if (value === 0) return '0';
  return `${value > 0 ? '+' : '−'}${formatFigure(Math.abs(value))}`;
}

export function formatShare(share: number | null): string {
  return share === null ? '—' : percent.format(share);
}

/** 2020-02-13 → 2月13日 (zh) or 13 Feb 2020 (en); the day itself, no time zone arithmetic. */
export function formatDay(day: string, lang: 'zh' | 'en'): string {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  if (lang === 'zh') return `${y}年${m}月${d}日`;
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(y, m - 1, d),
  );
}

/**
 * An instant (asOf, knownAt) in the county's zone, to the second: 2026/12/02
 * 13:26:46 (zh), 2 Dec 2026, 13:26:46 (en: the month by name, as formatDay
 * writes days, never 02/12 that reads as February in half the world).
 */
export function formatInstant(iso: string, lang: 'zh' | 'en', timeZone = 'Asia/Shanghai'): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone,
    year: 'numeric',
    month: lang === 'zh' ? '2-digit' : 'short',
    day: lang === 'zh' ? '2-digit' : 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(ms);
}

/** The day (YYYY-MM-DD) an instant falls on in `timeZone`. */
export function dayIn(iso: string | number, timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    typeof iso === 'number' ? iso : Date.parse(iso),
  );
}
