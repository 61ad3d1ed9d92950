import { eventSchema, type CordonEventInput } from '@cordon/schemas';
import type { CordonClient } from '@cordon/sdk';
import { createContentIds } from './content-ids.ts';
import type { Source } from './read-source.ts';
import { normalizeHeader, readTallyHeader } from './tally-columns.ts';
import { readTallyRow, tallyEvents, type Cell, type TallyRow } from './tally-rows.ts';

/** A row of the file with the events it makes, or the reason it makes none. */
export interface PlannedRow {
  row: number;
  /** What goes back into FILE.rejected.csv: the row's cells, or the event's JSON. */
  original: Cell[] | string;
  events: CordonEventInput[];
  reason?: string;
}

export interface ImportPlan {
  kind: Source['kind'];
  headers: string[];
  rows: PlannedRow[];
}

export interface PlanOptions {
  /** The offset tally days are written in (+08:00). */
  offset: string;
  /** Resolve town names only inside this region. */
  within?: string | undefined;
}

/**
 * Turns a file's rows into events, every one checked against the event
 * schema here, so a row lands whole or not at all (a tally row's screening
 * is not sent when its fever cell is wrong).
 */
export async function planImport(source: Source, client: CordonClient, options: PlanOptions): Promise<ImportPlan> {
  const idOf = createContentIds();
  if (source.kind === 'events') {
    const rows = source.records.map((record): PlannedRow => {
      const original = record.value === undefined ? '' : JSON.stringify(record.value);
      if (record.error) return { row: record.row, original, events: [], reason: record.error };
      if (record.value === null || typeof record.value !== 'object' || Array.isArray(record.value))
        return { row: record.row, original, events: [], reason: 'not an event object' };
      const value = record.value as Record<string, unknown>;
      const event = (value['id'] === undefined ? { id: idOf(value), ...value } : value) as CordonEventInput;
      return checked({ row: record.row, original, events: [event] });
    });
    return { kind: 'events', headers: ['row', 'reason', 'event'], rows };
  }

  const read = readTallyHeader(source.headers);
  if ('error' in read) throw new PlanError(read.error);
  const parsed = source.rows.map((r) => ({ ...r, result: readTallyRow(r.cells, read.header) }));
  const towns = new Set(
    parsed.flatMap((p) => ('row' in p.result && p.result.row.region === undefined && p.result.row.town ? [p.result.row.town] : [])),
  );
  const resolved = await resolveTowns(client, [...towns], options.within);
  // A rejected file imported again: its old reason column gives way to the new one.
  const keep = source.headers.flatMap((h, i) => (['reason', '原因'].includes(normalizeHeader(h)) ? [] : [i]));
  const rows: PlannedRow[] = [];
  for (const p of parsed) {
    if ('empty' in p.result) continue;
    const base = { row: p.row, original: keep.map((i) => p.cells[i]) };
    if ('reason' in p.result) {
      rows.push({ ...base, events: [], reason: p.result.reason });
      continue;
    }
    const tally: TallyRow = p.result.row;
    const region = tally.region ?? resolved.get(tally.town!);
    if (typeof region !== 'string') {
      rows.push({ ...base, events: [], reason: `town: ${region?.error ?? 'not found'}` });
      continue;
    }
    const events = tallyEvents(tally, region, options.offset).map((e) => {
      // An id column names the row; each of its events gets its own id from it.
      const id = tally.id !== undefined ? idOf({ rowId: tally.id, type: e.type }) : idOf(e);
      return { id, ...e } as CordonEventInput;
    });
    rows.push(checked({ ...base, events }));
  }
  return { kind: 'tallies', headers: [...keep.map((i) => source.headers[i]!), 'reason'], rows };
}

function checked(row: PlannedRow): PlannedRow {
  const reasons: string[] = [];
  for (const event of row.events) {
    const result = eventSchema.safeParse(event);
    if (result.success) continue;
    const prefix = row.events.length > 1 ? `${String(event.type)} ` : '';
    for (const issue of result.error.issues) reasons.push(`${prefix}${issue.path.join('.') || '(event)'}: ${issue.message}`);
  }
  return reasons.length > 0 ? { ...row, events: [], reason: reasons.join('; ') } : row;
}

/**
 * Town names to codes through the region search: an exact name at town
 * level, and only one (a name shared by two towns needs a code column or
 * --within).
 */
async function resolveTowns(
  client: CordonClient,
  towns: string[],
  within: string | undefined,
): Promise<Map<string, string | { error: string }>> {
  const out = new Map<string, string | { error: string }>();
  for (const town of towns) {
    const result = await client.regions.search({ search: town, limit: 100, ...(within ? { region: within } : {}) });
    if (result.error) throw new PlanError(`could not look up the town ${town}: ${result.error.message}`);
    const exact = result.data.regions.filter((r) => r.name === town && r.level === 'town');
    if (exact.length === 1) out.set(town, exact[0]!.code);
    else if (exact.length === 0) out.set(town, { error: `no town named ${town}${within ? ` in ${within}` : ''}` });
    else
      out.set(town, {
        error: `${exact.length} towns are named ${town} (${exact.map((r) => r.code).join(', ')}); give a region code column or --within`,
      });
  }
  return out;
}

/** The file cannot be imported at all (no usable header): one line, exit 1. */
export class PlanError extends Error {}
