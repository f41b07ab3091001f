/**
 * Shutdown that times out: answers still running are cancelled before the database closes
 * (none keeps running into a closed connection), left pending, and answered once on the next start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { waitFor } from '../helpers/ports.js';

let h: Harness;
let release: () => void = () => undefined;

beforeAll(async () => {
  h = await startHarness({ daemon: { shutdownTimeoutMs: 500 } });
});
afterAll(async () => {
  release();
  await h?.close();
});

describe('shutdown timeout', () => {
  it('cancels running answers before closing the database; the next start answers them once', async () => {
    const gate = new Promise<void>((resolve) => (release = resolve));
    h.gemini.respond = async (req) => {
      await gate;
      return { text: `late: ${req.lastUserText}` };
    };
    const chats = [8_201, 8_202, 8_203];
    const updates = chats.map((chatId) =>
      h.telegram.pushUpdate(h.telegram.updates.text({ chatId, text: `question ${chatId}` })),
    );
    await waitFor(() => expect(h.gemini.requests.length).toBeGreaterThanOrEqual(chats.length), 15_000);

    await h.daemon.stop('test');
    // The model answers only now; a handler still running would write to the closed database.
    release();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const text = h.logs.text();
    expect(text).not.toMatch(/database connection is not open|The database connection is not open/i);
    expect(text).toContain('shutdown timeout: unfinished answers cancelled');
    expect(chats.flatMap((chatId) => h.telegram.sentMessages(chatId))).toEqual([]);
    const pending = (await h.db.repos.updates.pending(10)).map((u) => u.updateId);
    expect(pending.sort()).toEqual(updates.map((u) => u.update_id).sort());

    h.gemini.respond = (req) => ({ text: `replayed: ${req.lastUserText}` });
    await h.restart();
    for (const chatId of chats) {
      await waitFor(
        () => expect(h.telegram.sentMessages(chatId)).toEqual([`replayed: question ${chatId}`]),
        15_000,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const chatId of chats)
      expect(h.telegram.sentMessages(chatId)).toEqual([`replayed: question ${chatId}`]);
  });
});
