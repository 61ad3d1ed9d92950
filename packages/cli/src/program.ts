import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { bulletinCommand } from '@cordon/bulletin';
import { apiRoles, labelLanguages } from '@cordon/schemas';
import { keysCreate, keysList, keysRevoke, regionsAdd, status } from './admin-commands.ts';
import { connect, type ConnectionOptions } from './connect.ts';
import { runExport, type AggregatesExportOptions, type TimeseriesExportOptions } from './export-command.ts';
import { runImport, type ImportOptions } from './import-command.ts';
import { sourceFormats } from './read-source.ts';
import { describeTallyColumns } from './tally-columns.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** CORDON_URL and CORDON_API_KEY, read by main.ts. */
  defaults: ConnectionOptions;
}

/**
 * The `cordon` program. Each action resolves to the exit code it wants
 * (`exitCode` is set on the program), so main.ts decides how the process
 * ends and tests can run the same program in-process.
 */
export function createProgram(io: CliIo): Command & { exitCode?: number } {
  const program = new Command('cordon') as Command & { exitCode?: number };
  const say = (line: string) => io.stdout.write(`${line}\n`);
  const client = () => connect(program.opts<ConnectionOptions>(), io.defaults, io.stderr);
  // Usage errors in one line: "cordon: unknown command 'foo' (see cordon --help)".
  const output = {
    writeOut: (s: string) => io.stdout.write(s),
    writeErr: (s: string) => io.stderr.write(s),
    outputError: (s: string, write: (s: string) => void) =>
      write(
        `cordon: ${s
          .replace(/^error: /, '')
          .trim()
          .replace(/\s*\n\s*/g, ' ')} (see cordon --help)\n`,
      ),
  };
  const done = (code: number) => {
    program.exitCode = code;
  };

  program
    .description('Cordon from the command line: import tallies and events, export figures, manage keys and regions')
    .option('--url <url>', 'the Cordon server (default: CORDON_URL)')
    .option('--key <key>', 'the API key (default: CORDON_API_KEY)')
    .configureOutput(output)
    .exitOverride()
    .allowExcessArguments(false);

  program
    .command('import')
    .description('Send a file of events (NDJSON, JSON array) or tallies (CSV, Excel .xlsx) to the server')
    .argument('<file>', 'the file; its format from the extension (.ndjson .jsonl .json .csv .xlsx) or --format')
    .addOption(new Option('--format <format>', 'the file format').choices(sourceFormats))
    .option('--dry-run', 'validate every row with the server, write nothing')
    .option('--offset <offset>', 'the UTC offset of tally dates and times', '+08:00')
    .option('--within <region>', 'resolve town names (乡镇/town) only inside this region, e.g. 410184')
    .addHelpText(
      'after',
      `
A tally sheet (CSV or the first worksheet of an .xlsx) has a header row; each
row is one place and day, and makes up to three events: a screening
(排查车辆/排查人数/测温人数), a turnback (劝返车辆/劝返人数/劝返原因) and a
fever event (发热人数/发热处置, default disposition "other"). An empty cell is
no figure; 0 is a figure. Columns (Chinese or English, a unit in brackets
ignored, e.g. 排查车辆（台）):
${describeTallyColumns()}
Region: a code column (区划代码/region), or a town name (乡镇/town) found by
the server's region search (exactly one town of that name; --within narrows).
Dates: 2020-02-13, 2020/2/13, 2020年2月13日 or an Excel date; time 12:00 when
there is no time column.

Rows and events without an id get one derived from their content, so the
same file imported twice counts once. Rejected rows are written, with a
reason column, to FILE.rejected.csv; fix them there and import that file.
Exit status: 0 all rows landed (or were duplicates), 1 some were rejected or
the server failed, 2 a usage error.`,
    )
    .action(async (file: string, options: ImportOptions) => done(await runImport(file, options, client(), io)));

  const exporting = program.command('export').description('Write an aggregates or timeseries query as CSV or Excel');
  const exportOptions = (command: Command) =>
    command
      .option('--region <code>', 'the region subtree, e.g. 410184')
      .option('--from <day>', 'first day, YYYY-MM-DD')
      .option('--to <day>', 'last day, YYYY-MM-DD')
      .addOption(
        new Option('--lang <lang>', 'head the columns with the metric labels in this language (default: machine names)').choices(
          labelLanguages,
        ),
      )
      .option('--out <file>', 'write to this file (.csv or .xlsx); default: CSV on stdout')
      .addOption(new Option('--format <format>', 'csv or xlsx (default: from --out)').choices(['csv', 'xlsx']));
  exportOptions(
    exporting
      .command('aggregates')
      .description('GET /v1/aggregates as a table')
      .requiredOption('--metrics <names>', 'comma-separated metric names or families (donated:*)')
      .option('--group-by <groupBy>', 'none, day, week, region, site, dimension, siteKind')
      .option('--level <level>', 'with --group-by region: province, city, county, town, village')
      .option('--sort <sort>', 'key, a metric, or either with a leading -')
      .option('--limit <n>', 'keep the first N rows'),
  ).action(async (options: AggregatesExportOptions) => done(await runExport('aggregates', options, client(), io.stdout)));
  exportOptions(
    exporting
      .command('timeseries')
      .description('GET /v1/timeseries as a table')
      .requiredOption('--metric <name>', 'one metric')
      .option('--interval <interval>', 'day or week')
      .option('--dim <value>', "only this value of the metric's dimension"),
  ).action(async (options: TimeseriesExportOptions) => done(await runExport('timeseries', options, client(), io.stdout)));

  const keys = program.command('keys').description('API keys (an admin key)');
  keys
    .command('create')
    .description('Create a key; it is printed once')
    .requiredOption('--name <name>', 'who or what uses it')
    .addOption(new Option('--role <role>', 'what it may do').choices(apiRoles).makeOptionMandatory())
    .option('--region <code>', 'limit it to this region subtree')
    .action(async (o: { name: string; role: (typeof apiRoles)[number]; region?: string }) =>
      done(await keysCreate(client(), { name: o.name, role: o.role, ...(o.region ? { region: o.region } : {}) }, say)),
    );
  keys
    .command('list')
    .description('List keys (never their secrets)')
    .action(async () => done(await keysList(client(), say)));
  keys
    .command('revoke')
    .description('Revoke a key')
    .argument('<keyId>', 'the keyId from keys list')
    .action(async (keyId: string) => done(await keysRevoke(client(), keyId, say)));

  program
    .command('regions')
    .description('Regions the registry lacks (an admin key)')
    .command('add')
    .description('Add a region (a development zone, a merged township)')
    .requiredOption('--code <code>', 'its 6, 9 or 12 digit code')
    .requiredOption('--name <name>', 'its name')
    .option('--parent <code>', 'its parent region')
    .action(async (o: { code: string; name: string; parent?: string }) =>
      done(await regionsAdd(client(), { code: o.code, name: o.name, ...(o.parent ? { parent: o.parent } : {}) }, say)),
    );

  program
    .command('status')
    .description('How far the pipeline has come (GET /v1/status)')
    .action(async () => done(await status(client(), say)));

  // The bulletin package's own command, as `npm run bulletin` runs it. It
  // reads CORDON_URL and CORDON_API_KEY, so --url/--key reach it as those,
  // read when it runs (after commander has parsed them).
  program.addCommand(
    bulletinCommand({
      env: {
        get CORDON_URL() {
          return program.opts<ConnectionOptions>().url ?? io.defaults.url;
        },
        get CORDON_API_KEY() {
          return program.opts<ConnectionOptions>().key ?? io.defaults.key;
        },
      },
      stdout: say,
      stderr: (line) => io.stderr.write(`${line}\n`),
    }),
  );

  for (const command of allCommands(program)) {
    command.exitOverride().allowExcessArguments(false).configureOutput(output);
  }
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...allCommands(c)]);
}

export { CommanderError, InvalidArgumentError };
