import { ProblemError } from '@cordon/edge';

/** CONTRACT.md: at most 5,000 events or 5 MiB per request. */
export const maxEventsPerRequest = 5000;
export const maxBodyBytes = 5 * 1024 * 1024;

/** One item of the request: the parsed JSON, or why its line could not be parsed (NDJSON). */
export type BodyItem = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Reads `POST /v1/events` bodies: a JSON array, `{"events": [...]}`, or NDJSON.
 * A malformed JSON document is a 400 for the whole request (nothing can be
 * trusted); a malformed NDJSON line rejects that line only.
 */
export function parseEventsBody(text: string, contentType: string): BodyItem[] {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() || 'application/json';
  let items: BodyItem[];
  if (mediaType === 'application/x-ndjson' || mediaType === 'application/ndjson' || mediaType === 'application/jsonl') {
    items = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        try {
          return { ok: true, value: JSON.parse(line) as unknown };
        } catch (error) {
          return { ok: false, message: `line is not valid JSON: ${(error as Error).message}` };
        }
      });
  } else if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ProblemError('validation', `The body is not valid JSON: ${(error as Error).message}`, {
        errors: [{ path: '(body)', message: 'is not valid JSON' }],
      });
    }
    const list = Array.isArray(json) ? json : isObject(json) && Array.isArray(json['events']) ? json['events'] : undefined;
    if (!list) {
      throw new ProblemError('validation', 'Send a JSON array of events or {"events": [...]}', {
        errors: [{ path: Array.isArray(json) || !isObject(json) ? '(body)' : 'events', message: 'must be an array of events' }],
      });
    }
    items = list.map((value: unknown) => ({ ok: true, value }));
  } else {
    throw new ProblemError('unsupported_media_type', `Send application/json or application/x-ndjson, not ${mediaType}`);
  }
  if (items.length > maxEventsPerRequest) {
    throw new ProblemError('payload_too_large', `At most ${maxEventsPerRequest} events per request; this one has ${items.length}. Split it.`);
  }
  return items;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
