/**
 * The Postgres guard: a session-level advisory lock on one dedicated connection. Each daemon
 * holds it shared (pg_try_advisory_lock_shared) for its life, so any number of instances may
 * run; a restore tries it exclusively (pg_try_advisory_lock), which fails at once while any
 * daemon holds it. The server drops a session lock with its connection, so a crashed daemon
 * leaves nothing behind.
 *
 * A dropped connection (a server restart) drops the lock too: the daemon's hold takes it again
 * on a new connection, retrying every few seconds until it has it or is released.
 */
import type { Sql } from 'postgres';
import type { DatabaseGuard, DatabaseHold } from '../../../domain/ports/index.js';
import { unreachable } from '../shared/errors.js';
import { restoreRunning, theBotRuns } from '../shared/guard.js';

/** "botguard" in ASCII: fixed, so every botctl process agrees; distinct from the migration lock. */
const GUARD_KEY = '7093015925831594596';
const RETAKE_MS = 5_000;

export function createPgGuard(url: string, target: string): DatabaseGuard {
  async function hold(mode: 'shared' | 'exclusive', danger: string): Promise<DatabaseHold> {
    const { default: postgres } = await import('postgres');
    let released = false;
    let retake: NodeJS.Timeout | undefined;
    const fn = mode === 'shared' ? 'pg_try_advisory_lock_shared' : 'pg_try_advisory_lock';
    // One pending attempt at a time: a failing attempt closes its connection again.
    const retakeLater = () => {
      if (released || retake) return;
      retake = setTimeout(() => {
        retake = undefined;
        if (released) return;
        take().then(
          (ok) => ok || retakeLater(),
          () => retakeLater(),
        );
      }, RETAKE_MS);
      retake.unref();
    };
    const take = async () => {
      const [row] = await sql.unsafe<Array<{ ok: boolean }>>(`select ${fn}(${GUARD_KEY}) as ok`);
      return row?.ok === true;
    };
    const sql: Sql = postgres(url, {
      max: 1,
      connect_timeout: 5,
      // The lock lives as long as this one connection: never close it for being idle or old.
      idle_timeout: 0,
      max_lifetime: null,
      onnotice: () => undefined,
      connection: {
        application_name: `botctl ${mode === 'shared' ? 'daemon' : 'restore or rollback'} guard`,
      },
      onclose: () => {
        if (mode === 'shared') retakeLater();
      },
    });
    // Closing the session drops the lock.
    const close = async () => {
      released = true;
      clearTimeout(retake);
      await sql.end({ timeout: 1 }).catch(() => undefined);
    };
    let ok: boolean;
    try {
      ok = await take();
    } catch (error) {
      await close();
      throw unreachable(error, target);
    }
    if (!ok) {
      await close();
      throw mode === 'exclusive' ? theBotRuns(target, danger) : restoreRunning(target);
    }
    return {
      async release() {
        if (!released) await close();
      },
    };
  }

  return {
    holdShared: () => hold('shared', ''),
    holdExclusive: (danger) => hold('exclusive', danger),
  };
}
