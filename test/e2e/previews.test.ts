/**
 * Previews (private drafts, the group message edited as the model writes) show an answer that
 * is still coming. On PostgreSQL, where storing the answer takes a few round trips, a preview of
 * the finished answer used to slip out just before the answer itself: one Telegram call per
 * answer for nothing. The model's last piece (its finish reason) now tells the reply there is
 * nothing more to preview.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { waitFor } from '../helpers/ports.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ dialect: 'postgres', env: { BOTCTL_RATE_LIMIT: '{"burst":50,"perMinute":600}' } });
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.gemini.respond = undefined;
});

const answers = (chatId: number, count: number) =>
  waitFor(() => {
    const texts = h.telegram.sentMessages(chatId);
    if (texts.length < count) throw new Error(`chat ${chatId}: ${texts.length}/${count} answers`);
    return texts;
  }, 10_000);

describe('previews', () => {
  it('sends a one-piece answer in a private chat without a draft of it', async () => {
    const chats = [71_001, 71_002, 71_003, 71_004, 71_005];
    h.gemini.respond = (req) => ({ chunks: [`short answer to ${req.lastUserText}`] });
    for (const chat of chats) {
      h.telegram.pushUpdate(h.telegram.updates.text({ chatId: chat, text: `q${chat}` }));
      expect(await answers(chat, 1)).toEqual([`short answer to q${chat}`]);
    }
    for (const chat of chats) expect(h.telegram.drafts(chat)).toEqual([]);
  });

  it('answers a group in one message when the answer came in one piece', async () => {
    const group = -100_71_006;
    const bot = h.telegram.botInfo.username;
    h.gemini.respond = () => ({ chunks: ['one piece'] });
    for (let i = 0; i < 3; i++) {
      h.telegram.pushUpdate(
        h.telegram.updates.text({
          chatId: group,
          chatType: 'supergroup',
          userId: 7100 + i,
          text: `@${bot} q${i}`,
          entities: [{ type: 'mention', offset: 0, length: bot.length + 1 }],
        }),
      );
      await answers(group, i + 1);
    }
    expect(h.telegram.sentMessages(group)).toEqual(['one piece', 'one piece', 'one piece']);
    expect(h.telegram.callsOf('editMessageText').filter((c) => c.params.chat_id === group)).toEqual([]);
  });

  it('still previews an answer that comes in pieces', async () => {
    const chat = 71_007;
    h.gemini.respond = () => ({ chunks: ['first, ', 'second, ', 'third'], chunkDelayMs: 700 });
    h.telegram.pushUpdate(h.telegram.updates.text({ chatId: chat, text: 'tell me slowly' }));
    expect(await answers(chat, 1)).toEqual(['first, second, third']);
    expect(h.telegram.drafts(chat).map((d) => d.text)).toContain('first,');
  });
});
