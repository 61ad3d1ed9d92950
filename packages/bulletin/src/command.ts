import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { addDays, createDayOf } from '@cordon/schemas';
import { createClient, type FetchLike } from '@cordon/sdk';
import { BulletinError, fromSdkError } from './errors.ts';
import { fetchBulletinFigures } from './fetch.ts';
import type { BulletinLang } from './figures.ts';
import { renderBulletin } from './render.ts';

export interface BulletinCommandDeps {
  env?: Record<string, string | undefined>;
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  now?: () => Date;
  fetch?: FetchLike;
}

const regionCode = (value: string) => {
  if (!/^(\d{6}|\d{9}|\d{12})$/.test(value)) throw new InvalidArgumentError('must be a 6, 9 or 12 digit region code');
  return value;
};
const day = (value: string) => {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value
  ) {
    throw new InvalidArgumentError('must be a day, YYYY-MM-DD');
  }
  return value;
};
const instant = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError('must be an ISO 8601 instant with an offset, e.g. 2020-02-14T08:00:00+08:00');
  }
  return value;
};

/**
 * `bulletin --region 410184 [--date 2020-02-13] [--known-at …] [--lang en] [--out DIR]`:
 * writes DIR/<region>/<date>.md, .html, .json and .svg and prints their
 * paths. Reads CORDON_URL and CORDON_API_KEY. Built as a commander Command
 * so `cordon bulletin` mounts the same one.
 */
export function bulletinCommand(deps: BulletinCommandDeps = {}): Command {
  const env = deps.env ?? process.env;
  const stdout = deps.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stderr = deps.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = deps.now ?? (() => new Date());
  const command = new Command('bulletin')
    .description(
      "Write a region's daily bulletin (Markdown, HTML, JSON and the chart's SVG) from a Cordon server (CORDON_URL, CORDON_API_KEY)",
    )
    .requiredOption('--region <code>', 'the region: a county (410184), town (9 digits) or village (12 digits)', regionCode)
    .option('--date <day>', "the reporting day, YYYY-MM-DD (default: yesterday in the server's time zone)", day)
    .option(
      '--known-at <instant>',
      'write it as it was known at this instant (the knownAt of an earlier bulletin makes it again byte for byte)',
      instant,
    )
    .addOption(new Option('--lang <lang>', 'the language').choices(['zh', 'en']).default('zh'))
    .option('--out <dir>', 'the folder to write into (the files go to <dir>/<region>/)', '.')
    .configureOutput({ writeErr: (text) => stderr(text.trimEnd()), writeOut: (text) => stdout(text.trimEnd()) })
    .action(async (options: { region: string; date?: string; knownAt?: string; lang: BulletinLang; out: string }) => {
      try {
        const baseUrl = env['CORDON_URL'];
        if (!baseUrl) throw new BulletinError('bad_input', 'CORDON_URL is not set (e.g. CORDON_URL=http://127.0.0.1:8787)');
        if (!env['CORDON_API_KEY']) throw new BulletinError('unauthorized', 'CORDON_API_KEY is not set: give a read key');
        // One retry at most: a person is waiting, and "server down" should say so quickly.
        const client = createClient({
          baseUrl,
          apiKey: env['CORDON_API_KEY'],
          timeoutMs: 60_000,
          retry: { retries: 1, minDelayMs: 200 },
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
        });
        let date = options.date;
        if (!date) {
          const { data, error } = await client.status();
          if (error) throw fromSdkError(error, { baseUrl, region: options.region });
          date = addDays(createDayOf(data.timeZone)(now()), -1);
        }
        const figures = await fetchBulletinFigures(client, { region: options.region, date, knownAt: options.knownAt, baseUrl });
        const files = renderBulletin(figures, { lang: options.lang });
        const dir = join(options.out, options.region);
        await mkdir(dir, { recursive: true });
        const base = join(dir, date);
        const written: [string, string][] = [
          [`${base}.md`, files.markdown],
          [`${base}.html`, files.html],
          [`${base}.json`, `${JSON.stringify(files.json, null, 2)}\n`],
          [`${base}.svg`, files.svg],
        ];
        for (const [path, text] of written) await writeFile(path, text);
        for (const [path] of written) stdout(path);
      } catch (error) {
        stderr(
          `bulletin: ${error instanceof BulletinError ? error.message : error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        );
        process.exitCode = 1;
      }
    });
  return command;
}
