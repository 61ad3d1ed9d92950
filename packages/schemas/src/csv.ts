import { labelLanguages, metricCatalogue, type LabelLanguage } from './metrics.ts';

/**
 * The CSV shape of the API's answers, one definition for the server's
 * `Accept: text/csv` and for `cordon export`, so both write the same bytes.
 * An answer's rows (the first of `rows`, `points`, `sites`, … it has)
 * become lines; nested objects become columns (a row's `key` and `values`
 * without prefix, so an aggregates row reads `day,people_screened`).
 */
const rowFields = ['rows', 'points', 'sites', 'flags', 'regions', 'items', 'metrics', 'children'] as const;

export function csvRowsOf(body: Record<string, unknown>): Record<string, unknown>[] | undefined {
  for (const field of rowFields) {
    const value = body[field];
    if (Array.isArray(value) && value.every((r) => typeof r === 'object' && r !== null)) return value as Record<string, unknown>[];
  }
  return undefined;
}

/** Flattened rows as a table: columns in first-seen order. */
export function csvTable(rows: readonly Record<string, unknown>[]): { columns: string[]; rows: unknown[][] } {
  const flat = rows.map((row) => flatten(row));
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  return { columns, rows: flat.map((r) => columns.map((col) => r[col])) };
}

/** RFC 4180 CSV of flattened rows, headed by `heading` (default: the column's name). No BOM: the caller adds it. */
export function toCsv(rows: readonly Record<string, unknown>[], heading: (column: string) => string = (column) => column): string {
  const table = csvTable(rows);
  const lines = [table.columns.map((col) => csvCell(heading(col))).join(','), ...table.rows.map((r) => r.map(csvCell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // A row's key and values are the columns themselves, not "key.day".
    const name = prefix === '' && (k === 'key' || k === 'values') ? '' : `${prefix}${k}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      Object.assign(out, flatten(v as Record<string, unknown>, name === '' ? '' : `${name}.`));
    else out[name] = Array.isArray(v) ? v.join(';') : v;
  }
  return out;
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Quote what CSV needs quoted; prefix what a spreadsheet would run as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The language of CSV headers: `?lang=` first, then the best zh or en of
 * `Accept-Language`; undefined (machine headers, as before labels existed)
 * when neither says, so scripts that read `day,people_screened` keep working.
 */
export function csvLanguageOf(lang: string | null | undefined, acceptLanguage: string | undefined): LabelLanguage | undefined {
  if (lang && (labelLanguages as readonly string[]).includes(lang)) return lang as LabelLanguage;
  if (!acceptLanguage) return undefined;
  const ranked = acceptLanguage
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(
        params
          .map((p) => p.trim())
          .find((p) => p.startsWith('q='))
          ?.slice(2) ?? '1',
      );
      return { primary: tag.trim().toLowerCase().split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((t) => t.q > 0 && (labelLanguages as readonly string[]).includes(t.primary))
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked[0]?.primary as LabelLanguage | undefined;
}

/** Headings of the key and point columns of aggregates and timeseries CSV. */
const columnHeadings: Record<string, Record<LabelLanguage, string>> = {
  day: { zh: '日期', en: 'Day' },
  week: { zh: '周', en: 'Week' },
  region: { zh: '区划代码', en: 'Region code' },
  name: { zh: '区划名称', en: 'Region' },
  site: { zh: '卡点', en: 'Site' },
  dimension: { zh: '分类', en: 'Dimension' },
  value: { zh: '分项', en: 'Value' },
  siteKind: { zh: '卡点类型', en: 'Site kind' },
  period: { zh: '期间', en: 'Period' },
  start: { zh: '起始日', en: 'Start' },
  end: { zh: '截止日', en: 'End' },
  cumulative: { zh: '累计', en: 'Cumulative' },
  movingAverage7: { zh: '7日平均', en: '7-day average' },
  'change.absolute': { zh: '较上期增减', en: 'Change' },
  'change.relative': { zh: '较上期增减率', en: 'Relative change' },
};

/**
 * How a column of an answer is headed in `lang`, for the answers whose CSV
 * has metric columns (aggregates: one per metric; timeseries: `value` is the
 * metric); undefined for other answers, which keep their machine headers.
 */
export function csvHeadingsOf(body: Record<string, unknown>, lang: LabelLanguage): ((column: string) => string) | undefined {
  const isAggregates = Array.isArray(body['metrics']) && Array.isArray(body['rows']);
  const isTimeseries = typeof body['metric'] === 'string' && Array.isArray(body['points']);
  if (!isAggregates && !isTimeseries) return undefined;
  const seriesMetric = isTimeseries ? metricCatalogue.get(body['metric'] as string) : undefined;
  return (column) => {
    if (seriesMetric && column === 'value') return seriesMetric.label[lang];
    return metricCatalogue.get(column)?.label[lang] ?? columnHeadings[column]?.[lang] ?? column;
  };
}
