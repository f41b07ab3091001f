/**
 * Inbox leases and instance claims, one contract on SQLite and PostgreSQL: an instance owns what
 * it records, renews it while it works, and another takes a pending update only once its lease
 * ran out or its owner's instance is gone; concurrent claimers split stale updates, each to
 * exactly one. The guard's instance claim says which instances may run together.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabaseGuard } from '../../src/adapters/db/guard.js';
import { instances } from '../../src/probes/database.js';
import type { BotctlError } from '../../src/domain/errors.js';
import type { DatabaseHold, Dialect, Repositories } from '../../src/domain/ports/index.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function entry(updateId: number, chatKey: string, lease?: { owner: string; until: Date }) {
  return {
    updateId,
    chatKey,
    fromId: null,
    payload: `{"update_id":${updateId}}`,
    ...(lease ? { lease } : {}),
  };
}

async function refusal(promise: Promise<unknown>): Promise<BotctlError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a refusal').toBeDefined();
  return error as BotctlError;
}

export function describeInboxLeaseContract(dialect: Dialect): void {
  describe(`inbox leases and instance claims (${dialect})`, () => {
    let db: TestDatabase;
    let repos: Repositories;
    const holds: DatabaseHold[] = [];
    /** An instance that is alive: it holds its claim (as a daemon does for its life). */
    const live = async (owner: string) => {
      const hold = await createDatabaseGuard(db.url).holdInstance({
        owner,
        polling: false,
        sharedLimits: true,
      });
      holds.push(hold);
      return hold;
    };

    beforeEach(async () => {
      db = await openTestDatabase(dialect);
      repos = db.repos;
    });
    afterEach(async () => {
      for (const hold of holds.splice(0)) await hold.release();
      await db.cleanup();
    });

    it("never takes a live owner's update under lease; takes it once the lease ran out, or at once when its owner is gone", async () => {
      const a = await live('owner-a');
      await repos.updates.record(entry(1, 'chat:1', { owner: 'owner-a', until: at(15) }), T0);
      await repos.updates.record(entry(2, 'chat:2', { owner: 'owner-gone', until: at(15) }), T0);
      await repos.updates.record(entry(3, 'chat:3'), T0); // recorded without a lease: nobody's
      await repos.updates.record(entry(5, 'chat:5'), T0);
      await repos.updates.markDone(3, T0);
      // A never takes its own (it runs them); it takes the gone owner's and nobody's.
      const first = await repos.updates.claimStale('owner-a', at(20), 10, at(5));
      expect(first.map((u) => [u.updateId, u.payload])).toEqual([
        [2, '{"update_id":2}'],
        [5, '{"update_id":5}'],
      ]);
      expect(await repos.updates.claimStale('owner-x', at(30), 10, at(5))).toEqual([]);
      // A's first lease runs out (a hung instance): another takes that one only.
      expect((await repos.updates.claimStale('owner-x', at(30), 10, at(16))).map((u) => u.updateId)).toEqual([
        1,
      ]);
      // A stops or crashes: its claim is released, so its updates are taken at once; X never held one.
      await a.release();
      expect((await repos.updates.claimStale('owner-y', at(40), 10, at(17))).map((u) => u.updateId)).toEqual([
        1, 2, 5,
      ]);
    });

    it("notes an update admitted with its question's reservation, and only when the reservation fits", async () => {
      const user = await repos.users.upsertFromTelegram(
        {
          telegramId: 7001,
          username: null,
          firstName: 'A',
          lastName: null,
          languageCode: 'en',
          language: 'en',
        },
        T0,
      );
      const day = '2026-01-01';
      const caps = { messages: 1, images: 0, audioSeconds: 0, searches: 0, tokens: 0 };
      await repos.updates.record(entry(21, 'chat:1'), T0);
      await repos.updates.record(entry(22, 'chat:1'), T0);
      await repos.updates.record(entry(23, 'chat:1'), T0);
      expect(await repos.updates.wasAdmitted(21)).toBe(false);
      expect(
        await repos.usage.reserve(user.id, day, { messages: 1 }, caps, { updateId: 21, at: T0 }),
      ).toMatchObject({
        messages: 1,
      });
      // Over the cap: nothing reserved, and the update is not noted either.
      expect(
        await repos.usage.reserve(user.id, day, { messages: 1 }, caps, { updateId: 22, at: T0 }),
      ).toBeNull();
      await repos.updates.markAdmitted(23, T0); // admitted without a reservation (an edit, /retry)
      expect(await repos.updates.wasAdmitted(21)).toBe(true);
      expect(await repos.updates.wasAdmitted(22)).toBe(false);
      expect(await repos.updates.wasAdmitted(23)).toBe(true);
      expect(await repos.updates.wasAdmitted(99)).toBe(false); // never recorded
    });

    it('renewing extends only the pending leases of the owner', async () => {
      await live('owner-a');
      await repos.updates.record(entry(10, 'chat:1', { owner: 'owner-a', until: at(15) }), T0);
      await repos.updates.record(entry(11, 'chat:1', { owner: 'owner-a', until: at(15) }), T0);
      await repos.updates.markDone(11, T0);
      expect(await repos.updates.renewLeases('owner-a', at(60))).toBe(1);
      expect(await repos.updates.renewLeases('owner-x', at(60))).toBe(0);
      expect(await repos.updates.claimStale('owner-c', at(90), 10, at(30))).toEqual([]);
      expect((await repos.updates.claimStale('owner-c', at(90), 10, at(61))).map((u) => u.updateId)).toEqual([
        10,
      ]);
    });

    it('splits 200 stale updates among four concurrent claimers, each update to exactly one', async () => {
      for (let id = 1; id <= 200; id += 1) await repos.updates.record(entry(id, `chat:${id % 7}`), T0);
      const handles = [repos, ...(await Promise.all([1, 2, 3].map(async () => (await db.reopen()).repos)))];
      // Live claimers: four instances on Postgres; SQLite serves one, so there four connections of it.
      const owners = dialect === 'sqlite' ? ['one', 'one', 'one', 'one'] : ['c0', 'c1', 'c2', 'c3'];
      for (const owner of new Set(owners)) await live(owner);
      const taken = await Promise.all(
        handles.map(async (r, n) => {
          const mine: number[] = [];
          for (;;) {
            const batch = await r.updates.claimStale(owners[n]!, at(60), 7, at(1));
            if (batch.length === 0) return mine;
            // Oldest first within each batch.
            expect(batch.map((u) => u.updateId)).toEqual(
              [...batch.map((u) => u.updateId)].sort((x, y) => x - y),
            );
            mine.push(...batch.map((u) => u.updateId));
          }
        }),
      );
      const all = taken.flat().sort((x, y) => x - y);
      expect(all).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(Number((await db.raw('select count(*) as n from update_inbox where owner is null'))[0]?.n)).toBe(
        0,
      );
    });

    it("lists a chat's older pending updates, oldest first, whoever holds them", async () => {
      await repos.updates.record(entry(20, 'chat:9', { owner: 'a', until: at(15) }), T0);
      await repos.updates.record(entry(21, 'chat:9', { owner: 'b', until: at(15) }), T0);
      await repos.updates.record(entry(22, 'chat:8', { owner: 'b', until: at(15) }), T0);
      await repos.updates.record(entry(23, 'chat:9'), T0);
      await repos.updates.record(entry(24, 'chat:9', { owner: 'a', until: at(15) }), T0);
      await repos.updates.markDone(21, T0);
      expect(await repos.updates.olderPending('chat:9', 24, 10)).toEqual([20, 23]);
      expect(await repos.updates.olderPending('chat:9', 24, 1)).toEqual([20]);
      expect(await repos.updates.olderPending('chat:9', 20, 10)).toEqual([]);
      expect(await repos.updates.olderPending('chat:8', 30, 10)).toEqual([22]);
    });

    it('records a batch in order: leases kept, rejects settled, known and repeated ids false', async () => {
      await live('owner-a');
      await repos.updates.record(entry(10, 'chat:1'), T0);
      const lease = { owner: 'owner-a', until: at(15) };
      const results = await repos.updates.recordMany(
        [
          entry(10, 'chat:1', lease), // stored before: a duplicate
          entry(11, 'chat:1', lease),
          { ...entry(12, 'none'), rejected: 'shape: message.chat' },
          entry(13, 'chat:2', lease),
          entry(11, 'chat:1', lease), // twice in one batch: the first one counts
        ],
        T0,
      );
      expect(results).toEqual([false, true, true, true, false]);
      const rows = await db.raw('select update_id, status, owner from update_inbox order by update_id');
      expect(rows.map((r) => [Number(r.update_id), r.status, r.owner])).toEqual([
        [10, 'pending', null],
        [11, 'pending', 'owner-a'],
        [12, 'rejected', null],
        [13, 'pending', 'owner-a'],
      ]);
      // The lease holds: nobody else takes 11 or 13 before it runs out; 10 had none.
      expect((await repos.updates.claimStale('owner-x', at(30), 10, at(5))).map((u) => u.updateId)).toEqual([
        10,
      ]);
      expect(await repos.updates.recordMany([], T0)).toEqual([]);
      // One update alone takes the single-row path: the same answers.
      expect(await repos.updates.recordMany([entry(14, 'chat:3', lease)], T0)).toEqual([true]);
      expect(await repos.updates.recordMany([entry(14, 'chat:3', lease)], T0)).toEqual([false]);
    });

    it('stores a batch all or none: a row that fails leaves nothing of the batch behind', async () => {
      // A trigger refuses one update_id, as a full disk or a lost connection would refuse a write.
      if (dialect === 'sqlite') {
        await db.raw(
          `create trigger refuse_22 before insert on update_inbox when new.update_id = 22
           begin select raise(abort, 'refused'); end`,
        );
      } else {
        await db.raw(
          `create function refuse_22() returns trigger language plpgsql as
           $$ begin if new.update_id = 22 then raise exception 'refused'; end if; return new; end $$`,
        );
        await db.raw(
          'create trigger refuse_22 before insert on update_inbox for each row execute function refuse_22()',
        );
      }
      const batch = [entry(21, 'chat:1'), entry(22, 'chat:1'), entry(23, 'chat:2')];
      await expect(repos.updates.recordMany(batch, T0)).rejects.toThrow();
      expect(await db.raw('select update_id from update_inbox')).toEqual([]);
      await db.raw(
        dialect === 'sqlite' ? 'drop trigger refuse_22' : 'drop trigger refuse_22 on update_inbox',
      );
      // The same batch again (getUpdates' offset did not move): every update is new, none a duplicate.
      expect(await repos.updates.recordMany(batch, T0)).toEqual([true, true, true]);
    });

    it('the instance claim: which instances may run together', async () => {
      const guard = () => createDatabaseGuard(db.url);
      const first = await guard().holdInstance({ owner: 'i1', polling: true, sharedLimits: true });
      holds.push(first);
      if (dialect === 'sqlite') {
        const error = await refusal(
          guard().holdInstance({ owner: 'i2', polling: false, sharedLimits: true }),
        );
        expect([error.code, error.message]).toEqual([
          'LOCKED',
          expect.stringMatching(/^Another botctl daemon runs on this database \(SQLite database .*\)$/),
        ]);
        expect(error.hint).toMatch(/SQLite serves one instance/);
      } else {
        // Several with shared limits may run; only one polls; one without Redis runs alone.
        holds.push(await guard().holdInstance({ owner: 'i2', polling: false, sharedLimits: true }));
        // What `doctor` counts: the instances' claim sessions on this database.
        expect(await instances(db.url)).toBe(2);
        const poller = await refusal(
          guard().holdInstance({ owner: 'i3', polling: true, sharedLimits: true }),
        );
        expect([poller.code, poller.message]).toEqual([
          'LOCKED',
          expect.stringMatching(/^Another instance already polls Telegram/),
        ]);
        expect(poller.hint).toMatch(/one getUpdates consumer/);
        const alone = await refusal(
          guard().holdInstance({ owner: 'i4', polling: false, sharedLimits: false }),
        );
        expect(alone.message).toMatch(
          /^Another botctl instance runs on this database .* and this one has no Redis$/,
        );
        expect(alone.hint).toMatch(/BOTCTL_REDIS_URL/);
        for (const hold of holds.splice(0)) await hold.release();
        holds.push(await guard().holdInstance({ owner: 'i5', polling: false, sharedLimits: false }));
        const joiner = await refusal(
          guard().holdInstance({ owner: 'i6', polling: false, sharedLimits: true }),
        );
        expect(joiner.message).toMatch(/^An instance without Redis runs on this database/);
      }
      for (const hold of holds.splice(0)) await hold.release();
      // Released: the next one may start.
      holds.push(await guard().holdInstance({ owner: 'i7', polling: true, sharedLimits: false }));
    });
  });
}
