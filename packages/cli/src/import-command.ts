import { readFile, rm, writeFile } from 'node:fs/promises';
import { writeToString } from '@fast-csv/format';
import { mergeSummaries, splitIntoBatches, type CordonClient, type CordonEvent, type ImportSummary } from '@cordon/sdk';
import { CommandError, UsageError } from './connect.ts';
import { planImport, PlanError, type ImportPlan, type PlannedRow } from './import-rows.ts';
import { createProgress } from './progress.ts';
import { formatOf, readSource } from './read-source.ts';

export interface ImportOptions {
  format?: string;
  dryRun?: boolean;
  offset: string;
  within?: string;
}

export interface ImportIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** `cordon import FILE`: read, plan, send in batches, report; exit 1 when a row was rejected. */
export async function runImport(file: string, options: ImportOptions, client: CordonClient, io: ImportIo): Promise<number> {
  const format = formatOf(file, options.format);
  if (typeof format !== 'string') throw new UsageError(format.error);
  if (!/^[+-]\d{2}:\d{2}$/.test(options.offset)) throw new UsageError('--offset must look like +08:00');
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new CommandError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let plan: ImportPlan;
  try {
    plan = await planImport(await readSource(bytes, format), client, { offset: options.offset, within: options.within });
  } catch (error) {
    if (error instanceof PlanError || error instanceof SyntaxError || error instanceof TypeError)
      throw new CommandError(`${file}: ${error.message}`);
    throw error;
  }

  // Events in file order, each remembering its row, so the server's answer maps back to rows.
  const events: CordonEvent[] = [];
  const rowOfEvent: PlannedRow[] = [];
  for (const row of plan.rows) {
    for (const event of row.events) {
      events.push(event as CordonEvent);
      rowOfEvent.push(row);
    }
  }

  const batches = splitIntoBatches(events);
  const progress = createProgress(events.length, io.stderr, options.dryRun ? 'checking' : 'importing');
  const parts: { start: number; summary: ImportSummary }[] = [];
  let done = 0;
  for (const batch of batches) {
    const result = await client.events.send(batch.events, { dryRun: options.dryRun === true });
    if (result.error) {
      progress.stop();
      const landed = mergeSummaries(parts);
      throw new CommandError(
        `${result.error.message}; ${landed.accepted} events had landed before it (run the same command again: what landed counts once)`,
      );
    }
    parts.push({ start: batch.start, summary: result.data });
    done += batch.events.length;
    progress.update(done);
  }
  progress.stop();
  const summary = mergeSummaries(parts);
  for (const error of summary.errors) {
    const row = rowOfEvent[error.index];
    if (!row) continue;
    const event = events[error.index]!;
    const prefix = row.events.length > 1 ? `${event.type} ` : '';
    const reason = error.errors.map((e) => `${prefix}${e.path}: ${e.message}`).join('; ');
    row.reason = row.reason ? `${row.reason}; ${reason}` : reason;
  }

  const rejectedRows = plan.rows.filter((r) => r.reason !== undefined);
  const rejectedPath = `${file}.rejected.csv`;
  if (rejectedRows.length > 0) await writeFile(rejectedPath, await rejectedCsv(plan, rejectedRows));
  else await rm(rejectedPath, { force: true });

  const say = (line: string) => io.stdout.write(`${line}\n`);
  const unit = plan.kind === 'tallies' ? 'rows' : 'lines';
  say(
    `${file}: ${plan.rows.length} ${unit}, ${events.length} events in ${batches.length} request${batches.length === 1 ? '' : 's'}${options.dryRun ? ' (dry run: nothing written)' : ''}`,
  );
  say(`${options.dryRun ? 'would accept' : 'accepted'} ${summary.accepted}, duplicates ${summary.duplicates}`);
  if (rejectedRows.length > 0) say(`${rejectedRows.length} ${unit} rejected, written with their reasons to ${rejectedPath}`);
  return rejectedRows.length > 0 ? 1 : 0;
}

/** The rejected rows as they were, with a reason column: fix them and import this file. */
async function rejectedCsv(plan: ImportPlan, rows: PlannedRow[]): Promise<string> {
  const lines =
    plan.kind === 'tallies'
      ? rows.map((r) => {
          const cells = Array.from({ length: plan.headers.length - 1 }, (_, i) => (r.original as unknown[])[i]);
          return [...cells.map((c) => (c instanceof Date ? c.toISOString().slice(0, 10) : (c ?? ''))), r.reason ?? ''];
        })
      : rows.map((r) => [r.row, r.reason ?? '', r.original as string]);
  return writeToString([plan.headers, ...lines], { writeBOM: true, rowDelimiter: '\r\n', includeEndRowDelimiter: true });
}
