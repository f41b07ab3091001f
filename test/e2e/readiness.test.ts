/**
 * `/readyz` tells the truth about the two ways intake can stop while the process lives on: the
 * database refuses writes (Postgres switched to read-only: updates cannot be stored, so none is
 * taken from Telegram), and polling stuck behind handlers that do not finish. Each turns the
 * probe 503 with a reason, and back to 200 once it is over, with the held message then answered.
 */
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { adminUrl } from '../helpers/db.js';
import { waitFor } from '../helpers/ports.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function readyz(harness: Harness): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${harness.config.httpPort}/readyz`);
  return { status: response.status, body: await response.text() };
}

/** Waits until /readyz is 503 and names `reason`. */
async function untilUnready(harness: Harness, reason: string, timeoutMs: number): Promise<void> {
  await waitFor(
    async () => {
      const probe = await readyz(harness);
      expect(probe.status).toBe(503);
      expect(probe.body).toContain(reason);
    },
    timeoutMs,
    250,
  );
}

describe('readiness', { timeout: 120_000 }, () => {
  it('is 503 while the database refuses to store updates, and answers the held message after', async () => {
    h = await startHarness({ dialect: 'postgres' });
    const harness = h;
    const database = new URL(harness.db.url).pathname.slice(1);
    const admin = postgres(adminUrl(), { max: 1, onnotice: () => undefined });
    // Read-only for every new session; ending the open ones makes the daemon reconnect into it.
    const setReadOnly = async (on: boolean) => {
      await admin.unsafe(
        `alter database "${database}" set default_transaction_read_only = ${on ? 'on' : 'off'}`,
      );
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${database}`;
    };
    try {
      expect((await readyz(harness)).status).toBe(200);
      await setReadOnly(true);
      harness.telegram.pushUpdate(harness.telegram.updates.text({ chatId: 5501, text: 'kept' }));
      await untilUnready(harness, 'storing updates has failed', 30_000);
      expect(harness.telegram.sentMessages(5501)).toEqual([]);

      await setReadOnly(false);
      await waitFor(() => expect(harness.telegram.sentMessages(5501)).toEqual(['Echo: kept']), 30_000);
      await waitFor(async () => expect((await readyz(harness)).status).toBe(200), 30_000, 250);
    } finally {
      await admin.unsafe(`alter database "${database}" set default_transaction_read_only = off`);
      await admin.end();
    }
  });

  it('is 503 while polling is stuck behind handlers that do not finish', async () => {
    // The stall bound and the in-flight limit are the settings under test, made small here.
    h = await startHarness({ daemon: { pollStallMs: 3_000, maxInFlight: 1 } });
    const harness = h;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    harness.gemini.respond = async (request) => (await held, `Echo: ${request.lastUserText}`);
    expect((await readyz(harness)).status).toBe(200);

    harness.telegram.pushUpdate(harness.telegram.updates.text({ chatId: 5502, text: 'slow' }));
    harness.telegram.pushUpdate(harness.telegram.updates.text({ chatId: 5503, text: 'queued' }));
    await untilUnready(harness, 'polling stalled', 20_000);

    release();
    await waitFor(() => expect(harness.telegram.sentMessages(5503)).toEqual(['Echo: queued']), 30_000);
    await waitFor(async () => expect((await readyz(harness)).status).toBe(200), 15_000, 250);
  });
});
