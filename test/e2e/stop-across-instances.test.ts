/**
 * /stop with several instances (webhooks on one Postgres and Redis): the /stop may reach another
 * instance than the one writing the answer. It neither waits behind that answer (the chat's order
 * across instances lets it pass) nor misses it: the instance that got it asks the others over
 * Redis, and the one writing the answer cancels it and says so.
 */
import { afterEach, expect, it } from 'vitest';
import { startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import type { GeminiRequest } from '../fakes/gemini.js';
import { startInstanceHarness, type Harness } from '../helpers/bot-harness.js';
import { chatter, handled } from '../helpers/chat-ui.js';
import { freePort, waitFor } from '../helpers/ports.js';

let h: Harness | undefined;
let second: Daemon | undefined;
let release = () => undefined as void;
afterEach(async () => {
  release();
  await second?.stop('test end');
  await h?.close();
  second = undefined;
  h = undefined;
});

it(
  'stops the answer another instance is writing, and a /stop with nothing running says so',
  { timeout: 60_000 },
  async () => {
    h = await startInstanceHarness();
    const harness = h;
    const held = new Promise<void>((resolve) => (release = resolve));
    harness.gemini.respond = async (request: GeminiRequest) => {
      if (request.lastUserText === 'slow question') await held;
      return { text: `echo: ${request.lastUserText}` };
    };
    const c = chatter(harness, 98_001);
    // The first instance takes the question and writes its answer (held by the model).
    const slow = harness.telegram.pushUpdate(
      harness.telegram.updates.text({ chatId: c.chatId, text: 'slow question' }),
    );
    await waitFor(() =>
      expect(harness.gemini.requests.some((r) => r.lastUserText === 'slow question')).toBe(true),
    );

    // A second instance starts; Telegram now delivers to its webhook, so the /stop reaches it.
    const port = await freePort();
    second = await startDaemon({
      config: { ...harness.config, httpPort: port, webhookUrl: `http://127.0.0.1:${port}/tg/webhook` },
      logger: harness.logs.logger,
      timing: { draftIntervalMs: 40, editIntervalMs: 80, typingDelayMs: 250, typingIntervalMs: 2000 },
      shutdownTimeoutMs: 5000,
    });
    await c.command('stop');
    await handled(harness, slow.update_id);
    expect(c.texts()).toEqual(['Stopped.']);
    expect(
      harness.logs
        .lines()
        .some((line) => JSON.stringify(line).includes("stopped an answer at another instance's /stop")),
    ).toBe(true);

    // Nothing runs anywhere now: the other instances are asked and none answers.
    await c.command('stop');
    expect(c.lastText()).toBe('There is no answer being written right now.');
    release();
    await c.say('and now?');
    expect(c.lastText()).toBe('echo: and now?');
  },
);
