/**
 * The daemon on its shipped defaults (pacing on) against the fake Bot API enforcing Telegram's
 * stated flood limits (30/s per bot, 1/s per chat after a burst of 3, 20/min per group): bursts
 * are answered, in order, without a single 429.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TELEGRAM_RATE_LIMITS } from '../fakes/telegram.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { waitFor } from '../helpers/ports.js';

let h: Harness;

beforeAll(async () => {
  // The users' own limits are not what this measures.
  h = await startHarness({ env: { BOTCTL_RATE_LIMIT: '{"burst":50,"perMinute":600}' } });
  h.gemini.respond = (req) => ({ text: `answer to ${req.lastUserText}` });
});
afterAll(async () => h?.close());
beforeEach(() => h.telegram.setRateLimit(TELEGRAM_RATE_LIMITS));

async function answersIn(chatId: number, count: number, timeoutMs = 30_000): Promise<string[]> {
  return waitFor(() => {
    const texts = h.telegram.sentMessages(chatId);
    if (texts.length < count) throw new Error(`chat ${chatId}: ${texts.length}/${count} answers`);
    return texts;
  }, timeoutMs);
}

describe('pacing under Telegram flood limits', { timeout: 90_000 }, () => {
  it('answers a burst into one group in order with no 429', async () => {
    const group = -100_777;
    const bot = h.telegram.botInfo.username;
    const questions = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6'];
    for (const q of questions) {
      h.telegram.pushUpdate(
        h.telegram.updates.text({
          chatId: group,
          chatType: 'supergroup',
          userId: 4242,
          text: `@${bot} ${q}`,
          entities: [{ type: 'mention', offset: 0, length: bot.length + 1 }],
        }),
      );
    }
    const answers = await answersIn(group, questions.length);
    expect(answers).toEqual(questions.map((q) => `answer to ${q}`));
    expect(h.telegram.tooManyRequestsCount).toBe(0);
  });

  it('answers a burst from 40 private users, past the 30/s of the bot, with no 429', async () => {
    const users = Array.from({ length: 40 }, (_, i) => 600_000 + i);
    for (const user of users)
      h.telegram.pushUpdate(h.telegram.updates.text({ chatId: user, text: `hi ${user}` }));
    for (const user of users) expect(await answersIn(user, 1)).toEqual([`answer to hi ${user}`]);
    expect(h.telegram.tooManyRequestsCount).toBe(0);
    // Those whose answer waited for its turn under the 30/s limit saw typing while they waited.
    const typed = new Set(h.telegram.callsOf('sendChatAction').map((call) => call.params.chat_id));
    const asked = h.telegram.callsOf('sendMessage').find((call) => call.params.chat_id === users[0])!.at;
    const waited = users.filter((user) => {
      const answer = h.telegram.callsOf('sendMessage').find((call) => call.params.chat_id === user)!;
      return answer.at - asked > 600;
    });
    expect(waited.length).toBeGreaterThan(0);
    for (const user of waited) expect(typed.has(user)).toBe(true);
  });
});
