/**
 * Chatter journeys through the real daemon (long polling, SQLite) against the fake
 * Telegram and Gemini servers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { replyTo } from '../helpers/gemini-replies.js';
import { waitFor } from '../helpers/ports.js';

let h: Harness;
let nextChat = 5000;

beforeAll(async () => {
  h = await startHarness({ env: { BOTCTL_RATE_LIMIT: '{"burst":50,"perMinute":600}' } });
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.gemini.respond = undefined;
});

const send = (chatId: number, text: string, extra: Record<string, unknown> = {}) =>
  h.telegram.pushUpdate(h.telegram.updates.text({ chatId, text, ...extra }));

async function answersIn(chatId: number, count: number, timeoutMs = 8000): Promise<string[]> {
  return waitFor(() => {
    const texts = h.telegram.sentMessages(chatId);
    if (texts.length < count)
      throw new Error(`chat ${chatId}: ${texts.length}/${count} answers: ${JSON.stringify(texts)}`);
    return texts;
  }, timeoutMs);
}

describe('chat with memory', () => {
  it('shows typing while a slow answer is coming, never for one that is there at once', async () => {
    const slow = nextChat++;
    const quick = nextChat++;
    h.gemini.respond = (req) =>
      req.lastUserText === 'slow' ? { text: 'thought it over', firstTokenDelayMs: 800 } : { text: 'at once' };
    const asked = Date.now();
    send(slow, 'slow');
    send(quick, 'quick');
    expect(await answersIn(slow, 1)).toEqual(['thought it over']);
    expect(await answersIn(quick, 1)).toEqual(['at once']);
    const typingIn = (chat: number) =>
      h.telegram.callsOf('sendChatAction').filter((c) => c.params.chat_id === chat);
    const answerAt = h.telegram.callsOf('sendMessage').find((c) => c.params.chat_id === slow)!.at;
    expect(typingIn(slow).length).toBeGreaterThan(0);
    expect(typingIn(slow)[0]!.at).toBeLessThan(answerAt);
    expect(typingIn(slow)[0]!.params.action).toBe('typing');
    // Never at once (a loaded machine may take longer than the delay even for a quick answer).
    for (const call of [...typingIn(slow), ...typingIn(quick)])
      expect(call.at - asked).toBeGreaterThanOrEqual(245);
  });

  it('stores a question together with its answer, in one write, counted once', async () => {
    const chat = nextChat++;
    const rowsOf = async () =>
      h.db.raw(
        `select m.id, m.role, m.content from messages m join conversations c on c.id = m.conversation_id
         where c.chat_id = ? order by m.id`,
        [chat],
      );
    h.gemini.respond = (req) => ({ text: `re: ${req.lastUserText}`, firstTokenDelayMs: 400 });
    send(chat, 'first question');
    await h.gemini.waitForRequest((r) => r.lastUserText === 'first question');
    // While the model thinks, nothing of the turn is written: a crash now leaves the update
    // pending in the inbox, and its replay stores the whole turn once.
    expect(await rowsOf()).toEqual([]);
    expect(await answersIn(chat, 1)).toEqual(['re: first question']);
    const rows = await rowsOf();
    expect(rows.map((r) => [r.role, r.content])).toEqual([
      ['user', 'first question'],
      ['model', 're: first question'],
    ]);
    expect(Number(rows[1]!.id)).toBe(Number(rows[0]!.id) + 1);
    const [usage] = await h.db.raw(
      'select d.messages from daily_usage d join users u on u.id = d.user_id where u.telegram_id = ?',
      [chat],
    );
    expect(Number(usage?.messages)).toBe(1);
  });

  it('answers a private message, streaming drafts first, and remembers earlier turns', async () => {
    const chat = nextChat++;
    h.gemini.respond = (req) => ({
      chunks: ['Hello ', 'there, ', `you said: ${req.lastUserText}`],
      chunkDelayMs: 60,
    });
    send(chat, 'My name is Ann');
    const [first] = await answersIn(chat, 1);
    expect(first).toBe('Hello there, you said: My name is Ann');
    expect(h.telegram.drafts(chat).length).toBeGreaterThan(0);

    send(chat, 'What is my name?');
    await answersIn(chat, 2);
    // The question's own request: the first answer's title call may come before or after it.
    const last = h.gemini.requests.findLast((r) => r.lastUserText === 'What is my name?')!;
    const texts = JSON.stringify(last.contents);
    expect(texts).toContain('My name is Ann');
    expect(texts).toContain('Hello there, you said: My name is Ann');
    expect(texts).toContain('What is my name?');
    expect(JSON.stringify(last.systemInstruction)).toMatch(/Current date and time for the user/);
  });

  it('answers three quick messages in order, each with the previous ones in context', async () => {
    const chat = nextChat++;
    h.gemini.respond = (req) => ({ text: `answer to ${req.lastUserText}`, firstTokenDelayMs: 120 });
    send(chat, 'one');
    send(chat, 'two');
    send(chat, 'three');
    const answers = await answersIn(chat, 3);
    expect(answers).toEqual(['answer to one', 'answer to two', 'answer to three']);
    const forChat = h.gemini.requests.filter((r) => JSON.stringify(r.contents).includes('one'));
    const third = forChat.find((r) => r.lastUserText === 'three')!;
    expect(JSON.stringify(third.contents)).toMatch(
      /one[\s\S]*answer to one[\s\S]*two[\s\S]*answer to two[\s\S]*three/,
    );
  });

  it('splits a long answer into well-formed messages of at most 4096 characters', async () => {
    const chat = nextChat++;
    const paragraph = `**Bold start** ${'word '.repeat(180)}\n\n`;
    h.gemini.respond = () => ({ text: paragraph.repeat(12) });
    send(chat, 'write a lot');
    const answers = await waitFor(() => {
      const texts = h.telegram.sentMessages(chat);
      if (
        texts.join('').replace(/\s+/g, '').length <
        paragraph.replace(/\*\*/g, '').replace(/\s+/g, '').length * 12
      ) {
        throw new Error('not all parts yet');
      }
      return texts;
    });
    expect(answers.length).toBeGreaterThan(1);
    for (const text of answers) expect(text.length).toBeLessThanOrEqual(4096);
    const sends = h.telegram.callsOf('sendMessage').filter((c) => c.params.chat_id === chat);
    expect(sends.every((c) => c.response?.ok)).toBe(true);
  });

  it('delivers unbalanced Markdown without a failed send', async () => {
    const chat = nextChat++;
    h.gemini.respond = () => ({ text: 'Use **bold and `code with <tags> & stuff\n```js\nconst x = 1 < 2;' });
    send(chat, 'markdown please');
    const [answer] = await answersIn(chat, 1);
    expect(answer).toContain('const x = 1 < 2;');
    expect(answer).toContain('<tags>');
    const sends = h.telegram.callsOf('sendMessage').filter((c) => c.params.chat_id === chat);
    expect(sends.every((c) => c.response?.ok)).toBe(true);
  });

  it('/new starts a fresh conversation and keeps the old one', async () => {
    const chat = nextChat++;
    send(chat, 'remember: blue');
    await answersIn(chat, 1);
    h.telegram.pushUpdate(h.telegram.updates.command({ chatId: chat, command: 'new' }));
    await answersIn(chat, 2);
    send(chat, 'what colour?');
    await answersIn(chat, 3);
    expect(JSON.stringify(h.gemini.requests.at(-1)!.contents)).not.toContain('remember: blue');
    const user = await h.db.repos.users.getByTelegramId(chat);
    const conversations = await h.db.repos.conversations.listByUser(user!.id);
    expect(conversations).toHaveLength(2);
    expect(conversations.filter((c) => c.endedAt !== null)).toHaveLength(1);
  });

  it('/start and /help answer in the user language', async () => {
    const chat = nextChat++;
    h.telegram.pushUpdate(
      h.telegram.updates.command({ chatId: chat, command: 'start', languageCode: 'ru', firstName: 'Иван' }),
    );
    h.telegram.pushUpdate(h.telegram.updates.command({ chatId: chat, command: 'help', languageCode: 'ru' }));
    const [welcome, help] = await answersIn(chat, 2);
    expect(welcome).toContain('Привет, Иван');
    expect(help).toContain('Что я умею');
  });

  it("decides a new user's language once, from Telegram's language_code: pt-BR answers in Portuguese under the English interface", async () => {
    const chat = nextChat++;
    h.telegram.pushUpdate(
      h.telegram.updates.command({ chatId: chat, command: 'start', languageCode: 'pt-BR', firstName: 'Ana' }),
    );
    const [welcome] = await answersIn(chat, 1);
    expect(welcome).toContain('Hi, Ana!');
    expect((await h.db.repos.users.getByTelegramId(chat))?.language).toBe('pt');
    send(chat, 'olá', { languageCode: 'pt-BR' });
    await answersIn(chat, 2);
    const request = h.gemini.requests.find((r) => r.lastUserText === 'olá');
    expect(JSON.stringify(request?.systemInstruction)).toContain('Answer in Portuguese');
  });
});

