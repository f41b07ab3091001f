/**
 * Long-term memory through the real daemon: a long chat is summarised instead of dropped,
 * context survives a restart, and a model that hangs is timed out and retried.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { replyTo } from '../helpers/gemini-replies.js';
import { waitFor } from '../helpers/ports.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    dialect: 'postgres',
    env: { BOTCTL_CONTEXT_TOKENS: '500', BOTCTL_RATE_LIMIT: '{"burst":100,"perMinute":1000}' },
  });
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.gemini.respond = undefined;
});

const say = (chatId: number, text: string) =>
  h.telegram.pushUpdate(h.telegram.updates.text({ chatId, text }));

describe('memory', () => {
  it('summarises older turns when the history outgrows the budget, and sends the summary along', async () => {
    const chat = 40_001;
    h.gemini.respond = (req) =>
      req.method === 'generateContent'
        ? { text: 'SUMMARY: the user listed facts about cats.' }
        : { text: `noted (${req.lastUserText.slice(0, 12)})` };
    for (let i = 1; i <= 6; i++) {
      say(chat, `fact ${i}: ${'cats are wonderful creatures '.repeat(12)}`);
      await waitFor(() => expect(h.telegram.sentMessages(chat)).toHaveLength(i));
    }
    const summaryCalls = h.gemini.requests.filter((r) => r.method === 'generateContent');
    expect(summaryCalls.length).toBeGreaterThan(0);
    expect(JSON.stringify(summaryCalls[0]!.contents)).toContain('fact 1');
    const last = h.gemini.requests.filter((r) => r.method === 'streamGenerateContent').at(-1)!;
    expect(JSON.stringify(last.systemInstruction)).toContain('SUMMARY: the user listed facts about cats.');
    expect(JSON.stringify(last.contents)).not.toContain('fact 1:');
    const user = await h.db.repos.users.getByTelegramId(chat);
    const [conversation] = await h.db.repos.conversations.listByUser(user!.id);
    expect(conversation!.summary).toBe('SUMMARY: the user listed facts about cats.');
    expect(await h.db.repos.conversations.countMessages(conversation!.id)).toBe(12);
  });

  it('keeps the conversation across a daemon restart', async () => {
    const chat = 40_002;
    say(chat, 'my favourite number is 42');
    await waitFor(() => expect(h.telegram.sentMessages(chat)).toHaveLength(1));
    await h.restart();
    say(chat, 'what is my favourite number?');
    await waitFor(() => expect(h.telegram.sentMessages(chat)).toHaveLength(2), 10_000);
    const last = h.gemini.requests.at(-1)!;
    expect(JSON.stringify(last.contents)).toContain('my favourite number is 42');
  });

  it('prunes answered updates older than a week when it starts', async () => {
    const old = new Date(Date.now() - 8 * 24 * 60 * 60_000);
    await h.db.repos.updates.record({ updateId: 990_001, chatKey: '1', fromId: 1, payload: '{}' }, old);
    await h.db.repos.updates.markDone(990_001, old);
    await h.db.repos.updates.record(
      { updateId: 990_002, chatKey: '1', fromId: 1, payload: '{}' },
      new Date(),
    );
    await h.db.repos.updates.markDone(990_002, new Date());
    await h.restart();
    await waitFor(async () => {
      const rows = await h.db.raw(
        'select update_id from update_inbox where update_id >= 990000 order by update_id',
      );
      expect(rows.map((r) => Number(r.update_id))).toEqual([990_002]);
    });
  });

  it('times out a hanging model call and answers on the retry', async () => {
    const chat = 40_003;
    replyTo(h.gemini, 'are you stuck?', { hang: true });
    say(chat, 'are you stuck?');
    await waitFor(() => expect(h.telegram.sentMessages(chat)).toEqual(['Echo: are you stuck?']), 15_000);
    const attempts = h.gemini.requests.filter((r) => r.lastUserText === 'are you stuck?');
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(2900);
  });
});
