/**
 * Daily quotas are reserved when a question is admitted, in one conditional statement, not read
 * first and charged with the answer: one user's questions asked at the same moment (in different
 * chats, which run side by side) get exactly the quota's answers and the rest are refused. What
 * is asked again (an edit, /retry) is not another question. Through the real daemon (long
 * polling, SQLite) against the fake Telegram and Gemini.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { waitFor } from '../helpers/ports.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    env: {
      BOTCTL_RATE_LIMIT: '{"burst":100,"perMinute":600}',
      BOTCTL_QUOTAS: '{"user":{"messagesPerDay":5}}',
    },
  });
  // Slow enough that every question is admitted before the first answer is stored.
  h.gemini.respond = (req) => ({ text: `re: ${req.lastUserText}`, firstTokenDelayMs: 400 });
});
afterAll(async () => h?.close());

const today = () => new Date().toISOString().slice(0, 10);
const questionsCounted = async (telegramId: number) => {
  const user = await h.db.repos.users.getByTelegramId(telegramId);
  return (await h.db.repos.usage.get(user!.id, today())).messages;
};

describe('quota reservations', () => {
  it('answers exactly the quota of questions asked at once in 20 chats and refuses the rest', async () => {
    const userId = 18_100;
    const groups = Array.from({ length: 20 }, (_, i) => -1_018_100 - i);
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
    expect(await questionsCounted(userId)).toBe(5);
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
});
