/**
 * Instants as ClickHouse's DateTime64(3, 'UTC') columns take and give them:
 * `2020-02-13 00:00:00.000`, always UTC.
 */
export function toClickHouseTime(instant: string | Date): string {
  const iso = typeof instant === 'string' ? instant : instant.toISOString();
  // Already UTC to the millisecond (every receivedAt, Date.toISOString's
  // form) on a day every month has: the text is a slice of it. The consumer
  // converts two instants an event, so this is on its path for every row;
  // the 29th to 31st, offsets and other precisions go through Date, which
  // normalises them as before.
  if (utcMillis.test(iso)) return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  return new Date(iso).toISOString().replace('T', ' ').replace('Z', '');
}
const utcMillis = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** `2020-02-13 00:00:00.000` (UTC) → `2020-02-13T00:00:00.000Z`. */
export function fromClickHouseTime(text: string): string {
  return new Date(`${text.replace(' ', 'T')}Z`).toISOString();
}
