import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import { csvHeadingsOf, csvRowsOf, csvTable, labelLanguages, toCsv, type LabelLanguage } from '@cordon/schemas';
import type { CordonClient, MetricName } from '@cordon/sdk';
import { CommandError, UsageError } from './connect.ts';

export interface ExportOptions {
  out?: string;
  format?: string;
  lang?: string;
  region?: string;
  from?: string;
  to?: string;
}
export interface AggregatesExportOptions extends ExportOptions {
  metrics: string;
  groupBy?: string;
  level?: string;
  sort?: string;
  limit?: string;
}
export interface TimeseriesExportOptions extends ExportOptions {
  metric: string;
  interval?: string;
  dim?: string;
}

/** `cordon export aggregates|timeseries`: the answer as the server's CSV (same bytes as `Accept: text/csv`) or as an Excel sheet. */
export async function runExport(
  what: 'aggregates' | 'timeseries',
  options: AggregatesExportOptions | TimeseriesExportOptions,
  client: CordonClient,
  stdout: NodeJS.WritableStream,
): Promise<number> {
  const format = options.format ?? (options.out && extname(options.out).toLowerCase() === '.xlsx' ? 'xlsx' : 'csv');
  if (format !== 'csv' && format !== 'xlsx') throw new UsageError('--format must be csv or xlsx');
  if (format === 'xlsx' && !options.out) throw new UsageError('an Excel export needs --out FILE.xlsx');
  if (options.lang !== undefined && !(labelLanguages as readonly string[]).includes(options.lang))
    throw new UsageError(`--lang must be one of ${labelLanguages.join(', ')}`);
  const lang = options.lang as LabelLanguage | undefined;
  const common = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
  };

  let body: Record<string, unknown>;
  if (what === 'aggregates') {
    const o = options as AggregatesExportOptions;
    const result = await client.aggregates({
      ...common,
      // Families (donated:*) are expanded by the server; the SDK's type lists plain names.
      metrics: o.metrics.split(',').map((m) => m.trim()) as MetricName[],
      ...(o.groupBy ? { groupBy: o.groupBy as 'none' } : {}),
      ...(o.level ? { level: o.level as 'county' } : {}),
      ...(o.sort ? { sort: o.sort } : {}),
      ...(o.limit ? { limit: Number(o.limit) } : {}),
    });
    if (result.error) throw new CommandError(describeProblem(result.error));
    body = result.data as unknown as Record<string, unknown>;
  } else {
    const o = options as TimeseriesExportOptions;
    const result = await client.timeseries({
      ...common,
      metric: o.metric as MetricName,
      ...(o.interval ? { interval: o.interval as 'day' } : {}),
      ...(o.dim ? { dim: o.dim } : {}),
    });
    if (result.error) throw new CommandError(describeProblem(result.error));
    body = result.data as unknown as Record<string, unknown>;
  }

  const rows = csvRowsOf(body) ?? [];
  const heading = (lang ? csvHeadingsOf(body, lang) : undefined) ?? ((c: string) => c);
  if (format === 'csv') {
    const text = `\uFEFF${toCsv(rows, heading)}`;
    if (options.out) await writeFile(options.out, text);
    else stdout.write(text);
    return 0;
  }
  const table = csvTable(rows);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(what);
  // Cells keep their types (numbers stay numbers); Excel never runs a string cell as a formula.
  sheet.addRow(table.columns.map(heading));
  for (const row of table.rows)
    sheet.addRow(row.map((v) => (v === null || v === undefined ? null : typeof v === 'number' ? v : String(v))));
  sheet.getRow(1).font = { bold: true };
  await workbook.xlsx.writeFile(options.out!);
  return 0;
}

/** A problem in one line: its title and the fields it names. */
export function describeProblem(error: Error & { errors?: { path: string; message: string }[] }): string {
  const fields = error.errors?.map((e) => `${e.path} ${e.message}`).join('; ');
  return fields ? `${error.message}: ${fields}` : error.message;
}
