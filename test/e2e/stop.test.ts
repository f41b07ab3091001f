/**
 * /stop through the real daemon: it cancels the answer or the picture being made in its chat
 * (it bypasses the chat's queue to reach it), says so, and leaves nothing half-sent; the
 * user's message is kept, so /retry can still answer it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeminiRequest } from '../fakes/gemini.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { chatter, handled } from '../helpers/chat-ui.js';
import { today } from '../helpers/media.js';
import { waitFor } from '../helpers/ports.js';

const IMAGE_MODEL = 'gemini-2.5-flash-image';
let h: Harness;
let nextChat = 97_000;
/** The first request for a text starting "slow" waits here until the test lets it go. */
const waiting = new Map<string, () => void>();
const asked = new Set<string>();
const releaseAll = () => waiting.forEach((release) => release());

beforeAll(async () => {
  h = await startHarness({ env: { BOTCTL_RATE_LIMIT: '{"burst":100,"perMinute":1000}' } });
  h.gemini.respond = async (req: GeminiRequest) => {
    if (req.lastUserText.startsWith('slow') && !asked.has(req.lastUserText)) {
      asked.add(req.lastUserText);
      await new Promise<void>((resolve) => waiting.set(req.lastUserText, resolve));
      return req.model === IMAGE_MODEL ? { text: 'late picture' } : { text: 'late answer' };
    }
    return { text: `echo: ${req.lastUserText}` };
  };
});
afterAll(async () => {
  releaseAll();
  await h?.close();
});

/** Pushes a text without waiting for its answer; resolves once Gemini has been asked for it. */
async function startSlow(chatId: number, text: string, command?: string) {
  const update = h.telegram.pushUpdate(
    command
      ? h.telegram.updates.command({ chatId, command, args: text })
      : h.telegram.updates.text({ chatId, text }),
  );
  await waitFor(() => expect(h.gemini.requests.some((r) => r.lastUserText === text)).toBe(true));
  return update;
}

describe('/stop', () => {
  it('says there is nothing to stop when no answer is being written', async () => {
    const c = chatter(h, nextChat++);
    await c.command('stop');
    expect(c.lastText()).toBe('There is no answer being written right now.');
  });

  it('cancels the answer in flight, keeps the question for /retry and answers the next message', async () => {
    const c = chatter(h, nextChat++);
    const slow = await startSlow(c.chatId, 'slow question');
    await c.command('stop');
    await handled(h, slow.update_id);
    releaseAll();
    expect(c.texts()).toEqual(['Stopped.']);

    await c.command('retry');
    expect(c.lastText()).toBe('echo: slow question');
    await c.say('and now?');
    expect(c.lastText()).toBe('echo: and now?');
    expect(c.texts()).not.toContain('late answer');
  });

  it('cancels a picture being drawn: no photo is sent and no image is counted', async () => {
    const c = chatter(h, nextChat++);
    const slow = await startSlow(c.chatId, 'slow lighthouse', 'image');
    await c.command('stop');
    await handled(h, slow.update_id);
    releaseAll();
    expect(c.texts()).toEqual(['Stopped.']);
    expect(h.telegram.callsOf('sendPhoto').filter((call) => call.params.chat_id === c.chatId)).toEqual([]);
    const user = await h.db.repos.users.getByTelegramId(c.chatId);
    expect((await h.db.repos.usage.get(user!.id, today())).images).toBe(0);
  });
});
