import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ProblemError } from './problem.ts';

/**
 * Refuses a request body larger than `maxBytes` with a 413 problem, before
 * the route reads it: a declared Content-Length is judged at once, and a
 * chunked body is counted as it streams and dropped at the first byte past
 * the limit (hono's bodyLimit). Without it a JSON route's validator would
 * read a body of any size into memory before it could answer 400.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ProblemError('payload_too_large', `The body is larger than ${maxBytes} bytes`);
    },
  });
}

/** Admin bodies (a key's name and role, a region's code, name and parent) are small. */
export const adminBodyBytes = 16 * 1024;
