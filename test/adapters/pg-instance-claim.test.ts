/**
 * An instance's claim on PostgreSQL is a session named after its inbox owner: other instances take
 * a pending update at once when its owner's session is gone (a crash). A session can also drop
 * while the instance lives (a server restart, a terminated backend, a network blip): the claim
 * must come back, or every other instance takes each update this one holds or records from then
 * on, and each is answered twice.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createDatabaseGuard } from '../../src/adapters/db/guard.js';
import type { DatabaseHold } from '../../src/domain/ports/index.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { waitFor } from '../helpers/ports.js';

let db: TestDatabase;
let hold: DatabaseHold | undefined;
beforeEach(async () => {
  db = await openTestDatabase('postgres');
});
afterEach(async () => {
  await hold?.release();
  hold = undefined;
  await db.cleanup();
});

const sessions = async (owner: string) =>
  Number(
    (
      await db.raw('select count(*) as n from pg_stat_activity where application_name = ?', [
        `botctl instance ${owner}`,
      ])
    )[0]!.n,
  );

/** Advisory locks the owner's session holds; `notPid`: only a session other than that one. */
const advisoryLocks = async (owner: string, notPid = 0) =>
  Number(
    (
      await db.raw(
        `select count(*) as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
         where l.locktype = 'advisory' and l.granted and a.application_name = ? and a.pid <> ?`,
        [`botctl instance ${owner}`, notPid],
      )
    )[0]!.n,
  );

it("takes an instance's claim again when its session drops, so its leased updates stay its own", async () => {
  hold = await createDatabaseGuard(db.url).holdInstance({
    owner: 'owner-a',
    polling: true,
    sharedLimits: true,
  });
  const now = new Date();
  const until = new Date(now.getTime() + 60_000);
  await db.repos.updates.record(
    { updateId: 1, chatKey: 'chat:1', fromId: null, payload: '{}', lease: { owner: 'owner-a', until } },
    now,
  );
  expect(await advisoryLocks('owner-a')).toBe(2);

  const [old] = await db.raw('select pid from pg_stat_activity where application_name = ?', [
    'botctl instance owner-a',
  ]);
  // Waits until the old backend is gone (pg_terminate_backend only signals it).
  await db.raw('select pg_terminate_backend(?, 5000)', [old!.pid]);
  // Back within moments, with its locks: the instances lock (shared) and the poller's.
  await waitFor(async () => expect(await advisoryLocks('owner-a', Number(old!.pid))).toBe(2), 10_000, 100);
  // Alive again: another instance does not take its update under lease...
  expect(await db.repos.updates.claimStale('owner-x', until, 10, now)).toEqual([]);
  // ...and once it is released (stopped, or crashed), takes it at once.
  await hold.release();
  hold = undefined;
  await waitFor(async () => expect(await sessions('owner-a')).toBe(0), 5_000, 100);
  expect((await db.repos.updates.claimStale('owner-x', until, 10, now)).map((u) => u.updateId)).toEqual([1]);
});
