#!/usr/bin/env node
/**
 * The Cordon command line. The only module that reads the environment.
 *
 *   cordon all         ingest + consumer + query API in one process (npm start)
 *   cordon demo        the same, loaded with the county-report data set (npm run demo)
 *   cordon ingest      the ingest API alone (npm run ingest)
 *   cordon consumer    the roll-up consumer alone (npm run consumer)
 *   cordon query-api   the query API alone (npm run query-api)
 *   cordon consumer-query  the consumer and the query API in one process (npm run consumer-query):
 *                      beside stateless ingest processes on Kafka, one per chDB data folder
 */
import { Command, CommanderError } from 'commander';
import { pino } from 'pino';
import { readConfig } from './config.ts';
import { allRoles, startCordon, type Role } from './runtime.ts';
import type { BulletinService } from './bulletins/service.ts';

const commands: Record<string, readonly Role[]> = {
  all: allRoles,
  demo: allRoles,
  ingest: ['ingest'],
  consumer: ['consumer'],
  'query-api': ['query'],
  'consumer-query': ['consumer', 'query'],
};

const descriptions: Record<string, string> = {
  all: 'ingest + consumer + query API in one process (npm start; the default)',
  demo: 'the same, loaded with the county-report data set (npm run demo)',
  ingest: 'the ingest API alone (npm run ingest)',
  consumer: 'the roll-up consumer alone (npm run consumer)',
  'query-api': 'the query API alone (npm run query-api)',
  'consumer-query': 'the roll-up consumer and the query API in one process, beside ingest processes on Kafka (npm run consumer-query)',
};

/**
 * Which process to run, or why not: --help answers and exits 0; an unknown
 * command or option is one line and exit 2 (never a server started by
 * mistake, as `npm start -- import foo.csv` once did).
 */
function chosenCommand(argv: string[]): string {
  if (argv.length <= 2) return 'all';
  let chosen: string | undefined;
  const program = new Command('cordon-server')
    .description(
      'Runs Cordon. Settings come from the environment (PORT, CORDON_DATA_DIR, CORDON_KAFKA_BROKERS, …: see the README). The command line of a running server is `npx cordon`.',
    )
    .exitOverride()
    .allowExcessArguments(false)
    .configureOutput({
      outputError: (text, write) => {
        const hint = /unknown command 'import'|unknown command 'export'|unknown command 'keys'/.test(text)
          ? '; the command line of a running server is npx cordon'
          : '';
        write(`cordon-server: ${text.replace(/^error: /, '').trim()}${hint} (see --help)\n`);
      },
    });
  for (const name of Object.keys(commands)) {
    program
      .command(name)
      .description(descriptions[name] ?? name)
      .exitOverride()
      .allowExcessArguments(false)
      .action(() => {
        chosen = name;
      });
  }
  try {
    program.parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    throw error;
  }
  if (!chosen) process.exit(2);
  return chosen;
}

async function main() {
  const command = chosenCommand(process.argv);
  const roles = commands[command]!;
  const config = readConfig();
  const logger = pino({ level: config.logLevel, base: { service: `cordon-${command}` } });
  // The morning bulletin's generator, loaded only when CORDON_BULLETIN_REGIONS asks for it.
  const bulletins =
    config.bulletinRegions.length > 0 ? { generator: (await import('@cordon/bulletin')).createBulletinGenerator } : undefined;
  const runtime = await startCordon(config, {
    roles,
    logger,
    listen: roles.some((r) => r !== 'consumer'),
    ...(bulletins ? { bulletins } : {}),
  });

  const say = (line: string) => process.stdout.write(`${line}\n`);
  if (runtime.url)
    say(
      `Cordon ${command} listening on ${runtime.url} (log: ${runtime.log.kind}, ClickHouse: ${runtime.clickhouse?.kind ?? 'none'}, data: ${runtime.clickhouse || runtime.log.kind === 'embedded' ? config.dataDir : 'none'})`,
    );
  if (runtime.createdAdminKey) {
    say(`First start: created an admin API key. It is shown only this once; store it now:\n\n  ${runtime.createdAdminKey.key}\n`);
  }
  // Started in the background: the signal handlers below must be in place
  // as soon as the demo data is loaded.
  let demoBulletins: Promise<BulletinService | null> = Promise.resolve(null);
  if (command === 'demo' && runtime.app) {
    // Loaded only for the demo: the data set is not part of a production start.
    const { loadDemo, startDemoBulletins } = await import('./demo.ts');
    const summary = await loadDemo(runtime);
    say(
      `Demo data: ${summary.accepted} events accepted, ${summary.duplicates} already loaded, ${summary.rejected} rejected; ${summary.regions} custom regions.`,
    );
    say(
      `Try: curl -H "Authorization: Bearer <admin key>" "${runtime.url}/v1/aggregates?metrics=vehicles_screened,people_screened,vehicles_turned_back,people_turned_back,fever_cases&region=410184&to=2020-02-13"`,
    );
    // The data set's daily bulletins, unless the morning schedule was asked
    // for (CORDON_BULLETIN_REGIONS): one writer per folder.
    if (!runtime.bulletins) {
      demoBulletins = import('@cordon/bulletin').then(({ createBulletinGenerator }) =>
        startDemoBulletins(runtime, { config, logger, generator: createBulletinGenerator }),
      );
      demoBulletins
        .then((service) => service?.firstRun)
        .then(
          (report) =>
            report &&
            say(
              `Demo bulletins: ${report.written.length} written, ${report.failed.length} failed (${runtime.url}/v1/bulletins?region=410184, or 查看当日简报 on the dashboard).`,
            ),
          (error: unknown) => logger.error({ err: error }, 'demo bulletins: not written'),
        );
    }
  }

  // Graceful: stop accepting, finish the requests and the batch in flight,
  // close the log and ClickHouse. A signal repeated later than a second, or
  // a close that hangs, ends the process at once: an operator's second
  // Ctrl-C must always work. Within the first second a repeat is the same
  // signal twice (Ctrl-C reaches npm's whole process group, and npm
  // forwards it too), not a second request.
  let stoppingSince: number | null = null;
  const stop = async (signal: string) => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < 1000) return;
      logger.warn({ signal }, 'second signal while stopping: exiting now');
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, 'stopping');
    setTimeout(() => {
      logger.error({ signal }, 'shutdown took longer than 30 s: exiting now');
      process.exit(1);
    }, 30_000).unref();
    await (await demoBulletins.catch(() => null))?.close();
    await runtime.close();
    logger.info({ signal }, 'stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`cordon: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
