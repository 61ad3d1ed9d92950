import type { ClickHouse } from '@cordon/clickhouse';
import { parseRegionCode, type Region } from '@cordon/regions';
import type { SiteList, SitesQuery } from '@cordon/schemas';
import type { FigureSource } from '../figure-source.ts';
import { regionRefOfKey, type RegionLookup } from '../regions/regions.ts';
import { siteLifecycles } from './sites.ts';
import { readLastEventAt, readLifecycleEvents } from './sites-sql.ts';

/** The answer to GET /v1/sites: the subtree's sites with their lifecycle and last event, as known at `known.source`. */
export async function listSites(
  ch: ClickHouse,
  regions: RegionLookup,
  region: Region,
  filter: Pick<SitesQuery, 'kind' | 'status'>,
  known: { source: FigureSource; asOf: string },
): Promise<SiteList> {
  const prefix = parseRegionCode(region.code)!.prefix;
  const [events, lastEventAt] = await Promise.all([
    readLifecycleEvents(ch, known.source, prefix),
    readLastEventAt(ch, known.source, prefix),
  ]);
  const sites = siteLifecycles(events)
    .filter((s) => (filter.kind === undefined || s.kind === filter.kind) && (filter.status === 'all' || s.status === filter.status))
    .map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      region: regionRefOfKey(regions, s.regionKey),
      openedOn: s.openedOn,
      closedOn: s.closedOn,
      status: s.status,
      lastEventAt: lastEventAt.get(s.id) ?? null,
    }));
  return { region: { code: region.code, name: region.name }, asOf: known.asOf, sites };
}
