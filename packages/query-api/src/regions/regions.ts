import { ProblemError, validationProblem, type Principal } from '@cordon/edge';
import { levelIndex, mostSpecificCode, regionLevels, type Region, type RegionRegistry } from '@cordon/regions';
import type { RegionDetail, RegionRef, RegionSearchAnswer } from '@cordon/schemas';

/** What the registry routes need of the region registry. */
export type RegionLookup = Pick<RegionRegistry, 'get' | 'isWithin' | 'children' | 'ancestors' | 'search' | 'descendantsAtLevel'>;

/**
 * The region a request is about: the `region` parameter, else a scoped
 * key's own region. 400 when neither names a known region, 403 when it lies
 * outside the key's subtree (never a silently partial answer).
 */
export function resolveRegion(regions: RegionLookup, requested: string | undefined, principal: Principal, param = 'region'): Region {
  const code = requested ?? principal.region;
  if (!code) throw validationProblem([{ path: param, message: 'is required (a 6, 9 or 12 digit region code)' }]);
  const region = regions.get(code);
  if (!region) throw validationProblem([{ path: param, message: `${code} is not in the region registry` }]);
  assertVisible(regions, region.code, principal);
  return region;
}

export function assertVisible(regions: RegionLookup, code: string, principal: Principal): void {
  if (principal.region && !regions.isWithin(code, principal.region)) {
    throw new ProblemError('forbidden', `This key sees only region ${principal.region}; ${code} is not inside it`);
  }
}

/** A region stored as a 12-digit key (events, roll-up) by its public code and name. */
export function regionRefOfKey(regions: Pick<RegionLookup, 'get'>, key12: string): RegionRef {
  const code = mostSpecificCode(key12);
  return { code, name: regions.get(code)?.name ?? code };
}

export function regionDetail(regions: RegionLookup, region: Region): RegionDetail {
  const ref = (r: Region): RegionRef => ({ code: r.code, name: r.name });
  const ancestors = regions.ancestors(region.code).map(ref);
  return {
    code: region.code,
    name: region.name,
    level: region.level,
    custom: region.custom,
    parent: ancestors.at(-1) ?? null,
    ancestors,
    children: regions.children(region.code).map((c) => ({ code: c.code, name: c.name, level: c.level })),
  };
}

/**
 * Name search. Without a subtree the registry's own index answers; inside a
 * subtree (a scoped key, or `region=`) the subtree's regions are filtered
 * here with the same ranking, because filtering the registry's top hits
 * would lose matches ranked below the cut (every village name has 村).
 */
export function searchRegions(regions: RegionLookup, text: string, limit: number, within: Region | null): RegionSearchAnswer {
  const found = within ? searchSubtree(regions, within, text, limit) : regions.search(text, limit);
  return {
    search: text,
    regions: found.map((r) => {
      const parent = r.parent === null ? undefined : regions.get(r.parent);
      return { code: r.code, name: r.name, level: r.level, parent: parent ? { code: parent.code, name: parent.name } : null };
    }),
  };
}

function searchSubtree(regions: RegionLookup, root: Region, text: string, limit: number): Region[] {
  const hits: { region: Region; tier: number; depth: number }[] = [];
  for (const level of regionLevels.slice(levelIndex(root.level))) {
    for (const region of regions.descendantsAtLevel(root.code, level)) {
      const at = region.name.indexOf(text);
      if (at < 0) continue;
      const tier = at > 0 ? 2 : region.name.length === text.length ? 0 : 1;
      hits.push({ region, tier, depth: levelIndex(level) });
    }
  }
  hits.sort(
    (a, b) =>
      a.tier - b.tier ||
      a.depth - b.depth ||
      a.region.name.length - b.region.name.length ||
      (a.region.code < b.region.code ? -1 : a.region.code > b.region.code ? 1 : 0),
  );
  return hits.slice(0, limit).map((h) => h.region);
}
