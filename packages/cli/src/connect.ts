import { createClient, type CordonClient } from '@cordon/sdk';

export interface ConnectionOptions {
  url?: string;
  key?: string;
}

/** The one place a command gets its client: --url/--key, else what main.ts read from the environment. */
export function connect(options: ConnectionOptions, defaults: ConnectionOptions, stderr: NodeJS.WritableStream): CordonClient {
  const baseUrl = options.url ?? defaults.url;
  if (!baseUrl) throw new UsageError('no server: give --url or set CORDON_URL');
  const apiKey = options.key ?? defaults.key;
  return createClient({
    baseUrl,
    ...(apiKey ? { apiKey } : {}),
    // The SDK's retries (429/503 and lost answers, with backoff); said aloud, since an import may wait.
    retry: { retries: 5, minDelayMs: 250, maxDelayMs: 10_000 },
    onRetry: (info) =>
      stderr.write(`retrying ${info.method} ${info.path} in ${info.delayMs} ms (attempt ${info.attempt}: ${info.error.message})\n`),
  });
}

/** A mistake in how the command was called: one line, exit 2. */
export class UsageError extends Error {}

/** The server refused or could not be reached: one line, exit 1. */
export class CommandError extends Error {}
