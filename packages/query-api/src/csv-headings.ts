import { labelLanguages, metricCatalogue, type LabelLanguage } from '@cordon/schemas';

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
      const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith('q='))?.slice(2) ?? '1');
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
