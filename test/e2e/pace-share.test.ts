/**
 * Telegram's 30 messages a second is per bot token, and several instances send with one: each
 * daemon paces to its share of it, counting the instances that hold a claim on the database.
 * Here a second instance's claim is held by the test; the daemon's burst of answers then leaves at
 * 15 a second, so the two together would stay under Telegram's limit.
 */
import { afterEach, expect, it } from 'vitest';
import { createDatabaseGuard } from '../../src/adapters/db/guard.js';
import type { DatabaseHold } from '../../src/domain/ports/index.js';
import { startInstanceHarness, type Harness } from '../helpers/bot-harness.js';
import { waitFor } from '../helpers/ports.js';

let h: Harness | undefined;
let other: DatabaseHold | undefined;
afterEach(async () => {
  await h?.close();
  await other?.release();
  h = undefined;
  other = undefined;
});

it(
  'paces a burst to its share of the bot-wide 30/s while another instance runs',
  { timeout: 60_000 },
  async () => {
    h = await startInstanceHarness();
    const harness = h;
    other = await createDatabaseGuard(harness.db.url).holdInstance({
      owner: 'the-other-instance',
      polling: false,
      sharedLimits: true,
    });
    // The daemon counts instances every 5 s: wait until it has seen two (one more read at most).
    await new Promise((resolve) => setTimeout(resolve, 5_500));

    const chats = Array.from({ length: 40 }, (_, i) => 8200 + i);
    for (const chatId of chats)
      harness.telegram.pushUpdate(harness.telegram.updates.text({ chatId, text: 'hi' }));
    await waitFor(
      () => expect(harness.telegram.callsOf('sendMessage').length).toBeGreaterThanOrEqual(40),
      30_000,
    );
    const sends = harness.telegram
      .callsOf('sendMessage')
      .map((call) => call.at)
      .sort((a, b) => a - b);
    // 15 leave at once; the 16th waits for the first of them to leave the rolling second.
    expect(sends[15]! - sends[0]!).toBeGreaterThanOrEqual(900);
    expect(sends[29]! - sends[0]!).toBeGreaterThanOrEqual(1000);
  },
);
