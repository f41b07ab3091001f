/**
 * Operator alerts without Prometheus, end to end: the daemon against the fake Telegram and fake
 * Gemini, with an admin chat and a Slack webhook (a loopback receiver) configured. Gemini fails
 * until the circuit breaker opens: exactly one alert in the admin chat and on Slack, whatever
 * else fails meanwhile; Gemini back, one "recovered". Nothing of what users wrote is in them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, TEST_GEMINI_KEY, TEST_TOKEN, type Harness } from '../helpers/bot-harness.js';
import { waitFor } from '../helpers/ports.js';
import { startSlackReceiver, type SlackReceiver } from '../helpers/slack-receiver.js';

const ADMIN_CHAT = -100_777_000;
/**
 * The breaker stays open this long before one trial call: 30 s shipped, shortened here (the
 * setting geminiCircuitOpenMs) so the test does not wait half a minute for the recovery.
 */
const BREAKER_OPEN_MS = 5_000;

let h: Harness;
let slack: SlackReceiver;
beforeAll(async () => {
  slack = await startSlackReceiver();
  h = await startHarness({
    env: {
      BOTCTL_ALERT_CHAT_ID: String(ADMIN_CHAT),
      BOTCTL_SLACK_WEBHOOK_URL: slack.url,
      BOTCTL_GEMINI_CIRCUIT_OPEN_MS: String(BREAKER_OPEN_MS),
    },
  });
});
afterAll(async () => {
  await h?.close();
  await slack?.close();
});

const adminMessages = () => h.telegram.sentMessages(ADMIN_CHAT);

describe('operator alerts', { timeout: 120_000 }, () => {
  it('says once that Gemini is down when the circuit opens, and once that it recovered', async () => {
    h.gemini.respond = () => ({ error: { status: 503 } });
    const secretWords = 'my private question about taxes';
    for (let chat = 9101; chat <= 9104; chat++) {
      h.telegram.pushUpdate(h.telegram.updates.text({ chatId: chat, text: `${secretWords} ${chat}` }));
    }
    await waitFor(() => expect(adminMessages()).toHaveLength(1), 30_000, 100);
    const [down] = adminMessages();
    expect(down).toMatch(/^🔴 botctl on .+\nGemini keeps failing: the circuit breaker opened/);
    await waitFor(() => expect(slack.posts).toHaveLength(1), 10_000, 100);
    expect(slack.posts[0]!.text).toMatch(/botctl on .+: Gemini keeps failing/);
    expect(slack.posts[0]!.blocks?.[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(slack.posts[0]!.blocks?.[0]?.text?.text).toMatch(/^\*🔴 botctl on .+\*\nGemini keeps failing/);

    // More failing messages while it is open: no second alert.
    for (let chat = 9105; chat <= 9107; chat++) {
      h.telegram.pushUpdate(h.telegram.updates.text({ chatId: chat, text: `${secretWords} ${chat}` }));
    }
    await waitFor(() => expect(h.telegram.sentMessages(9107)).toHaveLength(1), 15_000, 100);
    expect(adminMessages()).toHaveLength(1);

    // Gemini answers again; after the open period the next message is the trial that closes it.
    h.gemini.respond = (request) => ({ text: `Echo: ${request.lastUserText}` });
    await new Promise((resolve) => setTimeout(resolve, BREAKER_OPEN_MS));
    h.telegram.pushUpdate(h.telegram.updates.text({ chatId: 9108, text: 'are you back?' }));
    await waitFor(() => expect(h.telegram.sentMessages(9108)).toEqual(['Echo: are you back?']), 15_000, 100);
    await waitFor(() => expect(adminMessages()).toHaveLength(2), 10_000, 100);
    expect(adminMessages()[1]).toMatch(/^🟢 botctl on .+\nGemini answers again/);
    await waitFor(() => expect(slack.posts).toHaveLength(2), 10_000, 100);

    const everything = JSON.stringify([adminMessages(), slack.posts]);
    for (const secret of [secretWords, TEST_TOKEN, TEST_GEMINI_KEY, slack.url]) {
      expect(everything).not.toContain(secret);
    }
  });
});
