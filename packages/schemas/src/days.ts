/**
 * The day an instant falls on in the county's time zone (CORDON_TZ): a fever
 * case found at 2020-02-13T23:30+08:00 belongs to 2月13日 even when it is
 * sent days later, or from a device on UTC.
 */
export function createDayOf(timeZone: string): (instant: string | Date) => string {
  // en-CA formats as YYYY-MM-DD. Throws RangeError on an unknown zone, at start-up.
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  // Every zone's offset is a whole number of quarter hours, so all instants
  // of one quarter hour fall on the same day: format once per quarter hour
  // (the consumer asks this for every event).
  const quarterMs = 15 * 60_000;
  const memo = new Map<number, string>();
  return (instant) => {
    const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
    const quarter = Math.floor(ms / quarterMs);
    let day = memo.get(quarter);
    if (day === undefined) {
      day = format.format(ms);
      if (memo.size >= 100_000) memo.clear();
      memo.set(quarter, day);
    }
    return day;
  };
}

/** ISO week of a day, as the contract writes it: 2020-W07. */
export function isoWeekOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  date.setUTCDate(date.getUTCDate() - weekday + 3); // the Thursday of this week decides the year
  const isoYear = date.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(isoYear, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((date.getTime() - firstThursday.getTime()) / (7 * dayMs));
  return `${isoYear}-W${String(week).padStart(2, '0')}`;
}

const dayMs = 86_400_000;

/** Every day from `from` to `to`, both inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += dayMs) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** `day` moved by `n` days (negative: back). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10);
}

/** Days from `from` to `to` (0 for the same day, negative when `to` is earlier). */
export function daysApart(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}

/** The Monday of the ISO week of `day`. */
export function mondayOf(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  return addDays(day, -weekday);
}

/** The Sunday of the ISO week of `day`. */
export function sundayOf(day: string): string {
  return addDays(mondayOf(day), 6);
}
