import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { apiRoles, createKeyBodySchema, createRegionBodySchema } from '../api.ts';
import { bearerAuth, problemResponses } from './common.ts';
import { addRegionRules, createKeyRules } from '../cross-field.ts';

export const keySchema = z
  .object({
    keyId: z.string(),
    name: z.string(),
    role: z.enum(apiRoles),
    region: z.string().nullable().describe('The region subtree the key is limited to; null: everywhere'),
  })
  .meta({ id: 'ApiKey' });
const createdKeySchema = keySchema
  .extend({ key: z.string().describe('The whole key, shown only in this answer; only its hash is stored') })
  .meta({ id: 'CreatedApiKey' });
const listedKeySchema = keySchema.extend({ createdAt: z.string(), revokedAt: z.string().nullable() }).meta({ id: 'ListedApiKey' });
export const regionSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    level: z.enum(['province', 'city', 'county', 'town', 'village']),
    parent: z.string().nullable(),
    custom: z.boolean(),
  })
  .meta({ id: 'Region' });

const adminProblems = problemResponses('validation', 'unauthorized', 'forbidden');
// Admin bodies are small: past 16 KiB the answer is 413 before the body is read;
// a body that is not application/json is 415.
const bodyProblems = problemResponses('payload_too_large', 'unsupported_media_type');

export const createKeyRoute = createRoute({
  method: 'post',
  path: '/v1/keys',
  'x-cross-field-rules': createKeyRules,
  tags: ['admin'],
  security: bearerAuth,
  summary: 'Create an API key with a role, optionally limited to a region subtree',
  request: { body: { required: true, content: { 'application/json': { schema: createKeyBodySchema } } } },
  responses: {
    201: { description: 'The key, shown once', content: { 'application/json': { schema: createdKeySchema } } },
    ...adminProblems,
    ...bodyProblems,
  },
});
export const listKeysRoute = createRoute({
  method: 'get',
  path: '/v1/keys',
  tags: ['admin'],
  security: bearerAuth,
  summary: 'List API keys (never their secrets)',
  responses: {
    200: { description: 'Every key', content: { 'application/json': { schema: z.object({ keys: z.array(listedKeySchema) }) } } },
    ...adminProblems,
  },
});
export const revokeKeyRoute = createRoute({
  method: 'delete',
  path: '/v1/keys/{id}',
  tags: ['admin'],
  security: bearerAuth,
  summary: 'Revoke an API key',
  request: { params: z.object({ id: z.string().meta({ description: 'The keyId' }) }) },
  responses: { 204: { description: 'Revoked' }, ...adminProblems, ...problemResponses('not_found') },
});
export const addRegionRoute = createRoute({
  method: 'post',
  path: '/v1/regions',
  'x-cross-field-rules': addRegionRules,
  tags: ['admin'],
  security: bearerAuth,
  summary: 'Add a region the registry lacks (a development zone, a merged township)',
  request: { body: { required: true, content: { 'application/json': { schema: createRegionBodySchema } } } },
  responses: {
    201: { description: 'The region as added', content: { 'application/json': { schema: regionSchema } } },
    ...adminProblems,
    ...bodyProblems,
  },
});
