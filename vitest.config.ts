import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    // Each file runs in its own process: chDB allows one data folder per
    // process, and crash tests spawn and kill children.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Starts a real single-node Kafka broker unless CORDON_KAFKA_BROKERS names one.
    globalSetup: ['infra/kafka/vitest-global-setup.ts'],
  },
});
