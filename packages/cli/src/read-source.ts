import { extname } from 'node:path';
import { parseString } from '@fast-csv/parse';
import ExcelJS from 'exceljs';
import type { Cell } from './tally-rows.ts';

export const sourceFormats = ['ndjson', 'json', 'csv', 'xlsx'] as const;
export type SourceFormat = (typeof sourceFormats)[number];

/** What a file holds: events as JSON (one per line or an array), or a tally sheet. */
export type Source =
  | { kind: 'events'; records: { row: number; value?: unknown; error?: string }[] }
  | { kind: 'tallies'; headers: string[]; rows: { row: number; cells: Cell[] }[] };

export function formatOf(path: string, given?: string): SourceFormat | { error: string } {
  if (given !== undefined)
    return (sourceFormats as readonly string[]).includes(given)
      ? (given as SourceFormat)
      : { error: `--format must be one of ${sourceFormats.join(', ')}` };
  const ext = extname(path).toLowerCase();
  const byExt: Record<string, SourceFormat> = { '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.json': 'json', '.csv': 'csv', '.xlsx': 'xlsx' };
  return byExt[ext] ?? { error: `cannot tell the format of ${path} from its extension; give --format ${sourceFormats.join('|')}` };
}

/** Row numbers are the file's own: lines for NDJSON and CSV (the header is row 1), rows for Excel, positions from 1 for a JSON array. */
export async function readSource(bytes: Buffer, format: SourceFormat): Promise<Source> {
  switch (format) {
    case 'ndjson':
      return { kind: 'events', records: readNdjson(bytes) };
    case 'json':
      return { kind: 'events', records: readJsonArray(bytes) };
    case 'csv':
      return readCsv(bytes);
    case 'xlsx':
      return readXlsx(bytes);
    default: {
      const unreachable: never = format;
      throw new Error(`unknown format ${String(unreachable)}`);
    }
  }
}

function decode(bytes: Buffer): string {
  // fatal: a file in GBK is refused with a clear message instead of landing as mojibake.
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

function readNdjson(bytes: Buffer) {
  return decode(bytes)
    .split('\n')
    .map((line, i) => ({ line: line.trim(), row: i + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, row }) => {
      try {
        return { row, value: JSON.parse(line) as unknown };
      } catch (error) {
        return { row, error: `not JSON: ${(error as Error).message}` };
      }
    });
}

function readJsonArray(bytes: Buffer) {
  const body = JSON.parse(decode(bytes)) as unknown;
  const events = Array.isArray(body) ? body : (body as { events?: unknown })?.events;
  if (!Array.isArray(events)) throw new Error('a JSON file must hold an array of events or {"events": [...]}');
  return events.map((value, i) => ({ row: i + 1, value: value as unknown }));
}

async function readCsv(bytes: Buffer): Promise<Source> {
  const lines: string[][] = [];
  await new Promise<void>((resolve, reject) => {
    parseString(decode(bytes), { headers: false, ignoreEmpty: false, trim: false })
      .on('error', reject)
      .on('data', (row: string[]) => lines.push(row))
      .on('end', () => resolve());
  });
  const [headers = [], ...rest] = lines;
  return { kind: 'tallies', headers, rows: rest.map((cells, i) => ({ row: i + 2, cells })) };
}

async function readXlsx(bytes: Buffer): Promise<Source> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('the workbook has no worksheet');
  const width = sheet.columnCount;
  const cellsOf = (r: number): Cell[] => Array.from({ length: width }, (_, c) => cellValue(sheet.getRow(r).getCell(c + 1).value));
  const headers = cellsOf(1).map((c) => (c === null || c === undefined ? '' : String(c)));
  const rows: { row: number; cells: Cell[] }[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) rows.push({ row: r, cells: cellsOf(r) });
  return { kind: 'tallies', headers, rows };
}

/** Excel's cell shapes (rich text, formulas, links) down to what a tally reads. */
function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return String(value);
  if ('richText' in value) return value.richText.map((t) => t.text).join('');
  if ('result' in value) return cellValue(value.result as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return null;
}
