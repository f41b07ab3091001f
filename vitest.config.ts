import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // better-sqlite3 is a native addon: child processes isolate it more predictably than threads.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // @oclif/core prints through console; vitest's interception would swallow it.
    disableConsoleIntercept: true,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.d.ts'],
      // lcov: the report file CI uploads (coverage/lcov.info and coverage/lcov-report/).
      reporter: ['text-summary', 'text', 'lcov'],
      thresholds: { lines: 90 },
    },
  },
});
