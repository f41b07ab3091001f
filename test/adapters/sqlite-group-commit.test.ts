/**
 * SQLite's group commit (src/adapters/db/sqlite/group-commit.ts), seen where it matters: the
 * WAL file. Answers stored at once share one commit, so they append about the pages of one
 * answer, not one answer's pages each. What the writes keep and how a broken one fails is the
 * turn contract's (test/contracts/turns.contract.ts), on both dialects.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INLINE_CHECKPOINT_FRAMES, QUIET_MS } from '../../src/adapters/db/sqlite/idle-checkpoint.js';
import { newPrivateChat } from '../helpers/chats.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { waitFor } from '../helpers/ports.js';

const ANSWERS = 20;

describe('SQLite group commit', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await openTestDatabase('sqlite');
  });
  afterEach(async () => {
    await db.cleanup();
  });

  function chats(n: number) {
    return Promise.all(Array.from({ length: n }, (_, i) => newPrivateChat(db.repos, 8_100_000 + i)));
  }

  function answer({ user, conv }: Awaited<ReturnType<typeof chats>>[number], i: number) {
    return db.repos.conversations.appendCounted(
      [
        { conversationId: conv.id, role: 'user', content: `question ${i}` },
        { conversationId: conv.id, role: 'model', content: `answer ${i}` },
      ],
      { userId: user.id, day: '2025-05-01', delta: { messages: 1, tokensIn: 5, tokensOut: 7 } },
    );
  }

  /** Bytes in the WAL after `work`, starting from an empty one (each commit appends its pages). */
  async function walGrowth(work: () => Promise<unknown>): Promise<number> {
    await db.raw('pragma wal_checkpoint(TRUNCATE)');
    const wal = `${db.url}-wal`;
    const before = fs.existsSync(wal) ? fs.statSync(wal).size : 0;
    await work();
    return fs.statSync(wal).size - before;
  }

  it(`stores ${ANSWERS} answers asked for at once in about the WAL pages of one`, async () => {
    const all = await chats(ANSWERS + 1);
    const [first, ...rest] = all;
    await answer(first!, 0); // the usage row of the day exists from here on, for both measures
    const one = await walGrowth(() => answer(first!, 1));
    const many = await walGrowth(() => Promise.all(rest.map((chat, i) => answer(chat, i + 2))));
    expect(one).toBeGreaterThan(0);
    // One commit per answer would append about ANSWERS times `one`.
    expect(many).toBeLessThan(4 * one);
    const stored = await db.raw('select count(*) as n from messages');
    expect(Number(stored[0]!.n)).toBe(2 * (ANSWERS + 2));
  });

  it('fails every write of a group whose transaction cannot start, and keeps none of them', async () => {
    const [a, b] = await chats(2);
    // Another process holds the write lock past busy_timeout (5 s), as a stuck CLI command would.
    await db.raw('begin immediate');
    const outcomes = await Promise.allSettled([answer(a!, 1), answer(b!, 2)]);
    await db.raw('rollback');
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    for (const outcome of outcomes) {
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({
        code: 'DATABASE_ERROR',
        message: expect.stringMatching(/SQLITE_BUSY/),
      });
    }
    expect(await db.raw('select count(*) as n from messages')).toEqual([{ n: 0 }]);
    // The next group starts afresh.
    await answer(a!, 3);
    expect(await db.raw('select count(*) as n from messages')).toEqual([{ n: 2 }]);
  }, 15_000);
});

describe('SQLite checkpoints once the writes pause', () => {
  // SQLite's default: a commit that takes the WAL past 1000 frames copies them into the file inline.
  const SQLITE_DEFAULT_FRAMES = 1000;
  let db: TestDatabase;
  beforeEach(async () => {
    db = await openTestDatabase('sqlite');
  });
  afterEach(async () => {
    await db.cleanup();
  });

  it(`answers past SQLite's ${SQLITE_DEFAULT_FRAMES} WAL frames stay in the WAL while they go on, and reach the file ${QUIET_MS} ms after`, async () => {
    const chat = await newPrivateChat(db.repos, 8_200_000);
    await db.raw('pragma wal_checkpoint(TRUNCATE)');
    const file = db.url;
    const before = fs.statSync(file).size;
    const long = 'x'.repeat(3000);
    const answers = 120;
    const started = Date.now();
    for (let i = 0; i < answers; i++) {
      await db.repos.conversations.appendCounted(
        [
          { conversationId: chat.conv.id, role: 'user', content: `${long} ${i}` },
          { conversationId: chat.conv.id, role: 'model', content: `${long} ${i}` },
        ],
        { userId: chat.user.id, day: '2025-05-01', delta: { messages: 1, tokensIn: 5, tokensOut: 7 } },
      );
    }
    const writing = Date.now() - started;
    const walFrames = (fs.statSync(`${file}-wal`).size - 32) / (4096 + 24);
    expect(walFrames).toBeGreaterThan(SQLITE_DEFAULT_FRAMES);
    expect(walFrames).toBeLessThan(INLINE_CHECKPOINT_FRAMES);
    // No pause as long as QUIET_MS fits in a shorter run: nothing was copied into the file meanwhile.
    if (writing < QUIET_MS) expect(fs.statSync(file).size).toBe(before);
    await waitFor(() => expect(fs.statSync(file).size).toBeGreaterThan(before + answers * 2 * 3000), 10_000);
  });
});
