import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import { buildOpenApiDocument } from '@cordon/query-api';

/**
 * GET /openapi.json (the document generated from the route definitions, the
 * same as the committed packages/query-api/openapi.json) and GET /docs, a
 * browsable reference: Swagger UI served from the swagger-ui-dist package, so
 * it works on a machine without internet access.
 */
export function createDocsRoutes() {
  const app = new Hono();
  // Built on the first request, not at every start: most processes never serve it.
  let document: string | undefined;
  const assets = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const assetTypes: Record<string, string> = {
    'swagger-ui.css': 'text/css; charset=utf-8',
    'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
    'favicon-32x32.png': 'image/png',
  };

  app.get('/openapi.json', (c) =>
    c.body((document ??= JSON.stringify(buildOpenApiDocument())), 200, { 'content-type': 'application/json; charset=utf-8' }),
  );
  app.get('/docs', (c) => c.html(docsPage));
  app.get('/docs/:asset', async (c) => {
    const name = c.req.param('asset');
    const type = assetTypes[name];
    if (!type) return c.notFound();
    return c.body(await readFile(join(assets, name)), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
  return app;
}

const docsPage = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Cordon API reference</title>
  <link rel="icon" href="/docs/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true, persistAuthorization: true, tryItOutEnabled: true });
  </script>
</body>
</html>`;
