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
import { BotctlError } from '../../../domain/errors.js';
import type { DatabaseGuard, DatabaseHold, InstanceClaim } from '../../../domain/ports/index.js';
import { unreachable } from '../shared/errors.js';
import { restoreRunning, theBotRuns } from '../shared/guard.js';

/** "botguard" in ASCII: fixed, so every botctl process agrees; distinct from the migration lock. */
const GUARD_KEY = '7093015925831594596';
const RETAKE_MS = 5_000;
/**
 * An instance's claim is taken again this soon after its session drops, then every
 * CLAIM_RETRY_MS while the server is away: the others see this instance as gone until it is back
 * (see holdInstance), so the gap after a server restart is at most about a second.
 */
const CLAIM_RETAKE_MS = 100;
const CLAIM_RETRY_MS = 1_000;
/** Held shared by instances with shared limits, exclusively by one without: "botinsts". */
const INSTANCES_KEY = '7093015929409204339';
/** Held by the one instance that polls Telegram: "botpolls". */
const POLLER_KEY = '7093015929358511219';
/**
 * An instance's claim connection is named after its inbox owner id, so any instance can tell a
 * live owner from a gone one by the server's own session list (inbox.ts): a killed process's
 * session ends with its socket, at once.
 */
export const INSTANCE_APPLICATION = 'botctl instance ';

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

  async function holdInstance(claim: InstanceClaim): Promise<DatabaseHold> {
    const { default: postgres } = await import('postgres');
    let released = false;
    let retake: NodeJS.Timeout | undefined;
    const sql: Sql = postgres(url, {
      max: 1,
      connect_timeout: 5,
      idle_timeout: 0,
      max_lifetime: null,
      onnotice: () => undefined,
      connection: { application_name: `${INSTANCE_APPLICATION}${claim.owner}` },
      // A dropped session (a server restart, a terminated backend) ends the claim, and with it the
      // sign that this owner lives: the others would take every update it holds or records from
      // then on (inbox.ts: liveOwners), each answered twice. The claim is taken again at once.
      onclose: () => retakeLater(CLAIM_RETAKE_MS),
    });
    const close = () => sql.end({ timeout: 1 }).catch(() => undefined);
    const take = async (fn: string, key: string) => {
      const [row] = await sql.unsafe<Array<{ ok: boolean }>>(`select ${fn}(${key}) as ok`);
      return row?.ok === true;
    };
    /** Takes the claim's locks on the (new) session; the refusal when this instance may not run. */
    const claimLocks = async (): Promise<BotctlError | undefined> => {
      if (
        !(await take(
          claim.sharedLimits ? 'pg_try_advisory_lock_shared' : 'pg_try_advisory_lock',
          INSTANCES_KEY,
        ))
      )
        return claim.sharedLimits
          ? new BotctlError('LOCKED', `An instance without Redis runs on this database (${target})`, {
              hint: 'several instances share rate limits through Redis: set redisUrl (BOTCTL_REDIS_URL) on every instance and restart that one',
            })
          : new BotctlError(
              'LOCKED',
              `Another botctl instance runs on this database (${target}) and this one has no Redis`,
              {
                hint: 'several instances share rate limits through Redis: set redisUrl (BOTCTL_REDIS_URL) on every instance, or run one',
              },
            );
      if (claim.polling && !(await take('pg_try_advisory_lock', POLLER_KEY)))
        return new BotctlError('LOCKED', `Another instance already polls Telegram for this bot (${target})`, {
          hint: 'Telegram allows one getUpdates consumer: run several instances in webhook mode (`botctl config set mode webhook`), or stop the other one',
        });
      return undefined;
    };
    // The session comes back with the next query (postgres.js reconnects); one attempt at a time,
    // again after CLAIM_RETRY_MS while the server is away. A lock another instance took meanwhile
    // stays its own: this one keeps its session (it lives) and tries again later.
    function retakeLater(delayMs: number) {
      if (released || retake) return;
      retake = setTimeout(() => {
        retake = undefined;
        if (released) return;
        claimLocks().then(
          (refusal) => refusal && retakeLater(CLAIM_RETRY_MS),
          () => retakeLater(CLAIM_RETRY_MS),
        );
      }, delayMs);
      retake.unref();
    }
    let refusal: BotctlError | undefined;
    try {
      refusal = await claimLocks();
    } catch (error) {
      released = true;
      await close();
      throw unreachable(error, target);
    }
    if (refusal) {
      released = true;
      await close();
      throw refusal;
    }
    return {
      async release() {
        if (released) return;
        released = true;
        clearTimeout(retake);
        await close();
      },
      async instances() {
        const [row] = await sql<Array<{ n: string }>>`
          select count(*) as n from pg_stat_activity
          where datname = current_database() and application_name like ${`${INSTANCE_APPLICATION}%`}`;
        return Number(row?.n ?? 1);
      },
    };
  }

  return {
    holdShared: () => hold('shared', ''),
    holdExclusive: (danger) => hold('exclusive', danger),
    holdInstance,
  };
}
