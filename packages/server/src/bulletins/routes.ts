import { accepts } from 'hono/accepts';
import { createRouter, ProblemError, requireRole, validationProblem, type AuthEnv, type KeyStore, type Principal } from '@cordon/edge';
import type { RegionRegistry } from '@cordon/regions';
import { bulletinListRoute, bulletinRoute, daysApart, type BulletinFormatName, type BulletinSummary } from '@cordon/schemas';
import type { BulletinFormat, BulletinStore, StoredBulletin } from './store.ts';

export interface BulletinRoutesDeps {
  store: BulletinStore;
  keys: KeyStore;
  regions: Pick<RegionRegistry, 'get' | 'isWithin'>;
}

const mediaTypes: Record<BulletinFormatName, string> = {
  html: 'text/html; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
};
const byAccept: Record<string, BulletinFormatName> = {
  'text/html': 'html',
  'text/markdown': 'markdown',
  'application/json': 'json',
  'image/svg+xml': 'svg',
};
const storeFormat: Record<BulletinFormatName, BulletinFormat> = { html: 'html', markdown: 'markdown', json: 'json', svg: 'svg' };

/** GET /v1/bulletins and GET /v1/bulletins/{region}/{date}: the files the schedule wrote, for read keys within their subtree. */
export function createBulletinRoutes(deps: BulletinRoutesDeps) {
  const app = createRouter<AuthEnv>();
  const read = requireRole(deps.keys, 'read');
  app.use(bulletinListRoute.path, read);
  app.use('/v1/bulletins/:region/:date', read);

  app.openapi(bulletinListRoute, async (c) => {
    const { region } = c.req.valid('query');
    const principal = c.get('principal');
    const within = region ?? principal.region;
    if (within !== undefined && within !== null) {
      if (!deps.regions.get(within)) throw validationProblem([{ path: 'region', message: `${within} is not in the region registry` }]);
      visible(within, principal);
    }
    const bulletins: BulletinSummary[] = [];
    for (const code of await deps.store.regions()) {
      if (within && !deps.regions.isWithin(code, within)) continue;
      const stored = await deps.store.list(code);
      const first = stored[0]?.date;
      for (const bulletin of stored) bulletins.push(await summary(bulletin, first!));
    }
    return c.json({ bulletins }, 200);
  });

  app.openapi(bulletinRoute, async (c) => {
    const { region, date } = c.req.valid('param');
    const q = c.req.valid('query');
    // Scope first, so a scoped key cannot learn which bulletins exist outside its subtree.
    if (!deps.regions.get(region)) throw new ProblemError('not_found', `No region ${region} in the registry`);
    visible(region, c.get('principal'));
    const stored = (await deps.store.list(region)).find((b) => b.date === date);
    if (!stored) throw new ProblemError('not_found', `No bulletin of ${region} for ${date}`);
    const revision = q.revision ?? stored.revisions.at(-1)!;
    if (!stored.revisions.includes(revision)) {
      throw new ProblemError(
        'not_found',
        `The bulletin of ${region} for ${date} has revisions ${stored.revisions.join(', ')}, not ${revision}`,
      );
    }
    const format = q.format ?? byAccept[accepts(c, { header: 'Accept', supports: Object.keys(byAccept), default: 'text/html' })] ?? 'html';
    const text = await deps.store.read(region, date, revision, storeFormat[format]);
    if (text === null) throw new ProblemError('not_found', `The bulletin of ${region} for ${date} has no ${format}`);
    c.header('vary', 'Accept');
    c.header('x-bulletin-revision', String(revision));
    // The typed route lists four media types; c.body answers the one negotiated.
    return c.body(text, 200, { 'content-type': mediaTypes[format] }) as never;
  });

  function visible(code: string, principal: Principal) {
    if (principal.region && !deps.regions.isWithin(code, principal.region)) {
      throw new ProblemError('forbidden', `This key sees only region ${principal.region}; ${code} is not inside it`);
    }
  }

  async function summary(bulletin: StoredBulletin, firstDate: string): Promise<BulletinSummary> {
    const path = `/v1/bulletins/${bulletin.region}/${bulletin.date}`;
    const links = (revision: number | null) => {
      const base = revision === null ? `${path}?` : `${path}?revision=${revision}&`;
      const formats = bulletin.formats[revision ?? bulletin.revisions.at(-1)!] ?? [];
      return {
        html: `${base}format=html`,
        markdown: `${base}format=markdown`,
        json: `${base}format=json`,
        ...(formats.includes('svg') ? { svg: `${base}format=svg` } : {}),
      };
    };
    const revisions = [];
    for (const revision of bulletin.revisions) {
      const at = await deps.store.committedAt(bulletin.region, bulletin.date, revision);
      revisions.push({ revision, publishedAt: (at ?? new Date(0)).toISOString(), links: links(revision) });
    }
    return {
      region: { code: bulletin.region, name: deps.regions.get(bulletin.region)?.name ?? bulletin.region },
      date: bulletin.date,
      issue: daysApart(firstDate, bulletin.date) + 1,
      latestRevision: bulletin.revisions.at(-1)!,
      links: links(null),
      revisions,
    };
  }

  return app;
}
