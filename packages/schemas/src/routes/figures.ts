import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { aggregatesAnswerSchema, aggregatesQuerySchema, metricListSchema, statusAnswerSchema } from '../api.ts';
import { bearerAuth, problemResponses } from './common.ts';

export const healthRoute = createRoute({
  method: 'get',
  path: '/v1/health',
  summary: 'Liveness: answers without a key',
  tags: ['status'],
  responses: { 200: { description: 'The process is up', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }).meta({ id: 'Health' }) } } } },
});

export const metricsRoute = createRoute({
  method: 'get',
  path: '/v1/metrics',
  summary: 'Every metric with its description, unit and kind',
  tags: ['figures'],
  security: bearerAuth,
  responses: {
    200: { description: 'The metric catalogue', content: { 'application/json': { schema: metricListSchema } } },
    ...problemResponses('unauthorized', 'forbidden'),
  },
});

export const statusRoute = createRoute({
  method: 'get',
  path: '/v1/status',
  summary: 'How far the pipeline has come',
  description: '`lag` is the number of acknowledged events not yet counted; once ingest stops it reaches 0. `asOf`: every event acknowledged before it is counted.',
  tags: ['status'],
  security: bearerAuth,
  responses: {
    200: { description: 'Pipeline position', content: { 'application/json': { schema: statusAnswerSchema } } },
    ...problemResponses('unauthorized', 'forbidden'),
  },
});

export const aggregatesRoute = createRoute({
  method: 'get',
  path: '/v1/aggregates',
  summary: 'Figures for a region subtree over a period',
  description:
    'Flow metrics are summed over each row\'s period; stock metrics (quarantine_active, sites_active) are read at the end of each row\'s period, and of `to` in `totals`. A region-scoped key may only ask inside its subtree (403 otherwise, never a partial figure).',
  tags: ['figures'],
  security: bearerAuth,
  request: { query: aggregatesQuerySchema },
  responses: {
    200: { description: 'The figures', content: { 'application/json': { schema: aggregatesAnswerSchema } } },
    ...problemResponses('validation', 'unauthorized', 'forbidden'),
  },
});

