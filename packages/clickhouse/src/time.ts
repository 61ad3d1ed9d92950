/**
 * Instants as ClickHouse's DateTime64(3, 'UTC') columns take and give them:
 * `2020-02-13 00:00:00.000`, always UTC.
 */
export function toClickHouseTime(instant: string | Date): string {
  const iso = typeof instant === 'string' ? instant : instant.toISOString();
  // The consumer converts every event's receivedAt, which a batch shares: convert each once.
  if (iso === last.iso) return last.text;
  const text = new Date(iso).toISOString().replace('T', ' ').replace('Z', '');
  last = { iso, text };
  return text;
}
let last = { iso: '', text: '' };

/** `2020-02-13 00:00:00.000` (UTC) → `2020-02-13T00:00:00.000Z`. */
export function fromClickHouseTime(text: string): string {
  return new Date(`${text.replace(' ', 'T')}Z`).toISOString();
}
