import { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { fieldErrorsOf } from '@cordon/schemas';
import { validationProblem } from './problem.ts';

/**
 * A router whose routes are described by zod schemas (@hono/zod-openapi):
 * the same schemas validate the request and write the OpenAPI document.
 * A request that fails them gets the one validation problem shape.
 */
export function createRouter<E extends Env>() {
  return new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(fieldErrorsOf(result.error.issues));
    },
  });
}
