/**
 * /history journeys in English and Russian: titles generated once from the first exchange,
 * pages of five in the user's time zone, continue, rename (the pending rename lives in
 * Redis and survives a restart), delete, and forged buttons.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatInZone } from '../../src/domain/quota.js';
import type { GeminiGenerateRequest } from '../fakes/gemini.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { buttonsOf, chatter, type Chatter } from '../helpers/chat-ui.js';
import { waitFor } from '../helpers/ports.js';

let h: Harness;
// Redis outlives test runs: a fresh range of ids keeps cached users of earlier runs away.
let nextChat = 80_000_000 + Math.floor(Math.random() * 9_000_000);

const titleFor = (req: GeminiGenerateRequest) => {
  const text = JSON.stringify(req.contents);
  if (!text.includes('Write a short title')) return undefined;
  return `About ${/User: (.*?)\\n/.exec(text)?.[1] ?? 'something'}`;
};

beforeAll(async () => {
  h = await startHarness({
    env: { BOTCTL_RATE_LIMIT: '{"burst":100,"perMinute":1000}', BOTCTL_REDIS_URL: 'redis://127.0.0.1:6379' },
  });
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.gemini.respond = (req) => ({ text: titleFor(req) ?? `answer to ${req.lastUserText}` });
});

const userOf = async (c: Chatter) => (await h.db.repos.users.getByTelegramId(c.chatId))!;
const listOf = async (c: Chatter) => h.db.repos.conversations.listByUser((await userOf(c)).id);

/** n conversations "topic 1".."topic n", oldest first, each titled by the fake model. */
async function seed(c: Chatter, n: number): Promise<void> {
  for (let i = 1; i <= n; i += 1) {
    if (i > 1) await c.command('new');
    await c.say(`topic ${i}`);
  }
  await waitFor(async () => {
    const titled = (await listOf(c)).filter((conv) => conv.title !== null);
    if (titled.length < n) throw new Error(`${titled.length}/${n} titled`);
  });
}

const L = {
  en: {
    older: 'Older »',
    newer: '« Newer',
    continue: '▶️ Continue',
    rename: '✏️ Rename',
    del: '🗑 Delete',
    yes: 'Yes, delete',
    gone: 'That conversation no longer exists.',
    stale: /no longer valid/,
    page: 'page 2',
  },
  ru: {
    older: 'Старше »',
    newer: '« Новее',
    continue: '▶️ Продолжить',
    rename: '✏️ Переименовать',
    del: '🗑 Удалить',
    yes: 'Да, удалить',
    gone: 'Этого разговора больше нет.',
    stale: /больше не действует/,
    page: 'страница 2',
  },
} as const;

