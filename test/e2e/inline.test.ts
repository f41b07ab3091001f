/**
 * Inline mode and follow-up suggestions through the real daemon and the fakes: answers as
 * articles, cached per normalised question, debounced while the user types, counted against
 * the quota; suggestion buttons that ask in the conversation and refuse forged data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { createCallbackSigner } from '../../src/bot/callback-data.js';
import { startHarness, TEST_TOKEN, type Harness } from '../helpers/bot-harness.js';
import { buttonsOf, chatter, handled } from '../helpers/chat-ui.js';
import { replyTo } from '../helpers/gemini-replies.js';
import { storedMessages, today, userWithSettings } from '../helpers/media.js';

let h: Harness;
let nextUser = 61_000;

beforeAll(async () => {
  h = await startHarness({ env: { BOTCTL_RATE_LIMIT: '{"burst":100,"perMinute":1000}' } });
});
afterAll(async () => h?.close());

async function inline(userId: number, query: string): Promise<Update> {
  const update = h.telegram.pushUpdate(h.telegram.updates.inline({ userId, query }));
  await handled(h, update.update_id);
  return update;
}
const answerTo = (update: Update) =>
  h.telegram.callsOf('answerInlineQuery').find((c) => c.params.inline_query_id === update.inline_query!.id);
const asked = (text: string) => h.gemini.requests.filter((r) => r.lastUserText === text);

describe('inline mode', () => {
  it('shows a hint for an empty or very short query without asking Gemini', async () => {
    const user = nextUser++;
    const before = h.gemini.requests.length;
    for (const query of ['', 'ab']) {
      const answer = answerTo(await inline(user, query))!;
      expect(answer.params).toMatchObject({ results: [], button: { text: 'Type a question after my name' } });
    }
    expect(h.gemini.requests.length).toBe(before);
  });

  it('answers with an article, counts it, and serves the same question again from the cache', async () => {
    const user = nextUser++;
    h.gemini.queue({ text: 'A systems programming language.' });
    const first = answerTo(await inline(user, 'What is Rust?'))!;
    expect(first.params.cache_time).toBe(300);
    expect(first.params.results).toEqual([
      expect.objectContaining({
        type: 'article',
        title: 'What is Rust?',
        input_message_content: { message_text: '❓ What is Rust?\n\nA systems programming language.' },
      }),
    ]);
    const request = asked('What is Rust?')[0]!;
    expect(JSON.stringify(request.systemInstruction)).toMatch(/at most three short sentences/);
    const stored = await h.db.repos.users.getByTelegramId(user);
    expect(await h.db.repos.usage.get(stored!.id, today())).toMatchObject({ messages: 1 });

    const again = answerTo(await inline(nextUser++, '  what is   rust '))!;
    expect(JSON.stringify(again.params.results)).toContain('A systems programming language.');
    expect(asked('What is Rust?')).toHaveLength(1);
    expect(asked('what is   rust')).toHaveLength(0);
  });

  it('answers only the query that stood still while the user typed', async () => {
    const user = nextUser++;
    const typing = h.telegram.pushUpdate(
      h.telegram.updates.inline({ userId: user, query: 'capital of Fra' }),
    );
    const done = h.telegram.pushUpdate(
      h.telegram.updates.inline({ userId: user, query: 'capital of France' }),
    );
    await handled(h, typing.update_id);
    await handled(h, done.update_id);
    expect(answerTo(typing)).toBeUndefined();
    expect(answerTo(done)?.response?.ok).toBe(true);
    expect(asked('capital of Fra')).toHaveLength(0);
    expect(asked('capital of France')).toHaveLength(1);
  });

  it('gives the question back when the model call fails: only an answer counts', async () => {
    const user = nextUser++;
    const stored = await userWithSettings(h, user, {});
    // 400: not retried, so the call fails at once.
    replyTo(h.gemini, 'a question that fails', { error: { status: 400, message: 'bad request' } });
    await inline(user, 'a question that fails');
    expect(asked('a question that fails')).toHaveLength(1);
    expect((await h.db.repos.usage.get(stored.id, today())).messages).toBe(0);
  });

  it('shows a limit notice instead of an answer when the daily quota is used up', async () => {
    const user = nextUser++;
    const stored = await userWithSettings(h, user, {});
    await h.db.repos.usage.increment(stored.id, today(), { messages: 100 });
    const answer = answerTo(await inline(user, 'one more question'))!;
    expect(answer.params).toMatchObject({ results: [], button: { text: "Today's limit is used up" } });
    expect(asked('one more question')).toHaveLength(0);
  });
});

describe('follow-up suggestions', () => {
  const reply =
    'Paris is the capital.\n<suggestions>\nHow big is Paris?\n- When was it founded?\n</suggestions>';

  it('puts suggestions under the answer as buttons, hides the tags, and asks one when pressed', async () => {
    const id = nextUser++;
    await userWithSettings(h, id, { suggestions: true });
    const c = chatter(h, id);
    replyTo(h.gemini, 'capital of France?', {
      chunks: ['Paris is the capital.\n<sugg', reply.slice('Paris is the capital.\n<sugg'.length)],
      chunkDelayMs: 80,
    });
    await c.say('capital of France?');
    expect(c.lastText()).toBe('Paris is the capital.');
    expect(h.telegram.drafts(id).every((d) => !JSON.stringify(d).includes('<sugg'))).toBe(true);
    expect(JSON.stringify(asked('capital of France?')[0]!.systemInstruction)).toContain('<suggestions>');
    const labels = buttonsOf(c.keyboardMessage()).map((b) => b.text);
    expect(labels).toEqual(['🔊 Listen', 'How big is Paris?', 'When was it founded?']);
    expect((await storedMessages(h, id)).at(-1)!.content).toBe('Paris is the capital.');

    const pressed = await c.press('How big is Paris?');
    expect(pressed.notice).toBeUndefined();
    expect(c.texts().slice(-2)).toEqual(['❓ How big is Paris?', 'Echo: How big is Paris?']);
    const context = JSON.stringify(asked('How big is Paris?')[0]!.contents);
    expect(context).toContain('Paris is the capital.');
    expect(context).not.toContain('<suggestions>');
  });

  it("refuses forged, expired and other people's suggestion buttons with a short notice", async () => {
    const id = nextUser++;
    const other = nextUser++;
    await userWithSettings(h, id, { suggestions: true });
    const c = chatter(h, id);
    replyTo(h.gemini, 'tell me about Paris', { text: reply });
    await c.say('tell me about Paris');
    const message = c.keyboardMessage();
    const button = buttonsOf(message).find((b) => b.text === 'How big is Paris?')!;
    const suggested = () => asked('How big is Paris?').length + asked('When was it founded?').length;
    const before = suggested();

    const [, messageId, index, mac] = button.callback_data.split(':');
    const forged = `sg:${messageId}:${Number(index) + 1}:${mac}`;
    expect((await c.callback(forged, message.messageId)).notice).toBe('This button is not valid.');
    expect((await c.callback(`sg:${messageId}:0:AAAAAAAAAA`, message.messageId)).notice).toBe(
      'This button is not valid.',
    );
    expect((await c.callback('sg:nonsense', message.messageId)).notice).toBe('This button is not valid.');
    const expired = createCallbackSigner(TEST_TOKEN).sign('sg:999999999:0');
    expect((await c.callback(expired, message.messageId)).notice).toBe(
      'This suggestion has expired: just ask it in a message.',
    );

    const stranger = chatter(h, other);
    await stranger.say('hi');
    const theirs = await stranger.callback(button.callback_data, stranger.keyboardMessage().messageId);
    expect(theirs.notice).toBe('These suggestions are for the person who asked.');
    expect(suggested()).toBe(before);
  });
});
