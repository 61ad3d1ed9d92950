import { metricCatalogue } from '@cordon/schemas';

/**
 * The columns of a tally sheet (CSV or Excel, one row per place and day) and
 * the event fields they fill. Headers are matched after trimming, lower-casing
 * and dropping a trailing unit in brackets (排查车辆（台） is 排查车辆), in
 * Chinese or English; the metric labels of the catalogue (and its machine
 * names) are accepted too, so a sheet exported by `cordon export` imports.
 */
export type TallyField =
  | 'date'
  | 'time'
  | 'region'
  | 'town'
  | 'site'
  | 'id'
  | 'source'
  | 'screening.vehicles'
  | 'screening.people'
  | 'screening.temperatureChecks'
  | 'turnback.vehicles'
  | 'turnback.people'
  | 'turnback.reason'
  | 'fever.people'
  | 'fever.disposition';

/** The columns that hold a count: a sheet needs one of them, and each cell of one is a whole number. */
export const countFields = [
  'screening.vehicles',
  'screening.people',
  'screening.temperatureChecks',
  'turnback.vehicles',
  'turnback.people',
  'fever.people',
] as const satisfies readonly TallyField[];

const aliases: Record<TallyField, readonly string[]> = {
  date: ['日期', 'date', 'day'],
  time: ['时间', 'time'],
  region: ['区划代码', '行政区划代码', 'region', 'region code', 'region_code', 'code'],
  town: ['乡镇', '乡镇街道', '乡镇（街道）', '街道', 'town'],
  site: ['卡点', '卡点编号', 'site'],
  id: ['id'],
  source: ['来源', 'source'],
  'screening.vehicles': ['排查车辆', ...metricNamesAndLabels('vehicles_screened')],
  'screening.people': ['排查人数', '排查人员', ...metricNamesAndLabels('people_screened')],
  'screening.temperatureChecks': ['测温人数', '测温人次', ...metricNamesAndLabels('temperature_checks')],
  'turnback.vehicles': ['劝返车辆数', ...metricNamesAndLabels('vehicles_turned_back')],
  'turnback.people': ['劝返人数', ...metricNamesAndLabels('people_turned_back')],
  'turnback.reason': ['劝返原因', 'turnback reason', 'turnback_reason'],
  'fever.people': ['发热人数', ...metricNamesAndLabels('fever_cases')],
  'fever.disposition': ['发热处置', 'fever disposition', 'fever_disposition'],
};

/** Columns a sheet may carry that say nothing to import: a row number, remarks, the reason of a rejected file. */
const ignored = new Set(['序号', '备注', 'no', 'no.', 'remarks', 'notes', 'reason', '原因', '区划名称', 'region name']);

function metricNamesAndLabels(name: string): string[] {
  const def = metricCatalogue.get(name);
  return def ? [name, def.label.zh, def.label.en] : [name];
}

export function normalizeHeader(header: string): string {
  return header
    .trim()
    .replace(/[（(][^（）()]*[)）]$/, '')
    .trim()
    .toLowerCase();
}

const byAlias = new Map<string, TallyField>(
  (Object.entries(aliases) as [TallyField, readonly string[]][]).flatMap(([field, names]) =>
    names.map((n) => [normalizeHeader(n), field] as const),
  ),
);

export interface TallyHeader {
  /** Column index of each field the sheet has. */
  columns: Partial<Record<TallyField, number>>;
}

/** Maps a header row to fields; unknown columns are an error, so a misspelt figure is never dropped silently. */
export function readTallyHeader(headers: readonly string[]): { header: TallyHeader } | { error: string } {
  const columns: Partial<Record<TallyField, number>> = {};
  const unknown: string[] = [];
  headers.forEach((raw, index) => {
    const name = normalizeHeader(raw);
    if (name === '' || ignored.has(name)) return;
    const field = byAlias.get(name);
    if (!field) return unknown.push(raw.trim());
    if (columns[field] !== undefined) return unknown.push(`${raw.trim()} (a second ${field} column)`);
    columns[field] = index;
  });
  if (unknown.length > 0)
    return { error: `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (see cordon import --help for the columns)` };
  if (columns.date === undefined) return { error: 'no date column (日期 or date)' };
  if (columns.region === undefined && columns.town === undefined) return { error: 'no region column (区划代码/region, or 乡镇/town)' };
  if (!countFields.some((f) => columns[f] !== undefined))
    return { error: 'no figure column (排查车辆, 排查人数, 劝返车辆, 劝返人数, 发热人数, …)' };
  return { header: { columns } };
}

/** The documented mapping, for `cordon import --help`. */
export function describeTallyColumns(): string {
  return (Object.entries(aliases) as [TallyField, readonly string[]][])
    .map(([field, names]) => `  ${field.padEnd(28)} ${[...new Set(names)].slice(0, 4).join(', ')}`)
    .join('\n');
}
