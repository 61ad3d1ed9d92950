/**
 * Ids asked of ClickHouse in pieces. Query parameters travel in the URL of
 * a ClickHouse server's HTTP interface (http_max_uri_size, 1 MiB by
 * default), and a consumer block may hold 25,000 ids (about 1 MB encoded):
 * 5,000 a query keeps every look-up far below it.
 */
export const IDS_PER_QUERY = 5_000;

/** `look` over consecutive pieces of `ids`, one after the other; their answers in order. */
export async function inIdChunks<T>(ids: readonly string[], look: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY) out.push(...(await look(ids.slice(start, start + IDS_PER_QUERY))));
  return out;
}
