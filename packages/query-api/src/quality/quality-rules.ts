import { addDays, outlierRule, qualityChecks, type OutlierMetric, type QualityCheck } from '@cordon/schemas';

/**
 * The data-quality checks, pure: they take site-day sums (from the roll-up)
 * and quarantine events (from the raw table) and return findings. The event
 * ids behind a roll-up finding are fetched afterwards, for flagged
 * site-days only (quality.ts).
 *
 * A "place" is a site, or for events sent without a site, a region: those
 * are checked per region, so a county-wide tally is never compared with one
 * checkpoint's screenings.
 */
export interface Place {
  /** '' for events sent without a site. */
  site: string;
  /** For unsited events the region the place is (12-digit key); '' for a site. */
  placeRegion: string;
}

export interface PlaceDayValue extends Place {
  /** The region the figures were sent with (for a site: any one of them); 12-digit key. */
  regionKey: string;
  day: string;
  metric: string;
  value: number;
}

export interface Finding extends Place {
  check: QualityCheck;
  regionKey: string;
  day: string;
  metric: string | null;
  values: Record<string, number>;
  detail: string;
  /** The metrics whose events are behind the finding (roll-up findings), or the events themselves. */
  evidence: { metrics: string[] } | { eventIds: string[] };
}

export function placeKey(p: Place): string {
  // \u0001 cannot occur in a site id (control characters are rejected at ingest) nor in a region key.
  return `${p.site}\u0001${p.placeRegion}`;
}

const ruleChecks: { check: QualityCheck; over: string; under: string; words: string }[] = [
  { check: 'people_turned_back_exceeds_screened', over: 'people_turned_back', under: 'people_screened', words: 'people turned back' },
  {
    check: 'vehicles_turned_back_exceeds_screened',
    over: 'vehicles_turned_back',
    under: 'vehicles_screened',
    words: 'vehicles turned back',
  },
  { check: 'fever_exceeds_screened', over: 'fever_cases', under: 'people_screened', words: 'fever cases' },
];

/** The roll-up metrics the checks read. */
export const qualityMetrics: readonly string[] = [...new Set([...ruleChecks.flatMap((r) => [r.over, r.under]), ...outlierRule.metrics])];

