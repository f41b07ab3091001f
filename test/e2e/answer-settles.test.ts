/**
 * An answered update is done in the write that records its answer's delivery: what its handler
 * does afterwards (here a slow spoken copy) is never replayed anyway, so it does not wait for that.
 * Also what a replay of such an update does: nothing (the answer counts as delivered).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { chatter } from '../helpers/chat-ui.js';
import { speechPcm, userWithSettings } from '../helpers/media.js';
import { waitFor } from '../helpers/ports.js';

const TTS = 'gemini-2.5-flash-preview-tts';
let h: Harness;
let nextChat = 93_000;

beforeAll(async () => {
  h = await startHarness({ env: { BOTCTL_RATE_LIMIT: '{"burst":100,"perMinute":1000}' } });
  h.gemini.respond = (req) =>
    req.model === TTS
      ? { audio: speechPcm(1), firstTokenDelayMs: 1500 }
      : { text: `Echo: ${req.lastUserText}` };
});
afterAll(async () => h?.close());

const statusOf = async (updateId: number) =>
  (await h.db.raw('select status from update_inbox where update_id = ?', [updateId]))[0]?.status;

describe('an answered update', () => {
  it('is done once its answer is delivered, before the spoken copy that follows', async () => {
    const chat = nextChat++;
    await userWithSettings(h, chat, { voiceReplies: 'always' });
    const update = h.telegram.pushUpdate(h.telegram.updates.text({ chatId: chat, text: 'say it twice' }));
    const voices = () => h.telegram.callsOf('sendVoice').filter((c) => c.params.chat_id === chat);
    await waitFor(async () => {
      if ((await statusOf(update.update_id)) !== 'done') throw new Error('not done yet');
    });
    expect(h.telegram.sentMessages(chat)).toEqual(['Echo: say it twice']);
    expect(voices(), 'the spoken copy is still being made').toHaveLength(0);
    await waitFor(() => {
      if (voices().length === 0) throw new Error('no voice yet');
    }, 8000);
    expect(await statusOf(update.update_id)).toBe('done');
  });

  it('sends nothing more when it is replayed after a restart', async () => {
    const c = chatter(h, nextChat++);
    const update = await c.say('only once');
    expect(c.texts()).toEqual(['Echo: only once']);
    await h.db.raw(`update update_inbox set status = 'pending', done_at = null where update_id = ?`, [
      update.update_id,
    ]);
    await h.restart();
    await waitFor(async () => {
      if ((await statusOf(update.update_id)) !== 'done') throw new Error('not replayed yet');
    });
    expect(c.texts()).toEqual(['Echo: only once']);
  });
});
