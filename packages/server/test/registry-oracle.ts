import { expect } from 'vitest';
import type { CordonEventInput } from '@cordon/schemas';

/**
 * The answers of /v1/sites, /v1/completeness and /v1/quality computed in
 * plain TS from the events that count (`live`: sent, not taken back by a
 * void), never from the code under test. Shared by registry-quality.test.ts
 * (every event) and registry-known-at.test.ts (the events known at an
 * instant). Days are in Asia/Shanghai.
 *
 * `asOf()` is what the answers' asOf must match (a value or an asymmetric matcher),
 * read when an answer is computed.
 */
export function registryOracle(options: {
  live: () => readonly CordonEventInput[];
  names: Readonly<Record<string, string>>;
  asOf: () => unknown;
}) {
  const { live, names, asOf } = options;
  const dayOf = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10); // Asia/Shanghai has no DST
  const prefixOf = (code: string) => (code.length === 6 ? code.replace(/(00)+$/, '') : code);
  const inside = (code: string, region: string) => code.padEnd(12, '0').startsWith(prefixOf(region));
  const ref = (code: string) => ({ code, name: names[code]! });
  const isSiteEvent = (e: CordonEventInput) => e.type === 'site.registered' || e.type === 'site.closed';

  function sites(region: string) {
    const lifecycle = live().filter((e) => isSiteEvent(e) && inside(e.region, region));
    const ids = [...new Set(lifecycle.map((e) => e.site!))].sort();
    return ids.flatMap((id) => {
      const list = lifecycle.filter((e) => e.site === id).sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
      const regs = list.filter((e) => e.type === 'site.registered');
      if (regs.length === 0) return [];
      const latest = regs.at(-1)!;
      const last = list.at(-1)!;
      const data = latest.data as { name: string; kind: string };
      const times = live()
        .filter((e) => e.site === id && e.type !== 'void' && inside(e.region, region))
        .map((e) => Date.parse(e.occurredAt));
      return [
        {
          id,
          name: data.name,
          kind: data.kind,
          region: ref(latest.region),
          openedOn: dayOf(regs[0]!.occurredAt),
          closedOn: last.type === 'site.closed' ? dayOf(last.occurredAt) : null,
          status: last.type === 'site.registered' ? 'open' : 'closed',
          lastEventAt: new Date(Math.max(...times)).toISOString(),
          history: list,
        },
      ];
    });
  }

  function completeness(region: string, date: string) {
    const rows = sites(region)
      .filter((s) => s.history.filter((e) => dayOf(e.occurredAt) <= date).at(-1)?.type === 'site.registered')
      .map((s) => {
        const events = live().filter(
          (e) => e.site === s.id && !isSiteEvent(e) && e.type !== 'void' && dayOf(e.occurredAt) === date && inside(e.region, region),
        ).length;
        return {
          id: s.id,
          name: s.name,
          kind: s.kind,
          region: s.region,
          openedOn: s.openedOn,
          closedOn: s.closedOn,
          reported: events > 0,
          events,
        };
      });
    const reporting = rows.filter((r) => r.reported).length;
    return {
      region: ref(region),
      date,
      asOf: asOf(),
      inService: rows.length,
      reporting,
      share: rows.length ? reporting / rows.length : null,
      sites: rows,
      notReporting: rows.filter((r) => !r.reported).map((r) => r.id),
    };
  }

  /** What an event adds to the metrics the quality checks read (zeros add nothing). */
  function figures(e: CordonEventInput): Record<string, number> {
    const d = e.data as Record<string, number>;
    const all: Record<string, number> =
      e.type === 'screening'
        ? { vehicles_screened: d['vehicles']!, people_screened: d['people']! }
        : e.type === 'turnback'
          ? { vehicles_turned_back: d['vehicles']!, people_turned_back: d['people']! }
          : e.type === 'fever'
            ? { fever_cases: d['people']! }
            : {};
    return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== 0));
  }

  function quality(region: string, from: string, to: string) {
    const placeOf = (e: CordonEventInput) => (e.site ? `s:${e.site}` : `r:${e.region}`);
    const events = live().filter((e) => inside(e.region, region));
    const sums = new Map<string, Map<string, Record<string, number>>>(); // place → day → metric → sum
    const regionOfPlace = new Map<string, string>();
    for (const e of events) {
      const f = figures(e);
      if (Object.keys(f).length === 0) continue;
      const place = placeOf(e);
      regionOfPlace.set(place, e.region);
      const byDay = sums.get(place) ?? new Map<string, Record<string, number>>();
      sums.set(place, byDay);
      const values = byDay.get(dayOf(e.occurredAt)) ?? {};
      byDay.set(dayOf(e.occurredAt), values);
      for (const [m, v] of Object.entries(f)) values[m] = (values[m] ?? 0) + v;
    }
    const idsBehind = (place: string, day: string, metrics: string[]) =>
      events
        .filter((e) => placeOf(e) === place && dayOf(e.occurredAt) === day && metrics.some((m) => figures(e)[m] !== undefined))
        .map((e) => e.id)
        .sort();
    type Flag = {
      check: string;
      kind: string;
      site: string | null;
      region: { code: string; name: string };
      day: string;
      metric: string | null;
      values: Record<string, number>;
      detail: unknown;
      eventIds: string[];
    };
    const flags: (Flag & { place: string })[] = [];
    const flag = (
      place: string,
      regionCode: string,
      check: string,
      day: string,
      metric: string | null,
      values: Record<string, number>,
      eventIds: string[],
    ) =>
      flags.push({
        place,
        check,
        kind: check === 'outlier' ? 'outlier' : 'rule',
        site: place.startsWith('s:') ? place.slice(2) : null,
        region: ref(regionCode),
        day,
        metric,
        values,
        detail: expect.any(String),
        eventIds,
      });

    const rules = [
      ['people_turned_back_exceeds_screened', 'people_turned_back', 'people_screened'],
      ['vehicles_turned_back_exceeds_screened', 'vehicles_turned_back', 'vehicles_screened'],
      ['fever_exceeds_screened', 'fever_cases', 'people_screened'],
    ] as const;
    for (const [place, byDay] of sums) {
      for (const [day, values] of byDay) {
        if (day < from || day > to) continue;
        for (const [check, over, under] of rules) {
          if ((values[over] ?? 0) > (values[under] ?? 0)) {
            flag(
              place,
              regionOfPlace.get(place)!,
              check,
              day,
              null,
              { [over]: values[over] ?? 0, [under]: values[under] ?? 0 },
              idsBehind(place, day, [over, under]),
            );
          }
        }
      }
      const floors: Record<string, number> = { people_screened: 50, people_turned_back: 20, fever_cases: 3 };
      for (const metric of ['people_screened', 'people_turned_back', 'fever_cases']) {
        const series = [...byDay]
          .filter(([, v]) => (v[metric] ?? 0) > 0)
          .map(([day, v]) => ({ day, value: v[metric]! }))
          .sort((a, b) => a.day.localeCompare(b.day));
        for (const { day, value } of series) {
          if (day < from || day > to) continue;
          const sixtyBefore = new Date(Date.parse(`${day}T00:00:00Z`) - 60 * 86400_000).toISOString().slice(0, 10);
          const baseline = series
            .filter((p) => p.day < day && p.day >= sixtyBefore)
            .slice(-14)
            .map((p) => p.value)
            .sort((a, b) => a - b);
          if (baseline.length < 7) continue;
          const mid = Math.floor(baseline.length / 2);
          const median = baseline.length % 2 ? baseline[mid]! : (baseline[mid - 1]! + baseline[mid]!) / 2;
          const far =
            (value > 3 * median && value - median >= floors[metric]!) || (value * 3 < median && median - value >= floors[metric]!);
          if (far)
            flag(
              place,
              regionOfPlace.get(place)!,
              'outlier',
              day,
              metric,
              { value, median, baselineDays: baseline.length },
              idsBehind(place, day, [metric]),
            );
        }
      }
    }

    // Quarantine: walk each subject's events in time order, starts before ends at one instant.
    const qs = events
      .filter((e) => e.type === 'quarantine.started' || e.type === 'quarantine.ended')
      .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.type === 'quarantine.started' ? -1 : 1));
    const open = new Map<string, number>();
    const unmatched = new Map<string, CordonEventInput[]>();
    for (const e of qs) {
      const subject = (e.data as { subject: string }).subject;
      const n = open.get(subject) ?? 0;
      if (e.type === 'quarantine.started') open.set(subject, n + 1);
      else if (n > 0) open.set(subject, n - 1);
      else if (dayOf(e.occurredAt) >= from && dayOf(e.occurredAt) <= to) {
        const key = `${placeOf(e)}|${dayOf(e.occurredAt)}`;
        unmatched.set(key, [...(unmatched.get(key) ?? []), e]);
      }
    }
    for (const ends of unmatched.values()) {
      const e = ends[0]!;
      flag(
        placeOf(e),
        e.region,
        'quarantine_end_without_start',
        dayOf(e.occurredAt),
        null,
        { quarantine_ended: ends.length },
        ends.map((x) => x.id).sort(),
      );
    }

    const checks = [
      'people_turned_back_exceeds_screened',
      'vehicles_turned_back_exceeds_screened',
      'fever_exceeds_screened',
      'quarantine_end_without_start',
      'outlier',
    ];
    const sortKey = (f: Flag & { place: string }) => [
      f.day,
      f.site === null ? '1' : '0',
      f.site ?? '',
      f.region.code.padEnd(12, '0'),
      String(checks.indexOf(f.check)).padStart(2, '0'),
      f.metric ?? '',
    ];
    flags.sort((a, b) => {
      const x = sortKey(a);
      const y = sortKey(b);
      const i = x.findIndex((v, k) => v !== y[k]);
      return i < 0 ? 0 : x[i]! < y[i]! ? -1 : 1;
    });
    return { region: ref(region), from, to, asOf: asOf(), flags: flags.map(({ place: _place, ...f }) => f) };
  }

  return { sites: (region: string) => sites(region).map(({ history: _h, ...s }) => s), completeness, quality };
}
