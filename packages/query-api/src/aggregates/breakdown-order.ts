/**
 * `sort` and `limit` on rows: a top N. Rows arrive in their natural key order
 * (time for days and weeks, code or name otherwise), which `key` keeps and
 * which breaks ties between equal values, so the same question always gets
 * the same rows in the same order.
 */
export function orderRows<R extends { values: Record<string, number> }>(
  rows: readonly R[],
  sort: string | undefined,
  limit: number | undefined,
): R[] {
  const descending = sort?.startsWith('-') ?? false;
  const by = sort?.replace(/^-/, '') ?? 'key';
  const indexed = rows.map((row, index) => ({ row, index }));
  indexed.sort((a, b) => {
    if (by !== 'key') {
      const diff = (a.row.values[by] ?? 0) - (b.row.values[by] ?? 0);
      if (diff !== 0) return descending ? -diff : diff;
      return a.index - b.index;
    }
    return descending ? b.index - a.index : a.index - b.index;
  });
  const ordered = indexed.map((x) => x.row);
  return limit === undefined ? ordered : ordered.slice(0, limit);
}
