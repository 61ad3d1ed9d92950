import { OpenAPIHono } from '@hono/zod-openapi';
import { crossFieldExtension, documentedRoutes, figurePaths, problemResponses, type CrossFieldRule } from '@cordon/schemas';

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
    description:
      'An API key: `Authorization: Bearer <key>`. Keys have a role (ingest, read, admin) and may be limited to a region subtree.',
  });
  const document = registry.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Cordon API',
      version: '1.0.0',
      description:
        "Public-health field data in, county-wide figures out. Every error is application/problem+json (RFC 9457). Days are in the server's CORDON_TZ (default Asia/Shanghai).",
    },
    // Relative: "Try it out" in /docs calls the server that served the document, whatever its PORT and host.
    servers: [{ url: '/', description: 'The server that serves this document' }],
    tags: [
      { name: 'events', description: 'What field apps send' },
      { name: 'figures', description: 'What the office and other apps read' },
      { name: 'registry', description: 'Regions, sites, completeness and data quality' },
      { name: 'bulletins', description: 'The daily bulletins the server writes (CORDON_BULLETIN_REGIONS)' },
      { name: 'status', description: 'Liveness and pipeline position' },
      { name: 'admin', description: 'API keys and regions' },
    ],
  });
  describeEdgeBehaviour(document as unknown as { paths?: Record<string, Record<string, Operation>> });
  describeCrossFieldRules(document as unknown as { paths?: Record<string, Record<string, Operation>> });
  return document;
}

type Operation = {
  security?: unknown;
  description?: string;
  parameters?: { name: string; in: string; description?: string }[];
  requestBody?: { description?: string };
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>;
  [crossFieldExtension]?: readonly CrossFieldRule[];
};

/**
 * The rules between parameters (x-cross-field-rules, from @cordon/schemas'
 * cross-field table) written out where a reader of a generated client looks:
 * each query parameter a rule names says it in its description, and a body's
 * rules are said in the request body's description.
 */
function describeCrossFieldRules(document: { paths?: Record<string, Record<string, Operation>> }) {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const rules = operation[crossFieldExtension];
      if (!rules?.length) continue;
      for (const parameter of operation.parameters ?? []) {
        const own = rules.filter((r) => r.fields.includes(parameter.name)).map((r) => r.rule);
        if (own.length > 0)
          parameter.description =
            `${parameter.description ?? ''} Checked with other parameters (400 naming the field when broken): ${own.join('; ')}.`.trim();
      }
      if (operation.requestBody) {
        operation.requestBody.description = `Checked beyond the schema (400 naming the field when broken): ${rules.map((r) => r.rule).join('; ')}.`;
      }
    }
  }
}

/**
 * What the server's shared middleware adds to routes, written into the
 * document in the same place it is applied: every keyed route may answer 429
 * (per-key rate limit); figure routes carry ETags (304) and answer CSV.
 */
function describeEdgeBehaviour(document: { paths?: Record<string, Record<string, Operation>> }) {
  const rateLimited = problemResponses('rate_limited');
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      operation.responses ??= {};
      if (operation.security) Object.assign(operation.responses, rateLimited);
      if (method !== 'get' || !(figurePaths as readonly string[]).includes(path)) continue;
      const ok = operation.responses['200'];
      if (ok?.content)
        ok.content['text/csv'] = { schema: { type: 'string', description: 'The rows as CSV (UTF-8 with BOM), on Accept: text/csv' } };
      operation.responses['304'] = { description: 'Not modified: If-None-Match matched the ETag; no new event could change the answer' };
    }
  }
}

export const openApiDocumentPath = new URL('../openapi.json', import.meta.url);
