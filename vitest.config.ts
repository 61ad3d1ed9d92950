import { configDefaults, defineConfig } from 'vitest/config';

// Test lanes, told apart by where a file is and how it is named (README "Tests"):
//   unit         packages/*/src/**/*.test.ts, beside the code: no broker, no chDB, no browser
//   integration  packages/*/test/**/*.test.ts: chDB, real processes, real HTTP
//   kafka        packages/*/test/**/*.kafka.test.ts: the only lane that starts a broker
//   browser      packages/*/test/**/*.browser.test.ts: headless Chromium
const kafka = '**/*.kafka.test.ts';
const browser = '**/*.browser.test.ts';

export default defineConfig({
  test: {
    // Each file runs in its own process: chDB allows one data folder per
    // process, and crash tests spawn and kill children.
    pool: 'forks',
    // The unit lane's threads share one module graph per worker (see the
    // unit project). The pool takes its isolation from this root config,
    // not from a project's `isolate`: with only `isolate: false` in the
    // project, vitest still started a fresh worker for every unit file and
    // each one imported zod, hono and the schemas again (the lane's CPU time
    // was 29 s, 12 s now). Only the unit project runs on threads, so the
    // other lanes keep their process per file.
    poolOptions: { threads: { isolate: false } },
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts'],
          // One module graph per worker thread instead of one per file (zod,
          // hono and the region tree load once; root `poolOptions.threads`
          // makes it so). Unit tests therefore keep no
          // state of their own in globals or process.env, mock no modules,
          // and do not chdir (a worker thread cannot).
          pool: 'threads',
          isolate: false,
          exclude: [...configDefaults.exclude, kafka, browser],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, kafka, browser],
        },
      },
      {
        extends: true,
        test: {
          name: 'kafka',
          include: [`packages/*/test/${kafka}`],
          // Starts a real single-node Kafka broker unless CORDON_KAFKA_BROKERS
          // names one; vitest runs it only when this lane has a file to run.
          globalSetup: ['infra/kafka/vitest-global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: [`packages/*/test/${browser}`],
        },
      },
    ],
  },
});