describe('Gemini failures', () => {
  it('retries a 429 honouring its retry delay and then answers', async () => {
    const chat = nextChat++;
    replyTo(h.gemini, 'are you there?', { error: { status: 429, retryDelaySeconds: 1 } });
    send(chat, 'are you there?');
    const [answer] = await answersIn(chat, 1);
    expect(answer).toContain('are you there?');
    const attempts = h.gemini.requests.filter((r) => r.lastUserText === 'are you there?');
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('a 429 asking for a long wait: says at once that the model is busy, keeps the message for /retry', async () => {
    const chat = nextChat++;
    // Gemini's usual per-minute quota answer; waiting it out would leave the user silent for 30 s.
    h.gemini.respond = () => ({ error: { status: 429, retryDelaySeconds: 15 } });
    send(chat, 'busy question');
    const [notice] = await answersIn(chat, 1, 8_000);
    expect(notice).toMatch(/busy right now/);
    expect(h.gemini.requests.filter((r) => r.lastUserText === 'busy question')).toHaveLength(1);
    h.gemini.respond = (req) => ({ text: `now: ${req.lastUserText}` });
    h.telegram.pushUpdate(h.telegram.updates.command({ chatId: chat, command: 'retry' }));
    const answers = await answersIn(chat, 2, 15_000);
    expect(answers[1]).toBe('now: busy question');
  });

  it('explains a safety block and an empty answer instead of staying silent', async () => {
    const chat = nextChat++;
    replyTo(h.gemini, 'something bad', { blockReason: 'SAFETY' });
    replyTo(h.gemini, 'something odd', { empty: true });
    send(chat, 'something bad');
    send(chat, 'something odd');
    const [blocked, empty] = await answersIn(chat, 2);
    expect(blocked).toMatch(/safety/i);
    expect(empty).toMatch(/empty answer/i);
  });
});

describe('Gemini down, then back (a daemon of its own)', () => {
  // Its own daemon and fake Gemini: the circuit breaker counts the last minute's Gemini failures in
  // the process, and on the file's daemon the title calls queued by earlier tests' answers failed
  // against this test's 503s too, opened the circuit and made /retry fail, depending on order.
  let own: Harness;
  beforeAll(async () => {
    own = await startHarness();
  });
  afterAll(async () => own?.close());

  it('keeps the message when Gemini is down, says so, counts the failure once, and /retry answers it later', async () => {
    const chat = 5900;
    let down = true;
    own.gemini.respond = (req) =>
      down ? { error: { status: 503 } } : { text: `finally: ${req.lastUserText}` };
    own.telegram.pushUpdate(own.telegram.updates.text({ chatId: chat, text: 'important question' }));
    const notice = await waitFor(() => {
      const [text] = own.telegram.sentMessages(chat);
      if (text === undefined) throw new Error('no notice yet');
      return text;
    }, 15_000);
    expect(notice).toMatch(/temporarily unavailable/);
    // Three attempts (the retry policy's), below the five failures that open the circuit.
    expect(own.gemini.requests.filter((r) => r.lastUserText === 'important question')).toHaveLength(3);
    // One failed request, counted once for today in the stats' error series (not once per attempt).
    const today = new Date().toISOString().slice(0, 10);
    await waitFor(async () =>
      expect(await own.db.raw('select day, code, count from daily_errors')).toEqual([
        { day: today, code: 'GEMINI_UNAVAILABLE', count: 1 },
      ]),
    );
    down = false;
    own.telegram.pushUpdate(own.telegram.updates.command({ chatId: chat, command: 'retry' }));
    const answers = await waitFor(() => {
      const texts = own.telegram.sentMessages(chat);
      if (texts.length < 2) throw new Error(`${texts.length}/2 answers`);
      return texts;
    }, 15_000);
    expect(answers[1]).toBe('finally: important question');
  });
});

describe('groups and topics', () => {
  it('stays quiet unless mentioned or replied to, and answers in the same topic', async () => {
    const chat = -100_000 - nextChat++;
    const bot = h.telegram.botInfo.username;
    send(chat, 'just chatting among humans', { chatType: 'supergroup', userId: 42 });
    send(chat, `@${bot} what is 2+2?`, {
      chatType: 'supergroup',
      userId: 42,
      threadId: 7,
      entities: [{ type: 'mention', offset: 0, length: bot.length + 1 }],
    });
    const [answer] = await answersIn(chat, 1);
    expect(answer).toContain('what is 2+2?');
    const reply = h.telegram.callsOf('sendMessage').find((c) => c.params.chat_id === chat)!;
    expect(reply.params.message_thread_id).toBe(7);
    expect(h.gemini.requests.some((r) => r.lastUserText === 'just chatting among humans')).toBe(false);
  });
});
