import { v5 as uuidv5 } from 'uuid';

/** The namespace of import ids (a fixed random UUID: changing it would double every re-import). */
const importNamespace = '5b0c3e52-8f0e-4c7a-9a43-2f6d7e1c9b10';

/**
 * Ids for events that come without one, derived from what the event says
 * (type, day and time, region, site, figures) rather than drawn at random:
 * importing the same file again gives the same ids, so the server counts
 * each event once (a duplicate), and so does the same sheet saved as CSV
 * and as Excel, or a file where one row was corrected and the rest left
 * alone (only the corrected row is new). Two rows saying exactly the same
 * thing are told apart by their order (the second is `#2`), so a sheet that
 * truly has two identical tallies keeps both.
 */
export function createContentIds(): (event: object) => string {
  const seen = new Map<string, number>();
  return (event) => {
    const content = canonicalJson(event);
    const n = (seen.get(content) ?? 0) + 1;
    seen.set(content, n);
    return uuidv5(`${content}#${n}`, importNamespace);
  };
}

/** JSON with object keys sorted, so key order in a file does not change an id. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
