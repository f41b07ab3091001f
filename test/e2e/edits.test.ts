/**
 * Edits re-ask: editing the last question (within 10 minutes, nothing newer asked) replaces its
 * answer and its stored turn, counted as one question; an older edit does nothing and says nothing.
 * Through the real daemon (long polling, SQLite) against the fake Telegram and Gemini.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { waitFor } from '../helpers/ports.js';

let h: Harness;
let nextChat = 17_400;

beforeAll(async () => {
  h = await startHarness({ env: { BOTCTL_RATE_LIMIT: '{"burst":50,"perMinute":600}' } });
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.gemini.respond = (req) => ({ text: `re: ${req.lastUserText}` });
});

const send = (chatId: number, text: string, extra: Record<string, unknown> = {}) =>
  h.telegram.pushUpdate(h.telegram.updates.text({ chatId, text, ...extra })).message!;
const edit = (chatId: number, messageId: number, text: string, editDate?: number) =>
  h.telegram.pushUpdate(
    h.telegram.updates.edit({ chatId, messageId, text, ...(editDate ? { editDate } : {}) }),
  );

function shown(chatId: number, expected: string[]): Promise<string[]> {
  return waitFor(() => {
    const texts = h.telegram.sentMessages(chatId);
    if (JSON.stringify(texts) !== JSON.stringify(expected))
      throw new Error(`chat ${chatId} shows ${JSON.stringify(texts)}`);
    return texts;
  }, 8000);
}

const storedTurns = async (chatId: number) =>
  (
    await h.db.raw(
      `select m.role, m.content from messages m join conversations c on c.id = m.conversation_id
       where c.chat_id = ? order by m.id`,
      [chatId],
    )
  ).map((r) => [r.role, r.content]);

const questionsCounted = async (chatId: number) =>
  Number(
    (
      await h.db.raw(
        'select sum(d.messages) as n from daily_usage d join users u on u.id = d.user_id where u.telegram_id = ?',
        [chatId],
      )
    )[0]?.n,
  );

const chatRequests = (text: string) => h.gemini.requests.filter((r) => r.lastUserText === text).length;

describe('edits re-ask', () => {
  it('an edited last question gets its answer edited in place; the history keeps only the edited turn', async () => {
    const chat = nextChat++;
    const question = send(chat, 'Wht is the capital of Frnace?');
    await shown(chat, ['re: Wht is the capital of Frnace?']);
    const answerId = h.telegram.messages(chat).find((m) => m.fromBot)!.messageId;
    edit(chat, question.message_id, 'What is the capital of France?');
    await shown(chat, ['re: What is the capital of France?']);
    const edits = h.telegram.callsOf('editMessageText').filter((c) => c.params.chat_id === chat);
    expect(edits.map((c) => c.params.message_id)).toEqual([answerId]);
    expect(h.telegram.callsOf('sendMessage').filter((c) => c.params.chat_id === chat)).toHaveLength(1);
    expect(await storedTurns(chat)).toEqual([
      ['user', 'What is the capital of France?'],
      ['model', 're: What is the capital of France?'],
    ]);
    expect(await questionsCounted(chat)).toBe(1);
    // The next question follows the edited turn only.
    send(chat, 'And of Spain?');
    await shown(chat, ['re: What is the capital of France?', 're: And of Spain?']);
    const next = h.gemini.requests.findLast((r) => r.lastUserText === 'And of Spain?')!;
    expect(JSON.stringify(next.contents)).not.toContain('Frnace');
    expect(JSON.stringify(next.contents)).toContain('What is the capital of France?');
  });

  it('an answer of several messages is deleted and the new one sent', async () => {
    const chat = nextChat++;
    const long = `${'word '.repeat(900)}\n\n`.repeat(2);
    h.gemini.respond = (req) => ({ text: req.lastUserText === 'write a lot' ? long : 'short now' });
    const question = send(chat, 'write a lot');
    // Every part is sent before the answer is marked delivered (one write after the last part).
    await waitFor(async () => {
      const [answer] = await h.db.raw(
        `select m.delivered_at from messages m join conversations c on c.id = m.conversation_id
         where c.chat_id = ? and m.role = 'model'`,
        [chat],
      );
      if (answer?.delivered_at == null) throw new Error('not delivered yet');
    }, 8000);
    const first = h.telegram
      .messages(chat)
      .filter((m) => m.fromBot)
      .map((m) => m.messageId);
    expect(first.length).toBeGreaterThan(1);
    edit(chat, question.message_id, 'write a little');
    await shown(chat, ['short now']);
    const deleted = h.telegram.callsOf('deleteMessage').filter((c) => c.params.chat_id === chat);
    expect(deleted.map((c) => c.params.message_id)).toEqual(first);
    expect(await storedTurns(chat)).toEqual([
      ['user', 'write a little'],
      ['model', 'short now'],
    ]);
  });

  it('an edit of an older question, or one made after 10 minutes, does nothing and says nothing', async () => {
    const chat = nextChat++;
    const first = send(chat, 'one');
    await shown(chat, ['re: one']);
    const second = send(chat, 'two');
    await shown(chat, ['re: one', 're: two']);
    edit(chat, first.message_id, 'one, edited');
    edit(chat, second.message_id, 'two, edited late', Math.floor(Date.now() / 1000) + 11 * 60);
    // Updates of a chat run in order: once this is answered, both edits were handled.
    send(chat, 'three');
    await shown(chat, ['re: one', 're: two', 're: three']);
    expect(chatRequests('one, edited') + chatRequests('two, edited late')).toBe(0);
    expect(h.telegram.callsOf('editMessageText').filter((c) => c.params.chat_id === chat)).toEqual([]);
    expect((await storedTurns(chat)).map(([, content]) => content)).toEqual([
      'one',
      're: one',
      'two',
      're: two',
      'three',
      're: three',
    ]);
  });

  it('in a group, an edited mention replaces the answer that replied to it', async () => {
    const chat = -17_000_002;
    const mention = `@${h.telegram.botInfo.username}`;
    const entities = [{ type: 'mention' as const, offset: 0, length: mention.length }];
    const group = { chatType: 'supergroup', userId: 9100 };
    const question = send(chat, `${mention} 2+2?`, { ...group, entities });
    await shown(chat, ['re: 2+2?']);
    h.telegram.pushUpdate(
      h.telegram.updates.edit({
        chatId: chat,
        messageId: question.message_id,
        text: `${mention} 3+3?`,
        entities,
      }),
    );
    await shown(chat, ['re: 3+3?']);
    // Someone else's group chatter edited is no question.
    const chatter = send(chat, 'lunch?', { ...group, userId: 9101 });
    edit(chat, chatter.message_id, 'lunch at 1?');
    send(chat, `${mention} 4+4?`, { ...group, entities });
    await shown(chat, ['re: 3+3?', 're: 4+4?']);
    expect(chatRequests('lunch at 1?')).toBe(0);
  });
});
