import { OpenAPIHono } from '@hono/zod-openapi';
import { documentedRoutes } from '@cordon/schemas';

/**
 * The OpenAPI 3.1 document of the whole public API, generated from the route
 * definitions in @cordon/schemas: the same zod schemas that validate the
 * requests. `npm run generate` writes it to openapi.json (committed); a test
 * fails when the file drifts from the code.
 */
export function buildOpenApiDocument() {
  const registry = new OpenAPIHono();
  for (const route of documentedRoutes) registry.openAPIRegistry.registerPath(route);
  registry.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: `Authorization: Bearer <key>`. Keys have a role (ingest, read, admin) and may be limited to a region subtree.',
  });
  return registry.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Cordon API',
      version: '1.0.0',
      description:
        'Public-health field data in, county-wide figures out. Every error is application/problem+json (RFC 9457). Days are in the server\'s CORDON_TZ (default Asia/Shanghai).',
    },
    servers: [{ url: 'http://127.0.0.1:8787', description: 'npm start / npm run demo' }],
    tags: [
      { name: 'events', description: 'What field apps send' },
      { name: 'figures', description: 'What the office and other apps read' },
      { name: 'status', description: 'Liveness and pipeline position' },
      { name: 'admin', description: 'API keys and regions' },
    ],
  });
}

export const openApiDocumentPath = new URL('../openapi.json', import.meta.url);
