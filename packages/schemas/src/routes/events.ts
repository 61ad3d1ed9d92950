import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { importSummarySchema } from '../api.ts';
import { eventSchema } from '../events.ts';
import { bearerAuth, problemResponses } from './common.ts';

export const eventsRoute = createRoute({
  method: 'post',
  path: '/v1/events',
  summary: 'Send events',
  description:
    'A JSON array, `{"events": [...]}`, or NDJSON (`application/x-ndjson`); at most 5,000 events or 5 MiB (413 beyond). Each event is validated on its own: the answer is 200 with an import summary, and the good events land even when others are rejected. An event is acknowledged only once it is durable in the log. The same `id` sent twice counts once and is reported as a duplicate. 503 with `Retry-After` when the log cannot take writes.',
  tags: ['events'],
  security: bearerAuth,
  request: {
    query: z.object({
      dryRun: z
        .enum(['true', 'false'], { error: 'must be true or false' })
        .optional()
        .meta({ description: 'true: validate and report, write nothing' }),
    }),
    body: {
      required: true,
      content: {
        'application/json': { schema: z.union([z.array(eventSchema), z.object({ events: z.array(eventSchema) })]) },
        'application/x-ndjson': { schema: z.string().meta({ description: 'One event (JSON) per line' }) },
      },
    },
  },
  responses: {
    200: { description: 'What happened to each event', content: { 'application/json': { schema: importSummarySchema } } },
    ...problemResponses('validation', 'unauthorized', 'forbidden', 'payload_too_large', 'unsupported_media_type', 'unavailable'),
  },
});
