import { validationProblem } from '@cordon/edge';
import type { FieldError } from '@cordon/schemas';

/**
 * How every route applies the rules between its parameters. The rules
 * themselves are the `*QueryErrors()` functions of @cordon/schemas, beside
 * the query schemas whose fields they relate (the OpenAPI document states
 * them from `cross-field.ts` there); the region half is `resolveRegion`,
 * which needs the registry and the key. A route checks in stages, each with
 * what is known by then (its defaults, the region's level, the data's first
 * day), and answers 400 with the errors of the first stage that has any.
 */
export function refuseCrossField(errors: readonly FieldError[]): void {
  if (errors.length > 0) throw validationProblem([...errors]);
}
