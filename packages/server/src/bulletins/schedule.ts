import { Cron } from 'croner';
import type { Logger } from '@cordon/ingest';
import { addDays, createDayOf, daysBetween } from '@cordon/schemas';
import { figureChanges, markRevision } from './revision.ts';
import { BulletinExistsError, type BulletinFiles, type BulletinStore } from './store.ts';

/**
 * The morning bulletin: at `at` (HH:MM in the time zone) every day, the
 * bulletin of yesterday for each region, and at start the days it missed.
 *
 * Catch-up: every day from the start of the region's series to yesterday
 * that has no bulletin is written. The series starts at the region's
 * earliest bulletin once there is one, and at its first day with data
 * before that. Filling every gap, not only the days after the last
 * bulletin, also retries a day whose generation failed; and fixing the
 * start at the first bulletin keeps published issue numbers (第N期, counted
 * from that day) true when a late event lands before it.
 *
 * Revisions: each run regenerates the `reviseDays` days before yesterday's
 * that were already published, and writes a revision (修订) beside one whose
 * figures changed. Seven days: late tallies in the reports come within the
 * week (a town's weekly spreadsheet); a check costs one bulletin per day per
 * region per morning, so a month would be 30 bulletins a region each morning
 * for changes that rarely come that late.
 */

/** Renders a bulletin of one region and day, as known at `knownAt` (an ISO instant). */
export type BulletinGenerator = (request: { region: string; date: string; knownAt: string }) => Promise<BulletinFiles>;

/** What the schedule asks of the server (through the SDK, like any client). */
export interface BulletinSource {
  /** The instant to write at: every event acknowledged before it is counted (the pipeline's asOf). */
  knownAt(): Promise<string>;
  /** The first day with data in the region up to `to`, or null when it has none. */
  firstDay(region: string, to: string): Promise<string | null>;
}

