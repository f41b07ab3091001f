/**
 * Group commit for the daemon's hot writes. Every answer writes three times (the quota
 * reservation, the question and answer, the delivered mark with the update's done mark), and a
 * SQLite commit costs far more than its statements: each commit appends every page it touched to
 * the WAL (about six per commit here, most of them the same table and index pages from answer
 * to answer) and takes and drops the file locks. Writes asked for in one turn of the event loop
 * therefore share one transaction, committed once the turn's I/O callbacks have run
 * (setImmediate): a burst of answers pays for one commit where it paid for many, and a lone
 * write waits only for the rest of its turn, a few microseconds.
 *
 * Each write still runs in its own savepoint: one that throws is rolled back alone and rejects
 * alone, the others commit. Nothing resolves before the commit that holds it: a caller that sees
 * its write resolved can rely on it surviving a crash exactly as before. If the commit itself
 * fails (disk full, the lock held by another process past busy_timeout), every write in it
 * rejects. Writes run in the order they were asked for.
 */
import type { SqliteClient } from './client.js';

/** Runs `write` in the next group transaction; resolves with its result once that committed. */
export type GroupCommit = <T>(write: () => T) => Promise<T>;

interface Job {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** `committed` runs after each commit that succeeded (idle-checkpoint.ts counts on it). */
export function groupCommit(client: SqliteClient, committed: () => void = () => undefined): GroupCommit {
  let queued: Job[] = [];
  // A transaction function called inside another transaction runs in a savepoint.
  const inSavepoint = client.transaction((write: () => unknown) => write());
  const runAll = client.transaction((jobs: readonly Job[]): Outcome[] =>
    jobs.map((job) => {
      try {
        return { ok: true, value: inSavepoint(job.write) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  ).immediate;

  const flush = () => {
    const jobs = queued;
    queued = [];
    let outcomes: Outcome[];
    try {
      outcomes = runAll(jobs);
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    committed();
    jobs.forEach((job, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  };

  return <T>(write: () => T) =>
    new Promise<T>((resolve, reject) => {
      queued.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (queued.length === 1) setImmediate(flush);
    });
}
