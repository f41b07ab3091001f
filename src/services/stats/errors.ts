/**
 * The daily error counter: every failed request counted once, per UTC day and error code, in
 * daily_errors, so `botctl stats`, the admin API and the panel show errors over a month without
 * Prometheus. The daemon counts what its error boundary catches (the same errors as
 * botctl_errors_total) and the failures the bot answers with an apology instead (model down,
 * blocked or empty, speech failed), which never reach the boundary.
 *
 * Fire and forget: the count is written after the user was answered and never delays or fails
 * the handler; a database that refuses it costs one warning and one missing count.
 */
import { utcDay } from '../../domain/quota.js';
import type { StatsRepository } from '../../domain/ports/index.js';
import type { Log } from '../../domain/telemetry.js';

export interface ErrorCounter {
  /** Counts one failed request under its error code (domain/errors.ts; INTERNAL for a foreign error). */
  record(code: string): void;
}

export function createErrorCounter(deps: {
  stats: Pick<StatsRepository, 'recordError'>;
  now: () => Date;
  log: Log;
}): ErrorCounter {
  return {
    record(code) {
      deps.stats
        .recordError(utcDay(deps.now()), code)
        .catch((failure: unknown) =>
          deps.log.warn({ err: failure, code }, 'error not counted: database failed'),
        );
    },
  };
}