/** setTimeout/clearTimeout, injected so tests move time themselves. */
export interface Timer {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface BulletinScheduleOptions {
  regions: readonly string[];
  /** HH:MM in `timeZone`. */
  at: string;
  timeZone: string;
  store: BulletinStore;
  generate: BulletinGenerator;
  source: BulletinSource;
  logger: Logger;
  now?: () => Date;
  timer?: Timer;
  /** Published days re-checked for late events at each run. Default 7. */
  reviseDays?: number;
}

export interface RunReport {
  /** Yesterday, as of the run. */
  through: string;
  written: { region: string; date: string }[];
  revised: { region: string; date: string; revision: number; changes: number }[];
  failed: { region: string; date: string | null; error: string }[];
}

export interface BulletinSchedule {
  /** Runs once now (catch-up, yesterday, revisions), then at `at` every day. */
  start(): Promise<RunReport>;
  /** One run now, after any run in progress. */
  run(): Promise<RunReport>;
  /** The next scheduled run, or null when stopped. */
  readonly nextRunAt: Date | null;
  /** Resolves once no run is in progress (tests, after moving the clock). */
  idle(): Promise<void>;
  /** Cancels the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export const defaultReviseDays = 7;
const timeOfDay = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Validates CORDON_BULLETIN_AT (HH:MM, 24 h). */
export function parseTimeOfDay(text: string): { hour: number; minute: number } {
  const match = timeOfDay.exec(text.trim());
  if (!match) throw new Error(`CORDON_BULLETIN_AT must be a time of day HH:MM (24 h), not ${JSON.stringify(text)}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

const realTimer: Timer = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function createBulletinSchedule(options: BulletinScheduleOptions): BulletinSchedule {
  const { store, generate, source, logger } = options;
  const now = options.now ?? (() => new Date());
  const timer = options.timer ?? realTimer;
  const reviseDays = options.reviseDays ?? defaultReviseDays;
  const dayOf = createDayOf(options.timeZone);
  const { hour, minute } = parseTimeOfDay(options.at);
  // croner only does the calendar (the next HH:MM in the zone, across DST);
  // waiting is the injected timer's, so tests need no real time.
  const calendar = new Cron(`${minute} ${hour} * * *`, { timezone: options.timeZone, paused: true });

  let handle: unknown = null;
  let nextRunAt: Date | null = null;
  let stopped = false;
  let chain: Promise<unknown> = Promise.resolve();

  async function runOnce(): Promise<RunReport> {
    const through = addDays(dayOf(now()), -1);
    const report: RunReport = { through, written: [], revised: [], failed: [] };
    let knownAt: string;
    try {
      knownAt = await source.knownAt();
    } catch (error) {
      report.failed.push({ region: '*', date: null, error: message(error) });
      logger.error({ err: error }, 'bulletin schedule: cannot read the pipeline position; will try at the next run');
      return report;
    }
    for (const region of options.regions) {
      if (stopped) break;
      await runRegion(region, through, knownAt, report);
    }
    logger.info(
      { through, written: report.written.length, revised: report.revised.length, failed: report.failed.length },
      'bulletin schedule: run done',
    );
    return report;
  }

  async function runRegion(region: string, through: string, knownAt: string, report: RunReport) {
    let published: Awaited<ReturnType<BulletinStore['list']>>;
    let start: string | null;
    try {
      published = await store.list(region);
      start = published[0]?.date ?? (await source.firstDay(region, through));
    } catch (error) {
      report.failed.push({ region, date: null, error: message(error) });
      logger.error({ err: error, region }, 'bulletin schedule: cannot list the region');
      return;
    }
    if (start === null || start > through) {
      logger.info({ region, through }, 'bulletin schedule: no data in the region yet; nothing to write');
      return;
    }
    const have = new Map(published.map((b) => [b.date, b]));
    for (const date of daysBetween(start, through)) {
      if (stopped) return;
      if (have.has(date)) continue;
      try {
        await store.write(region, date, 0, await generate({ region, date, knownAt }));
        report.written.push({ region, date });
      } catch (error) {
        if (error instanceof BulletinExistsError) continue;
        report.failed.push({ region, date, error: message(error) });
        logger.error({ err: error, region, date }, 'bulletin schedule: writing a bulletin failed; the next run tries again');
      }
    }
    // Only days published before this run: one just written is as fresh as it gets.
    const checkFrom = addDays(through, -(reviseDays - 1));
    for (const bulletin of published) {
      if (stopped) return;
      if (bulletin.date < checkFrom) continue;
      try {
        const revision = await revise(region, bulletin.date, bulletin.revisions.at(-1) ?? 0, knownAt);
        if (revision) report.revised.push({ region, date: bulletin.date, ...revision });
      } catch (error) {
        report.failed.push({ region, date: bulletin.date, error: message(error) });
        logger.error({ err: error, region, date: bulletin.date }, 'bulletin schedule: revision check failed');
      }
    }
  }

  async function revise(region: string, date: string, latest: number, knownAt: string) {
    const publishedText = await store.read(region, date, latest, 'json');
    if (publishedText === null) return null;
    const published = JSON.parse(publishedText) as unknown;
    const fresh = await generate({ region, date, knownAt });
    const changes = figureChanges(published, fresh.json);
    if (changes.length === 0) return null;
    const revision = latest + 1;
    const replacedKnownAt = (published as { knownAt?: unknown }).knownAt;
    const marked = markRevision(fresh, {
      number: revision,
      date,
      replaces: { revision: latest, knownAt: typeof replacedKnownAt === 'string' ? replacedKnownAt : null },
      knownAt,
      changes,
    });
    await store.write(region, date, revision, marked);
    logger.info(
      { region, date, revision, changes: changes.length },
      'bulletin schedule: late events changed a published bulletin; revision written',
    );
    return { revision, changes: changes.length };
  }

  function run(): Promise<RunReport> {
    const next = chain.then(runOnce, runOnce);
    chain = next.catch(() => undefined);
    return next;
  }

  function arm() {
    if (stopped) return;
    const at = calendar.nextRun(now());
    nextRunAt = at;
    if (!at) return;
    handle = timer.set(
      () => {
        handle = null;
        void run().finally(arm);
      },
      Math.max(0, at.getTime() - now().getTime()),
    );
  }

  return {
    async start() {
      const report = await run();
      arm();
      return report;
    },
    run,
    async idle() {
      await chain;
    },
    get nextRunAt() {
      return nextRunAt;
    },
    async stop() {
      stopped = true;
      nextRunAt = null;
      if (handle !== null) timer.clear(handle);
      handle = null;
      await chain;
    },
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
