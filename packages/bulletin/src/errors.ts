import type { CordonError } from '@cordon/sdk';

/**
 * What can stop a bulletin, each with a one-line message for the person at
 * the terminal (the command prints `message` and exits non-zero, never a
 * stack trace).
 */
export type BulletinErrorCode = 'unreachable' | 'unauthorized' | 'forbidden' | 'unknown_region' | 'no_data' | 'bad_input' | 'server';

export class BulletinError extends Error {
  constructor(
    readonly code: BulletinErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BulletinError';
  }
}

/** An SDK error as a bulletin error; `what` names the request, for the message. */
export function fromSdkError(error: CordonError, context: { baseUrl?: string | undefined; region?: string | undefined }): BulletinError {
  switch (error.kind) {
    case 'network':
    case 'timeout':
    case 'aborted':
      return new BulletinError(
        'unreachable',
        `cannot reach the Cordon server${context.baseUrl ? ` at ${context.baseUrl}` : ''}: ${oneLine(error.message)}`,
      );
    case 'problem':
      if (error.status === 401) return new BulletinError('unauthorized', 'the server refused the API key (401): check CORDON_API_KEY');
      if (error.status === 403)
        return new BulletinError(
          'forbidden',
          `the API key may not read region ${context.region ?? ''} (403): ${oneLine(error.detail)}`.replace('  ', ' '),
        );
      if (error.status === 404)
        return new BulletinError('unknown_region', `unknown region ${context.region ?? ''}: ${oneLine(error.detail)}`);
      if (error.status === 400)
        return new BulletinError(
          'bad_input',
          `the server refused the request (400): ${oneLine(error.detail)}${error.errors.length ? ` (${error.errors.map((e) => `${e.path} ${e.message}`).join('; ')})` : ''}`,
        );
      return new BulletinError('server', `the server answered ${error.status}: ${oneLine(error.detail || error.title)}`);
    default: {
      const unreachable: never = error;
      return new BulletinError('server', String(unreachable));
    }
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