describe.each(['en', 'ru'] as const)('history (%s)', (lang) => {
  const t = L[lang];

  it('titles each conversation once and lists them five a page in the user time zone', async () => {
    const c = chatter(h, nextChat++, lang);
    const before = h.gemini.requests.length;
    await c.command('timezone', 'Asia/Tokyo');
    await seed(c, 7);
    await c.say('a second question in topic 7');
    const titleCalls = h.gemini.requests
      .slice(before)
      .filter(
        (r) =>
          titleFor(r as GeminiGenerateRequest) !== undefined &&
          JSON.stringify(r.contents).includes('User: topic 7\\n'),
      );
    expect(titleCalls.map((r) => r.method)).toEqual(['generateContent']);

    await c.command('history');
    const first = c.lastText();
    const conversations = await listOf(c);
    const newest = conversations[0]!;
    expect(first).toContain(`1. About topic 7, ${formatInZone(newest.startedAt, 'Asia/Tokyo', lang)}`);
    expect(first).toContain('5. About topic 3');
    expect(first).not.toContain('topic 2');
    const labels = buttonsOf(c.keyboardMessage()).map((b) => b.text);
    expect(labels).toEqual([
      '1. About topic 7',
      '2. About topic 6',
      '3. About topic 5',
      '4. About topic 4',
      '5. About topic 3',
      t.older,
    ]);

    await c.press(t.older);
    expect(c.lastText()).toContain(t.page);
    expect(c.lastText()).toContain('7. About topic 1');
    expect(buttonsOf(c.keyboardMessage()).map((b) => b.text)).toEqual([
      '6. About topic 2',
      '7. About topic 1',
      t.newer,
    ]);
  });

  it('continues an old conversation, renames one (surviving a restart) and deletes one', async () => {
    const c = chatter(h, nextChat++, lang);
    await seed(c, 3);
    await c.command('history');
    await c.press('3. About topic 1');
    expect(c.lastText()).toMatch(/About topic 1[\s\S]*2$/);
    await c.press(t.continue);
    await c.say('where were we?');
    const asked = h.gemini.requests.filter((r) => r.lastUserText === 'where were we?').at(-1)!;
    expect(JSON.stringify(asked.contents)).toContain('topic 1');
    expect(JSON.stringify(asked.contents)).not.toContain('topic 3');
    const [conv1] = (await listOf(c)).filter((conv) => conv.title === 'About topic 1');
    expect(conv1!.endedAt).toBeNull();
    expect((await listOf(c)).filter((conv) => conv.endedAt === null)).toHaveLength(1);

    await c.command('history');
    await c.press(/About topic 2$/);
    await c.press(t.rename);
    await h.restart();
    await c.say('Holiday plans 🏖');
    expect(c.lastText()).toContain('Holiday plans 🏖');
    expect((await listOf(c)).map((conv) => conv.title)).toContain('Holiday plans 🏖');
    expect(h.gemini.requests.some((r) => r.lastUserText === 'Holiday plans 🏖')).toBe(false);

    await c.command('history');
    await c.press(/Holiday plans/);
    await c.press(t.del);
    const { notice } = await c.press(t.yes);
    expect(notice).toBeTruthy();
    expect((await listOf(c)).map((conv) => conv.title)).not.toContain('Holiday plans 🏖');
    expect(buttonsOf(c.keyboardMessage()).map((b) => b.text)).toHaveLength(2);
  });

  it('answers forged and stale history buttons with a notice', async () => {
    const owner = chatter(h, nextChat++, lang);
    const other = chatter(h, nextChat++, lang);
    await seed(owner, 1);
    await other.command('history');
    const foreign = (await listOf(owner))[0]!.id;
    const message = h.telegram
      .messages(other.chatId)
      .filter((m) => m.fromBot)
      .at(-1)!.messageId;
    expect((await other.callback(`hist:x:${foreign}:0`, message)).notice).toBe(t.gone);
    expect((await other.callback(`hist:o:${foreign}:0`, message)).notice).toBe(t.gone);
    expect((await other.callback('hist:q:1', message)).notice).toMatch(t.stale);
    expect(await listOf(owner)).toHaveLength(1);
  });
});

describe('titles', () => {
  const titleRequests = () => h.gemini.requests.filter((r) => titleFor(r as GeminiGenerateRequest));

  it('asks for a title only once the answer has reached the chat', async () => {
    const c = chatter(h, nextChat++, 'en');
    const before = titleRequests().length;
    h.telegram.setLatency(400, 'sendMessage');
    try {
      await c.say('a slow chat');
    } finally {
      h.telegram.setLatency(0, 'sendMessage');
    }
    const sent = h.telegram.callsOf('sendMessage').find((call) => call.params.chat_id === c.chatId)!;
    await waitFor(() => {
      if (titleRequests().length === before) throw new Error('no title request yet');
    });
    // Telegram took 400 ms to accept the answer: a title asked beside it would arrive before that.
    expect(titleRequests().at(-1)!.at).toBeGreaterThanOrEqual(sent.at + 400);
  });

  it('asks for the titles of many new conversations one at a time', async () => {
    const chats = [0, 1, 2].map(() => chatter(h, nextChat++, 'en'));
    const before = titleRequests().length;
    h.gemini.respond = (req) =>
      titleFor(req) ? { text: titleFor(req)!, firstTokenDelayMs: 300 } : { text: 'answered' };
    await Promise.all(chats.map((c, i) => c.say(`burst ${i}`)));
    await waitFor(() => {
      if (titleRequests().length < before + 3) throw new Error('titles still coming');
    }, 8000);
    const arrivals = titleRequests()
      .slice(before)
      .map((r) => r.at)
      .sort((a, b) => a - b);
    // Each title call starts once the one before it answered (300 ms later), not all at once.
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(290);
    expect(arrivals[2]! - arrivals[1]!).toBeGreaterThanOrEqual(290);
  });

  it('never delays or breaks the answer when the title call fails', async () => {
    const c = chatter(h, nextChat++, 'en');
    h.gemini.respond = (req) => (titleFor(req) ? { error: { status: 400 } } : { text: 'still answered' });
    await c.say('no title for me');
    expect(c.lastText()).toBe('still answered');
    await waitFor(() => {
      if (!h.logs.text().includes('conversation title not generated')) throw new Error('no warning yet');
    });
    expect((await listOf(c))[0]!.title).toBeNull();
    await c.command('history');
    expect(c.lastText()).toContain('1. Untitled');
  });
});
