import { feverDispositions, type CordonEventInput } from '@cordon/schemas';
import { countFields, type TallyField, type TallyHeader } from './tally-columns.ts';

/** A cell as a reader gives it: CSV text, or an Excel number, date or text. */
export type Cell = string | number | Date | null | undefined;

export interface TallyRow {
  day: string;
  time: string;
  /** A region code column, when the sheet has one. */
  region?: string;
  /** A town name, resolved to a code by the caller (region search). */
  town?: string;
  site?: string;
  id?: string;
  source?: string;
  screening?: { vehicles: number; people: number; temperatureChecks?: number };
  turnback?: { vehicles: number; people: number; reason?: string };
  fever?: { people: number; disposition: (typeof feverDispositions)[number] };
}

/**
 * Reads one tally row. An empty cell is no figure; a 0 is a figure (the site
 * reported nothing), so a group of columns makes its event as soon as one of
 * its cells is filled, the others reading 0. Answers a reason instead when a
 * cell cannot be read.
 */
export function readTallyRow(cells: readonly Cell[], header: TallyHeader): { row: TallyRow } | { reason: string } | { empty: true } {
  const cell = (field: TallyField): Cell => {
    const index = header.columns[field];
    return index === undefined ? undefined : cells[index];
  };
  const text = (field: TallyField): string | undefined => {
    const value = cell(field);
    if (value === null || value === undefined) return undefined;
    const s = value instanceof Date ? value.toISOString() : String(value).trim();
    return s === '' ? undefined : s;
  };
  if (cells.every((c) => c === null || c === undefined || String(c).trim() === '')) return { empty: true };

  const errors: string[] = [];
  const day = readDay(cell('date'));
  if (typeof day !== 'string') errors.push(`date: ${day.error}`);
  const time = readTime(cell('time'));
  if (typeof time !== 'string') errors.push(`time: ${time.error}`);
  const counts = {} as Record<TallyField, number | undefined>;
  for (const field of countFields) {
    const value = readCount(cell(field));
    if (typeof value === 'object') errors.push(`${field}: ${value.error}`);
    else counts[field] = value;
  }
  const disposition = text('fever.disposition') ?? 'other';
  if (!(feverDispositions as readonly string[]).includes(disposition))
    errors.push(`fever.disposition: must be one of ${feverDispositions.join(', ')}`);
  const region = text('region');
  const town = text('town');
  if (region === undefined && town === undefined) errors.push('region: neither a region code nor a town name');
  if (errors.length > 0 || typeof day !== 'string' || typeof time !== 'string') return { reason: errors.join('; ') };

  const row: TallyRow = { day, time };
  if (region !== undefined) row.region = region;
  if (town !== undefined) row.town = town;
  for (const [key, field] of [
    ['site', 'site'],
    ['id', 'id'],
    ['source', 'source'],
  ] as const) {
    const value = text(field);
    if (value !== undefined) row[key] = value;
  }
  const v = (f: TallyField) => counts[f];
  if (v('screening.vehicles') !== undefined || v('screening.people') !== undefined || v('screening.temperatureChecks') !== undefined) {
    row.screening = { vehicles: v('screening.vehicles') ?? 0, people: v('screening.people') ?? 0 };
    if (v('screening.temperatureChecks') !== undefined) row.screening.temperatureChecks = v('screening.temperatureChecks')!;
  }
  if (v('turnback.vehicles') !== undefined || v('turnback.people') !== undefined) {
    row.turnback = { vehicles: v('turnback.vehicles') ?? 0, people: v('turnback.people') ?? 0 };
    const reason = text('turnback.reason');
    if (reason !== undefined) row.turnback.reason = reason;
  }
  if (v('fever.people') !== undefined)
    row.fever = { people: v('fever.people')!, disposition: disposition as (typeof feverDispositions)[number] };
  if (!row.screening && !row.turnback && !row.fever) return { reason: 'no figure in the row' };
  return { row };
}

/** The events of a row, in a fixed order (screening, turnback, fever), ids left to the caller. */
export function tallyEvents(row: TallyRow, region: string, offset: string): Omit<CordonEventInput, 'id'>[] {
  const envelope = {
    occurredAt: `${row.day}T${row.time}:00${offset}`,
    region,
    ...(row.site !== undefined ? { site: row.site } : {}),
    ...(row.source !== undefined ? { source: row.source } : {}),
  };
  const events: Omit<CordonEventInput, 'id'>[] = [];
  if (row.screening) events.push({ ...envelope, type: 'screening', data: row.screening });
  if (row.turnback) events.push({ ...envelope, type: 'turnback', data: row.turnback });
  if (row.fever) events.push({ ...envelope, type: 'fever', data: row.fever });
  return events;
}

function readDay(value: Cell): string | { error: string } {
  // Excel date cells arrive as Dates at UTC midnight of the day written.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? { error: 'is not a date' } : value.toISOString().slice(0, 10);
  if (typeof value === 'number') return { error: `must be a day such as 2020-02-13, not ${value}` };
  const text = (value ?? '').trim();
  if (text === '') return { error: 'is empty' };
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
  if (!m) return { error: `must be a day such as 2020-02-13 or 2020年2月13日, not "${text}"` };
  const day = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) return { error: `is not a calendar day: "${text}"` };
  return day;
}

function readTime(value: Cell): string | { error: string } {
  // A tally is a day's figure: noon keeps it inside that day whatever the clock error.
  if (value === null || value === undefined || String(value).trim() === '') return '12:00';
  if (value instanceof Date) return value.toISOString().slice(11, 16);
  const m = /^(\d{1,2})[:：](\d{2})$/.exec(String(value).trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return { error: `must be a time such as 08:30, not "${String(value).trim()}"` };
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

function readCount(value: Cell): number | undefined | { error: string } {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return { error: 'must be a whole number, not a date' };
  const text = typeof value === 'number' ? String(value) : value.trim().replace(/[,，\s]/g, '');
  if (text === '') return undefined;
  if (!/^\d+$/.test(text)) return { error: `must be a whole number, not "${String(value).trim()}"` };
  return Number(text);
}
