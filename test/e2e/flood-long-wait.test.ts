/**
 * A Telegram flood wait longer than a handler sits out (120 s). The fake Telegram answers the
 * answer's sendMessage with 429 "retry after 150" and refuses every call to a chat for those
 * 150 s, as Telegram does. The answer is kept, not apologised for: held in the inbox and
 * delivered once the wait ends, once, with no second model call. Messages that arrive meanwhile,
 * from any chat, are taken in (acknowledged to Telegram) and answered after the wait, in order.
 * A restart during the wait holds the stored answer again and sends it after the wait.
 *
 * The 150 s are not sat out: the daemon's clock (its flood gate and intake) is moved on by them,
 * and the fake's flood ended at the same moment. Everything else runs with shipped defaults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { DIALECTS } from '../helpers/db.js';
import { waitFor } from '../helpers/ports.js';

const WAIT_SECONDS = 150;
const HELD = 'Telegram flood wait: answers are held in the inbox and sent when it ends';

describe.each(DIALECTS)('a Telegram flood wait over 120 s on %s', { timeout: 90_000 }, (dialect) => {
  let h: Harness;
  let skewMs = 0;
  beforeAll(async () => {
    h = await startHarness({ dialect, daemon: { clock: () => Date.now() + skewMs } });
    h.gemini.respond = (request) => ({ text: `Answer to ${request.lastUserText}` });
  });
  afterAll(async () => h?.close());

  const ask = (chatId: number, text: string) =>
    h.telegram.pushUpdate(h.telegram.updates.text({ chatId, text }));
  /** The wait is over: Telegram lifts it, and the daemon's clock says 150 s have passed. */
  const waitEnds = () => {
    h.telegram.endFlood();
    skewMs += WAIT_SECONDS * 1000;
  };
  const pending = async () => (await h.db.repos.updates.pending(100)).map((u) => u.updateId);
  const heldWarnings = () => h.logs.lines().filter((line) => line.msg === HELD);
  const modelCalls = (question: string) =>
    h.gemini.requests.filter((request) => request.lastUserText === question).length;
  const tooMany = () =>
    h.telegram.calls.filter((call) => call.response?.ok === false && call.response.error_code === 429);
  /**
   * The sends Telegram refused, and the typing actions it refused. A typing action that left while
   * the answer's send was on its way (an answer slower than the typing delay, a loaded machine)
   * meets the wait that send started: Telegram refuses it too. Nothing can prevent that one; after
   * the 429 the gate keeps every further call from Telegram, so each held answer has at most one.
   */
  const refusedSends = () => tooMany().filter((call) => call.method !== 'sendChatAction');
  const refusedTyping = (chatId: number) =>
    tooMany().filter((call) => call.method === 'sendChatAction' && call.params.chat_id === chatId);

  it('holds the answer and the messages that arrive meanwhile, and answers them all, in order, once it ends', async () => {
    const [ann, bob] = [4601, 4602];
    h.telegram.failNext('sendMessage', { errorCode: 429, retryAfter: WAIT_SECONDS, flood: true });
    const first = ask(ann, 'one');
    await waitFor(() => expect(heldWarnings(), 'the answer is held, not failed').toHaveLength(1), 20_000);
    expect(heldWarnings()[0]).toMatchObject({ level: 40, waitSeconds: WAIT_SECONDS });
    expect(JSON.stringify(heldWarnings())).not.toContain(h.telegram.token.split(':')[1]);

    // Intake goes on during the wait: stored and acknowledged to Telegram, to be answered after it.
    const later = [ask(ann, 'two'), ask(bob, 'three')];
    await waitFor(async () => {
      expect(await pending()).toEqual([first, ...later].map((u) => u.update_id));
      expect(h.telegram.pendingUpdates).toEqual([]);
    }, 10_000);
    expect(h.telegram.sentMessages(ann), 'no apology').toEqual([]);
    expect(modelCalls('two') + modelCalls('three'), 'what waits in line runs no handler').toBe(0);

    waitEnds();
    await waitFor(() => {
      expect(h.telegram.sentMessages(ann)).toEqual(['Answer to one', 'Answer to two']);
      expect(h.telegram.sentMessages(bob)).toEqual(['Answer to three']);
    }, 20_000);
    for (const question of ['one', 'two', 'three']) expect(modelCalls(question), question).toBe(1);
    // Telegram refused one send: the daemon sent nothing more into the wait.
    expect(refusedSends().map((call) => `${call.method} ${call.params.chat_id}`)).toEqual([
      `sendMessage ${ann}`,
    ]);
    expect(tooMany().length - refusedSends().length).toBe(refusedTyping(ann).length);
    expect(refusedTyping(ann).length).toBeLessThanOrEqual(1);
    await waitFor(async () => expect(await pending()).toEqual([]));
    expect(heldWarnings()).toHaveLength(1);
    const metrics = await (await fetch(`http://127.0.0.1:${h.config.httpPort}/metrics`)).text();
    expect(metrics).toMatch(/^botctl_updates_deferred_total 1$/m);
  });

  it('a restart during the wait holds the stored answer again, and sends it after the wait without asking the model again', async () => {
    const cat = 4603;
    const refusedBefore = refusedSends().length;
    h.telegram.failNext('sendMessage', { errorCode: 429, retryAfter: WAIT_SECONDS, flood: true });
    const update = ask(cat, 'four');
    await waitFor(() => expect(heldWarnings()).toHaveLength(2), 20_000);
    expect(await pending()).toEqual([update.update_id]);

    await h.restart();
    // The next start replays the update: its stored answer meets the recorded wait and is held again.
    await waitFor(() => expect(heldWarnings()).toHaveLength(3), 20_000);
    expect(refusedSends()).toHaveLength(refusedBefore + 1);
    expect(h.telegram.sentMessages(cat)).toEqual([]);
    expect(await pending()).toEqual([update.update_id]);

    waitEnds();
    await waitFor(() => expect(h.telegram.sentMessages(cat)).toEqual(['Answer to four']), 20_000);
    expect(modelCalls('four')).toBe(1);
    await waitFor(async () => expect(await pending()).toEqual([]));
    expect(refusedSends()).toHaveLength(refusedBefore + 1);
    expect(refusedTyping(cat).length).toBeLessThanOrEqual(1);
  });
});