/** Rule breaks on the days from..to: a site-day sum above the one it must not exceed. */
export function ruleFindings(rows: readonly PlaceDayValue[], from: string, to: string): Finding[] {
  const days = new Map<string, { place: Place; regionKey: string; day: string; values: Map<string, number> }>();
  for (const r of rows) {
    if (r.day < from || r.day > to) continue;
    const key = `${placeKey(r)}\u0001${r.day}`;
    let entry = days.get(key);
    if (!entry)
      days.set(
        key,
        (entry = { place: { site: r.site, placeRegion: r.placeRegion }, regionKey: r.regionKey, day: r.day, values: new Map() }),
      );
    entry.values.set(r.metric, (entry.values.get(r.metric) ?? 0) + r.value);
  }
  const out: Finding[] = [];
  for (const { place, regionKey, day, values } of days.values()) {
    for (const rule of ruleChecks) {
      const over = values.get(rule.over) ?? 0;
      const under = values.get(rule.under) ?? 0;
      if (over <= under) continue;
      out.push({
        ...place,
        check: rule.check,
        regionKey,
        day,
        metric: null,
        values: { [rule.over]: over, [rule.under]: under },
        detail: `${rule.words} (${over}) exceed ${rule.under.replace(/_/g, ' ')} (${under})`,
        evidence: { metrics: [rule.over, rule.under] },
      });
    }
  }
  return out;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Outliers on the days from..to. `rows` must reach back `lookbackDays`
 * before `from` so the first days have their baseline. Only days with data
 * for the metric count, as values and as baseline: a zero is never stored
 * (an event adds nothing for a zero figure), and a missing day is a
 * completeness question, not a quality one.
 */
export function outlierFindings(rows: readonly PlaceDayValue[], from: string, to: string): Finding[] {
  const series = new Map<string, { place: Place; metric: OutlierMetric; days: Map<string, { value: number; regionKey: string }> }>();
  const tracked: ReadonlySet<string> = new Set(outlierRule.metrics);
  for (const r of rows) {
    if (!tracked.has(r.metric)) continue;
    const key = `${placeKey(r)}\u0001${r.metric}`;
    let s = series.get(key);
    if (!s)
      series.set(key, (s = { place: { site: r.site, placeRegion: r.placeRegion }, metric: r.metric as OutlierMetric, days: new Map() }));
    const prev = s.days.get(r.day);
    s.days.set(r.day, { value: (prev?.value ?? 0) + r.value, regionKey: r.regionKey });
  }
  const out: Finding[] = [];
  for (const { place, metric, days } of series.values()) {
    const ordered = [...days].filter(([, d]) => d.value > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    ordered.forEach(([day, { value, regionKey }], i) => {
      if (day < from || day > to) return;
      const earliest = addDays(day, -outlierRule.lookbackDays);
      const baseline = ordered
        .slice(0, i)
        .filter(([d]) => d >= earliest)
        .slice(-outlierRule.baselineDays)
        .map(([, d]) => d.value);
      if (baseline.length < outlierRule.minBaselineDays) return;
      const level = median(baseline);
      const floor = outlierRule.floors[metric];
      const high = value > outlierRule.factor * level && value - level >= floor;
      const low = value * outlierRule.factor < level && level - value >= floor;
      if (!high && !low) return;
      const ratio = Math.round((value / level) * 100) / 100;
      out.push({
        ...place,
        check: 'outlier',
        regionKey,
        day,
        metric,
        values: { value, median: level, baselineDays: baseline.length },
        detail: `${metric} ${value} is ${ratio}× the median ${level} of the previous ${baseline.length} days with ${metric}`,
        evidence: { metrics: [metric] },
      });
    });
  }
  return out;
}

export interface QuarantineEvent {
  id: string;
  type: 'quarantine.started' | 'quarantine.ended';
  subject: string;
  occurredAt: string;
  day: string;
  site: string;
  regionKey: string;
}

/**
 * quarantine.ended events on the days from..to that find no open quarantine
 * of their subject: no start at or before them that an earlier end has not
 * already closed. A start at the same instant counts (apps that record only
 * the day send both at one time); a second end after one start is flagged,
 * since it would drive quarantine_active below what was started. One
 * finding per place and day.
 */
export function quarantineFindings(events: readonly QuarantineEvent[], from: string, to: string): Finding[] {
  const ordered = [...events].sort(
    (a, b) =>
      Date.parse(a.occurredAt) - Date.parse(b.occurredAt) ||
      (a.type === b.type ? 0 : a.type === 'quarantine.started' ? -1 : 1) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const open = new Map<string, number>();
  const unmatched = new Map<string, { place: Place; regionKey: string; day: string; events: QuarantineEvent[] }>();
  for (const e of ordered) {
    const n = open.get(e.subject) ?? 0;
    if (e.type === 'quarantine.started') {
      open.set(e.subject, n + 1);
      continue;
    }
    if (n > 0) {
      open.set(e.subject, n - 1);
      continue;
    }
    if (e.day < from || e.day > to) continue;
    const place: Place = { site: e.site, placeRegion: e.site === '' ? e.regionKey : '' };
    const key = `${placeKey(place)}\u0001${e.day}`;
    const entry = unmatched.get(key);
    if (entry) entry.events.push(e);
    else unmatched.set(key, { place, regionKey: e.regionKey, day: e.day, events: [e] });
  }
  return [...unmatched.values()].map(({ place, regionKey, day, events: ends }) => ({
    ...place,
    check: 'quarantine_end_without_start' as const,
    regionKey,
    day,
    metric: null,
    values: { quarantine_ended: ends.length },
    detail: `quarantine.ended with no open quarantine for ${ends.length === 1 ? 'subject' : 'subjects'} ${[...new Set(ends.map((e) => e.subject))].sort().join(', ')}`,
    evidence: { eventIds: ends.map((e) => e.id).sort() },
  }));
}

/** Flags in answer order: day, then sites by id before unsited places, then region, then check. */
export function compareFindings(a: Finding, b: Finding): number {
  const order = (f: Finding) => [
    f.day,
    f.site === '' ? '1' : '0',
    f.site,
    f.placeRegion || f.regionKey,
    String(qualityChecks.indexOf(f.check)).padStart(2, '0'),
    f.metric ?? '',
  ];
  const x = order(a);
  const y = order(b);
  for (let i = 0; i < x.length; i++) {
    if (x[i]! !== y[i]!) return x[i]! < y[i]! ? -1 : 1;
  }
  return 0;
}
