import type { ClickHouse } from '@cordon/clickhouse';
import { parseRegionCode, type Region } from '@cordon/regions';
import { addDays, outlierRule, qualityKindOf, type QualityAnswer } from '@cordon/schemas';
import { regionRefOfKey, type RegionLookup } from '../regions/regions.ts';
import {
  compareFindings,
  outlierFindings,
  placeKey,
  qualityMetrics,
  quarantineFindings,
  ruleFindings,
  type Finding,
} from './quality-rules.ts';
import type { FigureSource } from '../figure-source.ts';
import { readEvidence, readPlaceDays, readQuarantineEvents } from './quality-sql.ts';
import { voidScopeFindings } from './quality-voids.ts';

/**
 * The answer to GET /v1/quality. Rule and outlier checks run on site-day
 * sums of the roll-up (one read, reaching back far enough for the outlier
 * baseline); the raw table is read only for quarantine pairing and for the
 * event ids of the flagged site-days. With knownAt (a raw `source`) every
 * read, the sums too, is of the raw rows received by then.
 */
export async function checkQuality(
  ch: ClickHouse,
  regions: RegionLookup,
  region: Region,
  range: { from: string; to: string },
  known: { source: FigureSource; asOf: string },
): Promise<QualityAnswer> {
  const { from, to } = range;
  const { source } = known;
  const prefix = parseRegionCode(region.code)!.prefix;
  const [placeDays, quarantine, refusedVoids] = await Promise.all([
    readPlaceDays(ch, source, prefix, qualityMetrics, addDays(from, -outlierRule.lookbackDays), to),
    readQuarantineEvents(ch, source, prefix, from, to),
    voidScopeFindings(ch, source, prefix, from, to),
  ]);
  const findings = [
    ...ruleFindings(placeDays, from, to),
    ...outlierFindings(placeDays, from, to),
    ...quarantineFindings(quarantine, from, to),
    ...refusedVoids,
  ].sort(compareFindings);

  const needMetrics = new Set<string>();
  const flagged = new Map<string, Finding & { day: string }>();
  for (const f of findings) {
    if ('metrics' in f.evidence) {
      f.evidence.metrics.forEach((m) => needMetrics.add(m));
      flagged.set(`${placeKey(f)}\u0001${f.day}`, f);
    }
  }
  const evidence = await readEvidence(ch, source, prefix, [...flagged.values()], [...needMetrics]);
  const byPlaceDay = new Map<string, typeof evidence>();
  for (const e of evidence) {
    const key = `${placeKey(e)}\u0001${e.day}`;
    const list = byPlaceDay.get(key);
    if (list) list.push(e);
    else byPlaceDay.set(key, [e]);
  }

  const flags = findings.map((f) => {
    let eventIds: string[];
    if ('eventIds' in f.evidence) {
      eventIds = f.evidence.eventIds;
    } else {
      const wanted = new Set(f.evidence.metrics);
      eventIds = (byPlaceDay.get(`${placeKey(f)}\u0001${f.day}`) ?? [])
        .filter((e) => e.metrics.some((m) => wanted.has(m)))
        .map((e) => e.id)
        .sort();
    }
    return {
      check: f.check,
      kind: qualityKindOf[f.check],
      site: f.site === '' ? null : f.site,
      region: regionRefOfKey(regions, f.regionKey),
      day: f.day,
      metric: f.metric,
      values: f.values,
      detail: f.detail,
      eventIds,
    };
  });
  return { region: { code: region.code, name: region.name }, from, to, asOf: known.asOf, flags };
}
