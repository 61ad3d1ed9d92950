import type { Principal } from '@cordon/edge';
import type { Region } from '@cordon/regions';
import type { ReadRoutesDeps } from './deps.ts';
import { readFigureSource, type FigureSource } from './figure-source.ts';
import { resolveRegion } from './regions/regions.ts';

/**
 * What a read about a region starts from: the region (the request's, else
 * the key's; 400/403 as `resolveRegion` says) and the source its `knownAt`
 * names, in that order, so a bad region is refused before any read.
 */
export async function readSubtree(
  deps: Pick<ReadRoutesDeps, 'clickhouse' | 'regions' | 'status'>,
  request: { region?: string | undefined; knownAt?: string | undefined },
  principal: Principal,
): Promise<{ region: Region; known: { source: FigureSource; asOf: string } }> {
  const region = resolveRegion(deps.regions, request.region, principal);
  return { region, known: await readFigureSource(deps.status, request.knownAt, deps.clickhouse) };
}
