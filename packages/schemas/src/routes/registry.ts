import { createRoute } from '@hono/zod-openapi';
import {
  completenessAnswerSchema,
  completenessQuerySchema,
  qualityAnswerSchema,
  qualityQuerySchema,
  qualityRules,
  regionCodeParamsSchema,
  regionDetailSchema,
  regionSearchAnswerSchema,
  regionSearchQuerySchema,
  siteListSchema,
  sitesQuerySchema,
} from '../registry-api.ts';
import { bearerAuth, problemResponses } from './common.ts';
import { regionScopedRules, regionSearchRules } from '../cross-field.ts';

/** Read routes about places: the region tree, the sites in it, and how well they report. */

const scoped = 'A region-scoped key sees only its own subtree: a wider region is answered 403, never with a partial list.';
const knownAt =
  '`knownAt` answers as known at a past instant: events received later, and voids that took effect later, are left out, as on the figure routes.';

export const regionRoute = createRoute({
  method: 'get',
  path: '/v1/regions/{code}',
  summary: 'A region: name, level, parent and children',
  description: `404 for a well-formed code that is not in the registry. ${scoped}`,
  tags: ['registry'],
  security: bearerAuth,
  request: { params: regionCodeParamsSchema },
  responses: {
    200: { description: 'The region', content: { 'application/json': { schema: regionDetailSchema } } },
    ...problemResponses('validation', 'unauthorized', 'forbidden', 'not_found'),
  },
});

export const regionSearchRoute = createRoute({
  method: 'get',
  path: '/v1/regions',
  summary: 'Find regions by name',
  description: `The text is matched literally against region names (simplified Chinese), anywhere in the name. ${scoped}`,
  'x-cross-field-rules': regionSearchRules,
  tags: ['registry'],
  security: bearerAuth,
  request: { query: regionSearchQuerySchema },
  responses: {
    200: { description: 'The regions found, best first', content: { 'application/json': { schema: regionSearchAnswerSchema } } },
    ...problemResponses('validation', 'unauthorized', 'forbidden'),
  },
});

export const sitesRoute = createRoute({
  method: 'get',
  path: '/v1/sites',
  summary: 'Sites (checkpoints, monitoring points, grid cells) in a region subtree',
  description: `A site exists once a site.registered event names it and no void took that event back; site.closed takes it out of service and a later site.registered brings it back. Only site events sent with a region inside the subtree are read. ${knownAt} ${scoped}`,
  'x-cross-field-rules': regionScopedRules,
  tags: ['registry'],
  security: bearerAuth,
  request: { query: sitesQuerySchema },
  responses: {
    200: { description: 'The sites, ordered by id', content: { 'application/json': { schema: siteListSchema } } },
    ...problemResponses('validation', 'unauthorized', 'forbidden'),
  },
});

export const completenessRoute = createRoute({
  method: 'get',
  path: '/v1/completeness',
  summary: 'Which sites in service reported on a day',
  description: `A site is in service on a day when, at the end of that day, its latest site event is a registration: registered on or before the day and not closed on or before it. The closing day does not count as in service: a site closed that morning owes no report, and the count matches the sites_active metric for that day. A site reports when it sent at least one event that day (occurredAt in CORDON_TZ) of any type but site.registered, site.closed and void, not retracted by a void. ${knownAt} ${scoped}`,
  'x-cross-field-rules': regionScopedRules,
  tags: ['registry'],
  security: bearerAuth,
  request: { query: completenessQuerySchema },
  responses: {
    200: {
      description: 'Sites in service and whether each reported',
      content: { 'application/json': { schema: completenessAnswerSchema } },
    },
    ...problemResponses('validation', 'unauthorized', 'forbidden'),
  },
});

export const qualityRoute = createRoute({
  method: 'get',
  path: '/v1/quality',
  summary: 'Rule breaks and outliers per site and day',
  description: `Rule checks compare the site-day sums of the daily roll-up (turned back vs screened, fever cases vs people screened; with knownAt, the same sums of the raw events known at that instant); quarantine ends are paired with starts in the raw events of the region; outliers compare a site-day value with the site's own recent level; a void that a region-limited key sent before its target, and whose target then came from outside that region, is flagged where the target is (it was not applied and is in the dead-letter log; see QualityFlag.check). Events sent without a site are checked per region. Every flag lists the ids of the events behind it. ${knownAt} ${scoped}`,
  'x-cross-field-rules': qualityRules,
  tags: ['registry'],
  security: bearerAuth,
  request: { query: qualityQuerySchema },
  responses: {
    200: { description: 'The flags', content: { 'application/json': { schema: qualityAnswerSchema } } },
    ...problemResponses('validation', 'unauthorized', 'forbidden'),
  },
});

export const registryRoutes = [regionRoute, regionSearchRoute, sitesRoute, completenessRoute, qualityRoute] as const;
