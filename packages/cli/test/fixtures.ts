import { writeFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { readDemoEvents } from '@cordon/demo';

/**
 * The seed's Xinzheng (410184) tallies, built from the demo data's events:
 * its screening, turnback and fever events (less the two the demo voids)
 * summed per day, region and site, the way a county office's sheet holds them.
 */
export interface Tally {
  day: string;
  region: string;
  site: string;
  vehicles?: number;
  people?: number;
  tbVehicles?: number;
  tbPeople?: number;
  fever?: number;
}

export async function xinzhengTallies(): Promise<Tally[]> {
  const events = [];
  for await (const e of readDemoEvents()) events.push(e);
  const voided = new Set(events.filter((e) => e.type === 'void').map((e) => (e.data as { target: string }).target));
  const rows = new Map<string, Tally>();
  for (const e of events) {
    if (!e.region.startsWith('410184') || voided.has(e.id) || !['screening', 'turnback', 'fever'].includes(e.type)) continue;
    // occurredAt carries +08:00, the office's day.
    const day = e.occurredAt.slice(0, 10);
    const key = `${day}|${e.region}|${e.site ?? ''}`;
    const row = rows.get(key) ?? { day, region: e.region, site: e.site ?? '' };
    const d = e.data as { vehicles?: number; people: number };
    if (e.type === 'screening') Object.assign(row, { vehicles: (row.vehicles ?? 0) + d.vehicles!, people: (row.people ?? 0) + d.people });
    if (e.type === 'turnback')
      Object.assign(row, { tbVehicles: (row.tbVehicles ?? 0) + d.vehicles!, tbPeople: (row.tbPeople ?? 0) + d.people });
    if (e.type === 'fever') row.fever = (row.fever ?? 0) + d.people;
    rows.set(key, row);
  }
  return [...rows.values()];
}

const cell = (v: number | undefined) => (v === undefined ? '' : String(v));

/** A Chinese sheet: a town name where it names one town of Xinzheng, the code otherwise (the county itself, villages). */
export function chineseCsv(rows: Tally[], townName: (code: string) => string | undefined): string {
  const lines = ['日期,区划代码,乡镇,卡点,排查车辆（台）,排查人数（人）,劝返车辆（台）,劝返人数（人）,发热人数（人）'];
  for (const r of rows) {
    const town = townName(r.region);
    const [y, m, d] = r.day.split('-');
    lines.push(
      [
        `${y}/${Number(m)}/${Number(d)}`,
        town ? '' : r.region,
        town ?? '',
        r.site,
        cell(r.vehicles),
        cell(r.people),
        cell(r.tbVehicles),
        cell(r.tbPeople),
        cell(r.fever),
      ].join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** An English workbook with region codes and real Excel date cells. */
export async function englishXlsx(rows: Tally[], path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('tallies');
  sheet.addRow([
    'date',
    'region',
    'site',
    'vehicles_screened',
    'people_screened',
    'vehicles_turned_back',
    'people_turned_back',
    'fever_cases',
  ]);
  for (const r of rows)
    sheet.addRow([
      new Date(`${r.day}T00:00:00Z`),
      r.region,
      r.site,
      r.vehicles ?? null,
      r.people ?? null,
      r.tbVehicles ?? null,
      r.tbPeople ?? null,
      r.fever ?? null,
    ]);
  await workbook.xlsx.writeFile(path);
}

export async function writeText(path: string, text: string) {
  await writeFile(path, text);
}
