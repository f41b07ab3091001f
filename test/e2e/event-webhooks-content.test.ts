/**
 * The operator's opt-in for message content in events (eventContent): with it, message.answered
 * carries the question and the answer text; without it (the default, event-webhooks.test.ts)
 * ids and counts only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { startEventReceiver, type EventReceiver } from '../helpers/event-receiver.js';
import { waitFor } from '../helpers/ports.js';

const SECRET = 'content-secret-0123456789abcdef';
const USER = 5151;

let h: Harness;
let receiver: EventReceiver;

beforeAll(async () => {
  receiver = await startEventReceiver(SECRET);
  h = await startHarness({
    env: {
      BOTCTL_EVENT_WEBHOOKS: JSON.stringify([
        { name: 'moderation', url: receiver.url, secret: SECRET, events: ['message.answered'] },
      ]),
      BOTCTL_EVENT_CONTENT: 'true',
    },
  });
  h.gemini.respond = (request) => ({ text: `Answer: ${request.lastUserText}` });
});
afterAll(async () => {
  await h?.close();
  await receiver?.close();
});

describe('event webhooks with eventContent on', () => {
  it('put the question and the answer text into message.answered', async () => {
    h.telegram.pushUpdate(h.telegram.updates.text({ chatId: USER, userId: USER, text: 'is it raining?' }));
    await waitFor(() => expect(receiver.accepted()).toHaveLength(1), 15_000, 50);
    const [answered] = receiver.accepted();
    expect(answered).toMatchObject({
      type: 'message.answered',
      signatureValid: true,
      data: { telegram_id: USER, question: 'is it raining?', answer: 'Answer: is it raining?' },
    });
  });
});
