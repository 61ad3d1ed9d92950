import type { ClickHouse } from '@cordon/clickhouse';
import { parseRegionCode, type Region } from '@cordon/regions';
import type { CompletenessAnswer, RegionRef } from '@cordon/schemas';
import type { FigureSource } from '../figure-source.ts';
import { regionRefOfKey, type RegionLookup } from '../regions/regions.ts';
import { inServiceOn, siteLifecycles, type SiteLifecycle } from '../sites/sites.ts';
import { readLifecycleEvents, readReportsOn } from '../sites/sites-sql.ts';

/** The answer to GET /v1/completeness: which sites in service on `day` reported, as known at `known.source`. */
export async function checkCompleteness(
  ch: ClickHouse,
  regions: RegionLookup,
  region: Region,
  day: string,
  known: { source: FigureSource; asOf: string },
): Promise<CompletenessAnswer> {
  const prefix = parseRegionCode(region.code)!.prefix;
  const [events, reports] = await Promise.all([
    readLifecycleEvents(ch, known.source, prefix),
    readReportsOn(ch, known.source, prefix, day),
  ]);
  const answer = completenessOf(siteLifecycles(events), reports, day, { code: region.code, name: region.name }, (key) =>
    regionRefOfKey(regions, key),
  );
  return { ...answer, asOf: known.asOf };
}

/**
 * Pure: the sites in service on `day` and the reports each sent. Reports
 * from sites not in service that day (before their registration, after
 * their closure) neither raise nor lower the share.
 */
export function completenessOf(
  sites: readonly SiteLifecycle[],
  reports: ReadonlyMap<string, number>,
  day: string,
  region: RegionRef,
  regionRef: (key12: string) => RegionRef,
): CompletenessAnswer {
  const inService = sites.filter((s) => inServiceOn(s, day));
  const rows = inService.map((s) => {
    const events = reports.get(s.id) ?? 0;
    return {
      id: s.id,
      name: s.name,
      kind: s.kind,
      region: regionRef(s.regionKey),
      openedOn: s.openedOn,
      closedOn: s.closedOn,
      reported: events > 0,
      events,
    };
  });
  const reporting = rows.filter((r) => r.reported).length;
  return {
    region,
    date: day,
    inService: rows.length,
    reporting,
    share: rows.length === 0 ? null : reporting / rows.length,
    sites: rows,
    notReporting: rows.filter((r) => !r.reported).map((r) => r.id),
  };
}
