import { ProblemError } from '@cordon/edge';

/** CONTRACT.md: at most 5,000 events or 5 MiB per request. */
export const maxEventsPerRequest = 5000;
export const maxBodyBytes = 5 * 1024 * 1024;

/** One item of the request: the parsed JSON, or why its line could not be parsed (NDJSON). */
export type BodyItem = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Strict UTF-8: an invalid byte sequence is an error, never silently turned
 * into U+FFFD (which would store a figure's label other than what was sent).
 * `ignoreBOM: false` (the default) drops a leading byte-order mark.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeStrict(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Reads `POST /v1/events` bodies: a JSON array, `{"events": [...]}`, or NDJSON.
 * A malformed JSON document (or one that is not UTF-8) is a 400 for the whole
 * request (nothing can be trusted); a malformed NDJSON line (bad JSON or bad
 * UTF-8) rejects that line only: 0x0A never occurs inside a UTF-8 multi-byte
 * sequence, so lines can be cut before decoding.
 */
export function parseEventsBody(body: Uint8Array, contentType: string): BodyItem[] {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() || 'application/json';
  let items: BodyItem[];
  if (mediaType === 'application/x-ndjson' || mediaType === 'application/ndjson' || mediaType === 'application/jsonl') {
    items = [];
    let start = 0;
    while (start <= body.length) {
      let end = body.indexOf(0x0a, start);
      if (end === -1) end = body.length;
      const item = parseLine(body.subarray(start, end));
      if (item) items.push(item);
      start = end + 1;
    }
  } else if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    const text = decodeStrict(body);
    if (text === undefined) {
      throw new ProblemError('validation', 'The body is not valid UTF-8: send JSON encoded as UTF-8', {
        errors: [{ path: '(body)', message: 'is not valid UTF-8' }],
      });
    }
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
    throw new ProblemError(
      'payload_too_large',
      `At most ${maxEventsPerRequest} events per request; this one has ${items.length}. Split it.`,
    );
  }
  return items;
}

/** One NDJSON line; undefined for a blank one. */
function parseLine(bytes: Uint8Array): BodyItem | undefined {
  const line = decodeStrict(bytes);
  if (line === undefined) return { ok: false, message: 'line is not valid UTF-8' };
  if (line.trim() === '') return undefined;
  try {
    return { ok: true, value: JSON.parse(line) as unknown };
  } catch (error) {
    return { ok: false, message: `line is not valid JSON: ${(error as Error).message}` };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
