/**
 * Replies quote: the replied-to text (or Telegram's selected quote) goes into the turn marked as a
 * quote, and a reply to an older answer of the bot continues that answer's conversation. Through
 * the real daemon (long polling, SQLite) against the fake Telegram and Gemini.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { waitFor } from '../helpers/ports.js';

let h: Harness;
let nextChat = 17_300;

beforeAll(async () => {
  h = await startHarness({ env: { BOTCTL_RATE_LIMIT: '{"burst":50,"perMinute":600}' } });
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.gemini.respond = (req) => ({ text: `re: ${req.lastUserText.split('\n').at(-1)}` });
});

const send = (chatId: number, text: string, extra: Record<string, unknown> = {}) =>
  h.telegram.pushUpdate(h.telegram.updates.text({ chatId, text, ...extra })).message!;

async function answersIn(chatId: number, count: number): Promise<string[]> {
  return waitFor(() => {
    const texts = h.telegram.sentMessages(chatId);
    if (texts.length < count)
      throw new Error(`chat ${chatId}: ${texts.length}/${count}: ${JSON.stringify(texts)}`);
    return texts;
  }, 8000);
}

/** The bot's message in the chat showing `text`. */
function botMessage(chatId: number, text: string): number {
  const found = h.telegram.messages(chatId).find((m) => m.fromBot && m.message.text === text);
  if (!found) throw new Error(`no bot message "${text}" in ${chatId}`);
  return found.messageId;
}

/** The question's model request (title requests of the conversation are left out). */
const requestFor = (question: string) =>
  waitFor(() => {
    const found = h.gemini.requests.findLast(
      (r) => r.lastUserText.endsWith(question) && !r.lastUserText.startsWith('Write a short title'),
    );
    if (!found) throw new Error(`no request for ${question}`);
    return found;
  }, 8000);

const storedTurns = async (chatId: number) =>
  (
    await h.db.raw(
      `select m.role, m.content from messages m join conversations c on c.id = m.conversation_id
       where c.chat_id = ? order by m.id`,
      [chatId],
    )
  ).map((r) => [r.role, r.content]);

describe('replies quote', () => {
  it('a reply to a week-old message carries its text, marked as a quote, into the turn and the history', async () => {
    const chat = nextChat++;
    const weekAgo = Math.floor(Date.now() / 1000) - 7 * 24 * 3600;
    // A note from a week ago (its answer long scrolled away).
    const oldNote = send(chat, 'Flight LH 402 leaves at 9:40', { date: weekAgo });
    await answersIn(chat, 1);
    send(chat, 'When do I leave?', { replyTo: oldNote.message_id });
    const request = await requestFor('When do I leave?');
    expect(request.lastUserText).toBe(
      '[Quoting my earlier message]\n> Flight LH 402 leaves at 9:40\n\nWhen do I leave?',
    );
    await answersIn(chat, 2);
    expect((await storedTurns(chat)).at(-2)).toEqual(['user', request.lastUserText]);
  });

  it('only the part selected with a Telegram quote goes in, marked as part of the answer', async () => {
    const chat = nextChat++;
    h.gemini.respond = (req) =>
      req.lastUserText === 'Name three rivers' ? { text: 'Nile, Danube and Amazon.' } : { text: 'ok' };
    send(chat, 'Name three rivers');
    await answersIn(chat, 1);
    const answer = botMessage(chat, 'Nile, Danube and Amazon.');
    send(chat, 'How long is it?', { replyTo: answer, quote: 'Danube' });
    const request = await requestFor('How long is it?');
    expect(request.lastUserText).toBe('[Quoted part of your earlier answer]\n> Danube\n\nHow long is it?');
  });

  it('a reply to the answer just given adds no quote: the model has it in the history', async () => {
    const chat = nextChat++;
    send(chat, 'Say a colour');
    await answersIn(chat, 1);
    send(chat, 'And another?', { replyTo: botMessage(chat, 're: Say a colour') });
    const request = await requestFor('And another?');
    expect(request.lastUserText).toBe('And another?');
    expect(JSON.stringify(request.contents)).toContain('re: Say a colour');
  });

  it('a reply to an answer of an earlier conversation continues that conversation', async () => {
    const chat = nextChat++;
    h.gemini.respond = (req) => ({ text: `noted: ${req.lastUserText.split('\n').at(-1)}` });
    send(chat, 'My name is Ann');
    await answersIn(chat, 1);
    const first = botMessage(chat, 'noted: My name is Ann');
    h.telegram.pushUpdate(h.telegram.updates.command({ chatId: chat, command: 'new' }));
    await answersIn(chat, 2);
    send(chat, 'I like tea');
    await answersIn(chat, 3);
    send(chat, 'What is my name?', { replyTo: first });
    const request = await requestFor('What is my name?');
    const contents = JSON.stringify(request.contents);
    expect(contents).toContain('My name is Ann');
    expect(contents).not.toContain('I like tea');
    // The answer replied to is the newest of its conversation: no quote needed.
    expect(request.lastUserText).toBe('What is my name?');
    await answersIn(chat, 4);
    // That conversation is the open one again: the next question follows it too.
    send(chat, 'And what do I like?');
    const next = await requestFor('And what do I like?');
    expect(JSON.stringify(next.contents)).toContain('What is my name?');
    expect(JSON.stringify(next.contents)).not.toContain('I like tea');
  });

  it('in a group, a mention replying to someone else quotes them by name', async () => {
    const chat = -17_000_001;
    const bob = h.telegram.pushUpdate(
      h.telegram.updates.text({
        chatId: chat,
        chatType: 'supergroup',
        userId: 9001,
        firstName: 'Bob',
        text: 'Pizza at 8?',
      }),
    ).message!;
    await waitFor(
      () => h.telegram.messages(chat).length > 0 || Promise.reject(new Error('not stored')),
      2000,
    );
    const mention = `@${h.telegram.botInfo.username}`;
    send(chat, `${mention} is that a good time?`, {
      entities: [{ type: 'mention', offset: 0, length: mention.length }],
      chatType: 'supergroup',
      userId: 9002,
      replyTo: bob.message_id,
    });
    const request = await requestFor('is that a good time?');
    expect(request.lastUserText).toBe('[Quoting a message from Bob]\n> Pizza at 8?\n\nis that a good time?');
    await answersIn(chat, 1);
  });
});
