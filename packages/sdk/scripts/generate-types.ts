/** npm run generate -w @cordon/sdk: writes src/generated/openapi.d.ts from the committed OpenAPI document. */
import { writeFile } from 'node:fs/promises';
import { generatedTypesUrl, generateTypes } from './openapi-types.ts';

await writeFile(generatedTypesUrl, await generateTypes());
process.stdout.write(`wrote ${generatedTypesUrl.pathname}\n`);
