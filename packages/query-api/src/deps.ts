import type { ClickHouse } from '@cordon/clickhouse';
import type { KeyStore } from '@cordon/edge';
import type { PipelineStatus } from './figure-source.ts';
import type { RegionLookup } from './regions/regions.ts';

/** What the read routes are made from; each family takes the part it uses. */
export interface ReadRoutesDeps {
  clickhouse: ClickHouse;
  keys: KeyStore;
  regions: RegionLookup;
  /** The pipeline position: `asOf` of the answers, and the bound on a `knownAt` the pipeline has not reached. */
  status: PipelineStatus;
  /** CORDON_TZ: the zone of "today" when a day is left out. */
  timeZone: string;
}
