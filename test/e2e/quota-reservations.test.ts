/**
 * Daily quotas are reserved when a question is admitted, in one conditional statement, not read
 * first and charged with the answer: one user's questions asked at the same moment (in different
 * chats, which run side by side) get exactly the quota's answers and the rest are refused. What
 * is asked again (an edit, /retry) is not another question. Through the real daemon (long
 * polling; SQLite, and PostgreSQL with its pool of connections for the race) against the fake
 * Telegram and Gemini.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatKeyOfUpdate } from '../../src/daemon/intake.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { waitFor } from '../helpers/ports.js';

const RACE_ENV = {
  BOTCTL_RATE_LIMIT: '{"burst":100,"perMinute":600}',
  BOTCTL_QUOTAS: '{"user":{"messagesPerDay":5}}',
};
// Slow enough that every question is admitted before the first answer is stored.
const slowEcho = (req: { lastUserText: string }) => ({
  text: `re: ${req.lastUserText}`,
  firstTokenDelayMs: 400,
});

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: RACE_ENV });
  h.gemini.respond = slowEcho;
});
afterAll(async () => h?.close());

const today = () => new Date().toISOString().slice(0, 10);
const questionsCounted = async (telegramId: number) => {
  const user = await h.db.repos.users.getByTelegramId(telegramId);
  return (await h.db.repos.usage.get(user!.id, today())).messages;
};

/** One user's 20 questions at once, each in a group of its own: exactly 5 answered, 15 refused. */
async function askAtOnce(harness: Harness, userId: number, base: number): Promise<void> {
  const h = harness;
  const groups = Array.from({ length: 20 }, (_, i) => base - i);
  const bot = h.telegram.botInfo.username;
  for (const [i, chatId] of groups.entries()) {
    h.telegram.pushUpdate(
      h.telegram.updates.text({
        chatId,
        userId,
        chatType: 'supergroup',
        text: `@${bot} question ${i}`,
        entities: [{ type: 'mention', offset: 0, length: bot.length + 1 }],
      }),
    );
  }
  const replies = () => groups.map((chatId) => h.telegram.sentMessages(chatId).at(-1));
  await waitFor(() => expect(replies()).not.toContain(undefined), 15_000);
  const answered = replies().filter((text) => text!.startsWith('re: '));
  const refused = replies().filter((text) => /today's limit/.test(text!));
  expect({ answered: answered.length, refused: refused.length }).toEqual({ answered: 5, refused: 15 });
  const user = await h.db.repos.users.getByTelegramId(userId);
  expect((await h.db.repos.usage.get(user!.id, today())).messages).toBe(5);
}

/**
 * What an instance that died left pending: recorded under its lease, never run (it waited in line),
 * and one it had admitted (charged) before it died. Its claim is gone, so the next start takes them
 * at once, as replays: the admitted one is answered uncharged, the others are charged like fresh
 * messages (here refused: the quota is used up).
 */
async function backlogOfADeadInstance(h: Harness, chat: number): Promise<void> {
  const user = await h.db.repos.users.upsertFromTelegram({
    telegramId: chat,
    username: null,
    firstName: 'Backlog',
    lastName: null,
    languageCode: 'en',
    language: 'en',
  });
  await h.db.repos.usage.increment(user.id, today(), { messages: 4 });
  const backlog = (text: string, updateId: number) => {
    const update = { ...h.telegram.updates.text({ chatId: chat, text }), update_id: updateId } as never;
    return h.db.repos.updates.record(
      {
        updateId,
        chatKey: chatKeyOfUpdate(update),
        fromId: chat,
        payload: JSON.stringify(update),
        lease: { owner: 'an-instance-that-died', until: new Date(Date.now() + 60_000) },
      },
      new Date(),
    );
  };
  // The fifth question was admitted and counted (4 + 1) before its instance died.
  await backlog('admitted before', 900_001);
  await h.db.repos.usage.increment(user.id, today(), { messages: 1 });
  await h.db.repos.updates.markAdmitted(900_001);
  // These were never run: the quota (5) is used up, so they are refused, not answered free.
  await backlog('never ran', 900_002);
  await backlog('never ran either', 900_003);

  await h.restart();
  await waitFor(() => expect(h.telegram.sentMessages(chat)).toHaveLength(3), 15_000);
  const [first, ...rest] = h.telegram.sentMessages(chat);
  expect(first).toBe('re: admitted before');
  for (const text of rest) expect(text).toMatch(/today's limit/);
  expect((await h.db.repos.usage.get(user.id, today())).messages).toBe(5);
  // Each is marked done just after its reply is sent: wait for the last one's mark.
  await waitFor(async () => expect(await h.db.repos.updates.countPending()).toBe(0));
}

describe('quota reservations on PostgreSQL', () => {
  it("answers exactly the quota of questions asked at once in 20 chats, and charges a dead instance's backlog", async () => {
    const pg = await startHarness({ dialect: 'postgres', env: RACE_ENV });
    pg.gemini.respond = slowEcho;
    try {
      await askAtOnce(pg, 18_150, -1_018_150);
      await backlogOfADeadInstance(pg, 18_350);
    } finally {
      await pg.close();
    }
  });
});

describe('quota reservations', () => {
  it('answers exactly the quota of questions asked at once in 20 chats and refuses the rest', async () => {
    await askAtOnce(h, 18_100, -1_018_100);
  });

  it('re-asks an edited last question and answers /retry at the limit, counting no further question', async () => {
    const chat = 18_200;
    const say = (text: string) =>
      h.telegram.pushUpdate(h.telegram.updates.text({ chatId: chat, text })).message!;
    let last = say('q1');
    for (const text of ['q2', 'q3', 'q4', 'q5']) {
      await waitFor(() => expect(h.telegram.sentMessages(chat).length).toBeGreaterThan(0));
      last = say(text);
    }
    await waitFor(() => expect(h.telegram.sentMessages(chat)).toHaveLength(5));
    expect(await questionsCounted(chat)).toBe(5);

    // The fifth question, edited: re-asked, its answer edited in place; still five questions.
    h.telegram.pushUpdate(
      h.telegram.updates.edit({ chatId: chat, messageId: last.message_id, text: 'q5 fixed' }),
    );
    await waitFor(() => expect(h.telegram.sentMessages(chat).at(-1)).toBe('re: q5 fixed'));
    h.telegram.pushUpdate(h.telegram.updates.command({ chatId: chat, command: 'retry' }));
    await waitFor(() => expect(h.telegram.sentMessages(chat)).toHaveLength(6));
    expect(h.telegram.sentMessages(chat).at(-1)).toBe('re: q5 fixed');
    expect(await questionsCounted(chat)).toBe(5);

    say('q6');
    await waitFor(() => expect(h.telegram.sentMessages(chat).at(-1)).toMatch(/today's limit/));
    expect(await questionsCounted(chat)).toBe(5);
  });

  it("charges a dead instance's backlog when it is taken over, and lets through uncharged only what was admitted", async () => {
    await backlogOfADeadInstance(h, 18_300);
  });
});
