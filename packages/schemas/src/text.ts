import { z } from 'zod';

/**
 * Storable text: what every free-text field of every event and API body must
 * be, so that nothing the API accepts can later be refused by ClickHouse (a
 * lone surrogate made its JSON parser fail with CANNOT_PARSE_ESCAPE_SEQUENCE
 * and stalled the consumer) or break a CSV, a bulletin line or a log line.
 *
 * Rejected everywhere: lone surrogates (U+D800–U+DFFF not in a pair: not
 * Unicode text, no UTF-8 encoding exists), NUL and the other C0 controls,
 * DEL and the C1 controls (U+0080–U+009F, mostly mis-decoded Latin-1 bytes).
 *
 * Tab, line feed and carriage return are allowed only in `multiline` fields
 * (prose a person types: the reason of a void or a site closure). Names,
 * labels, ids and any value that becomes a breakdown key, a CSV cell or a
 * table row stay on one line: a newline there splits a row in every export.
 */
export interface TextOptions {
  /** Minimum length in UTF-16 code units (default 1: an empty name says nothing). */
  min?: number;
  /** Maximum length in UTF-16 code units. */
  max: number;
  /** Allow tab, LF and CR (prose). Default false. */
  multiline?: boolean;
  /** Trim white space before checking (search texts). Default false: stored text is kept as sent. */
  trim?: boolean;
  /** The message for a length below `min` (default zod's). */
  minMessage?: string;
  /** The message for a length above `max` (default zod's). */
  maxMessage?: string;
}

// The same rule as a pattern, so the OpenAPI document carries it (generated
// clients and Schemathesis see it). No `u` flag: the document keeps only the
// source, and a JSON Schema tool may run it on UTF-16 code units (JS without
// `u`) or on code points (with `u`, Python): a pair is allowed as two code
// units, and any other surrogate is refused, in both readings.
const pair = '[\\ud800-\\udbff][\\udc00-\\udfff]';
const singleLinePattern = new RegExp(`^(?:[^\\u0000-\\u001f\\u007f-\\u009f\\ud800-\\udfff]|${pair})*$`);
const multiLinePattern = new RegExp(`^(?:[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\ud800-\\udfff]|${pair})*$`);

/** Why `value` is not storable text, or undefined when it is. Exported for the ingest edge and tests. */
export function unstorableReason(value: string, multiline = false): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `holds a lone surrogate ${hex(c)} at character ${i}: not Unicode text, it cannot be stored`;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return `holds a lone surrogate ${hex(c)} at character ${i}: not Unicode text, it cannot be stored`;
    if (multiline && (c === 0x09 || c === 0x0a || c === 0x0d)) continue;
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) {
      const what = c === 0 ? 'NUL' : c === 0x09 ? 'a tab' : c === 0x0a || c === 0x0d ? 'a line break' : 'a control character';
      return `holds ${what} (${hex(c)}) at character ${i}: ${multiline ? 'control characters' : 'control characters, tabs and line breaks'} are not allowed here`;
    }
  }
  return undefined;
}

function hex(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A zod string for a free-text field: length bounds plus the storable-text rule. */
export function storableText(options: TextOptions): z.ZodString {
  const multiline = options.multiline ?? false;
  const base = options.trim ? z.string().trim() : z.string();
  return base
    .min(options.min ?? 1, options.minMessage)
    .max(options.max, options.maxMessage)
    .regex(multiline ? multiLinePattern : singleLinePattern, {
      error: (issue) => (typeof issue.input === 'string' ? unstorableReason(issue.input, multiline) : undefined) ?? 'must be storable text',
    });
}
