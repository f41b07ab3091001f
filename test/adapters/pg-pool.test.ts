/**
 * How many PostgreSQL connections a botctl process opens: `databasePoolSize`, by default twice
 * the CPU cores and at most 10. postgres.js opens a new connection for a query whenever none is
 * idle and the pool is not full, so a burst of queries shows the pool's size in pg_stat_activity
 * (the pool's sessions are named `botctl`).
 */
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPoolSize, openDatabase, type Database } from '../../src/adapters/db/open.js';
import { createFieldCipher } from '../../src/adapters/system/cipher.js';
import { startHarness } from '../helpers/bot-harness.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { waitFor } from '../helpers/ports.js';

const poolSessions = async (db: TestDatabase) =>
  Number(
    (
      await db.raw(
        "select count(*) as n from pg_stat_activity where datname = current_database() and application_name = 'botctl'",
      )
    )[0]!.n,
  );

/** 40 queries at once, as a burst of answers asks them. */
const burst = (database: Database) =>
  Promise.all(Array.from({ length: 40 }, (_, i) => database.repos.users.getByTelegramId(1000 + i)));

describe('the PostgreSQL pool', () => {
  let db: TestDatabase;
  let opened: Database | undefined;
  beforeEach(async () => {
    db = await openTestDatabase('postgres');
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    await db.cleanup();
  });

  it('opens as many connections as poolSize under a burst, no more', async () => {
    const before = await poolSessions(db);
    opened = await openDatabase({ url: db.url, cipher: createFieldCipher([]), poolSize: 3 });
    await burst(opened);
    expect((await poolSessions(db)) - before).toBe(3);
  });

  it('opens twice the CPU cores by default, at most 10', async () => {
    const before = await poolSessions(db);
    opened = await openDatabase({ url: db.url, cipher: createFieldCipher([]) });
    await burst(opened);
    const expected = Math.max(2, Math.min(10, 2 * os.availableParallelism()));
    expect(defaultPoolSize()).toBe(expected);
    expect((await poolSessions(db)) - before).toBe(expected);
    expect([defaultPoolSize(1), defaultPoolSize(2), defaultPoolSize(4), defaultPoolSize(64)]).toEqual([
      2, 4, 8, 10,
    ]);
  });

  it("is the daemon's: BOTCTL_DATABASE_POOL_SIZE=1 answers a burst over one connection", async () => {
    const h = await startHarness({ dialect: 'postgres', env: { BOTCTL_DATABASE_POOL_SIZE: '1' } });
    try {
      const chats = Array.from({ length: 20 }, (_, i) => 31_000 + i);
      for (const chatId of chats)
        h.telegram.pushUpdate(h.telegram.updates.text({ chatId, text: `q${chatId}` }));
      await waitFor(
        () => expect(chats.map((chatId) => h.telegram.sentMessages(chatId).length)).not.toContain(0),
        20_000,
      );
      // The daemon's one, and the harness's own handle on the database (a pool named botctl too,
      // which has run only its opening probe): with the default pool the burst opened 4 or more.
      expect(await poolSessions(h.db)).toBe(2);
    } finally {
      await h.close();
    }
  });
});
