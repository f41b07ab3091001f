import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // better-sqlite3 is a native addon: child processes isolate it more predictably than threads.
    pool: 'forks',
    // Most files wait on child processes, servers and databases rather than compute: on a 2-core
    // machine 3 workers ran a process-heavy sample of 6 files in 158 s against 276 s with the
    // default (cores - 1 = 1 worker), at the same CPU time. Two, not three: the pacing and timing
    // tests starve when three files and their daemons share two cores (a pacer test saw a 429 at 3).
    maxWorkers: 2,
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
