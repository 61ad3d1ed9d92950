/** npm run generate: writes openapi.json from the route definitions. */
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument, openApiDocumentPath } from '../src/openapi.ts';

writeFileSync(openApiDocumentPath, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
process.stdout.write(`wrote ${openApiDocumentPath.pathname}\n`);
