import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { regionCodeSchema } from '../events.ts';
import { regionRefSchema } from '../registry-api.ts';
import { bearerAuth, problemResponses } from './common.ts';
import { regionScopedRules } from '../cross-field.ts';

/**
 * The bulletins the server's schedule wrote (CORDON_BULLETIN_REGIONS):
 * listed, and served in each format. A published revision never changes;
 * late events add the next revision (修订) beside it.
 */

export const bulletinFormats = ['html', 'markdown', 'json', 'svg'] as const;
export type BulletinFormatName = (typeof bulletinFormats)[number];

const bulletinLinksSchema = z
  .object({
    html: z.string(),
    markdown: z.string(),
    json: z.string(),
    svg: z.string().optional().meta({ description: 'The chart, when the bulletin has one' }),
  })
  .meta({ id: 'BulletinLinks', description: 'Where each format is served (paths on this server, with `format=`)' });

export const bulletinSummarySchema = z
  .object({
    region: regionRefSchema,
    date: z.string().meta({ description: 'The reporting day (CORDON_TZ)', example: '2020-02-13' }),
    issue: z.number().int().meta({ description: "The issue number (第N期): 1 for the region's first bulletin day" }),
    latestRevision: z.number().int().meta({ description: '0: the original is current; n: revision n (修订n) is' }),
    links: bulletinLinksSchema.meta({ description: 'The latest revision' }),
    revisions: z
      .array(
        z.object({
          revision: z.number().int().meta({ description: '0 for the original' }),
          publishedAt: z.string().meta({ description: 'When the server wrote it (UTC)' }),
          links: bulletinLinksSchema,
        }),
      )
      .meta({ description: 'The original and every revision, oldest first' }),
  })
  .meta({ id: 'BulletinSummary' });
export type BulletinSummary = z.infer<typeof bulletinSummarySchema>;

export const bulletinListQuerySchema = z.object({
  region: regionCodeSchema.optional().meta({
    description:
      "Bulletins of this region and the regions under it. Defaults to a region-scoped key's own region; every bulletin for other keys.",
    example: '410184',
  }),
});

export const bulletinListSchema = z
  .object({ bulletins: z.array(bulletinSummarySchema).meta({ description: 'By region code, then by date' }) })
  .meta({ id: 'BulletinList' });
export type BulletinList = z.infer<typeof bulletinListSchema>;

export const bulletinParamsSchema = z.object({
  region: regionCodeSchema.meta({ description: 'The region code', example: '410184' }),
  date: z.iso.date('must be a real day, YYYY-MM-DD').meta({ description: 'The reporting day', example: '2020-02-13' }),
});

export const bulletinQuerySchema = z.object({
  revision: z.coerce
    .number({ error: 'must be a whole number' })
    // Stated so the document says it (zod's int() refuses what is past a double's exact
    // integers anyway); checked first and alone, so a number past it gets this one message.
    .max(Number.MAX_SAFE_INTEGER, { error: `must be at most ${Number.MAX_SAFE_INTEGER}`, abort: true })
    .int('must be a whole number')
    .min(0, 'must be 0 (the original) or more')
    .optional()
    .meta({ description: 'A given revision (0: the original as first published). Default: the latest.' }),
  format: z
    .enum(bulletinFormats)
    .optional()
    .meta({ description: 'The format, over the Accept header (for links): html, markdown, json, or svg (the chart)' }),
});

export const bulletinRoute = createRoute({
  method: 'get',
  path: '/v1/bulletins/{region}/{date}',
  'x-cross-field-rules': regionScopedRules,
  summary: 'One bulletin: HTML, Markdown or its figures as JSON',
  description:
    'The latest revision unless `revision` names one. The format follows `format`, else the Accept header: `text/markdown`, `application/json`, `image/svg+xml` (the chart), otherwise HTML. A region-scoped key sees only its subtree (403 outside it); 404 when there is no such bulletin or revision.',
  tags: ['bulletins'],
  security: bearerAuth,
  request: { params: bulletinParamsSchema, query: bulletinQuerySchema },
  responses: {
    200: {
      description: 'The bulletin',
      content: {
        'text/html': { schema: z.string().meta({ description: 'A whole HTML document, the chart embedded as SVG' }) },
        'text/markdown': { schema: z.string() },
        'application/json': {
          schema: z.record(z.string(), z.unknown()).meta({
            id: 'BulletinDocument',
            description:
              'The figures the bulletin prints, with its asOf and the knownAt it was made at; a revision adds `revision: {number, replaces, changes}`',
          }),
        },
        'image/svg+xml': { schema: z.string().meta({ description: 'The chart' }) },
      },
    },
    ...problemResponses('validation', 'unauthorized', 'forbidden', 'not_found'),
  },
});

export const bulletinListRoute = createRoute({
  method: 'get',
  path: '/v1/bulletins',
  'x-cross-field-rules': regionScopedRules,
  summary: 'The bulletins written so far, with their revisions',
  description: 'A region-scoped key sees only its subtree: a wider region is answered 403, never with a partial list.',
  tags: ['bulletins'],
  security: bearerAuth,
  request: { query: bulletinListQuerySchema },
  responses: {
    200: { description: 'The bulletins', content: { 'application/json': { schema: bulletinListSchema } } },
    ...problemResponses('validation', 'unauthorized', 'forbidden'),
  },
});

export const bulletinRoutes = [bulletinListRoute, bulletinRoute] as const;
