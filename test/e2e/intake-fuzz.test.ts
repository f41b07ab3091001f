/**
 * One bad update must not stop intake. 1,000 seeded random and malformed updates (fuzz-updates.ts),
 * valid text messages mixed in, go through the real daemon twice: by long polling from the fake
 * Telegram (SQLite) and by POSTs to the webhook (Postgres). Nothing stalls (every update is
 * settled in the inbox, the fake has nothing left to deliver), nothing crashes (the daemon answers
 * a new message afterwards), every valid message is answered exactly once, and every update that
 * could not be routed is stored as rejected with a reason, counted, and logged by id only.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startHarness, WEBHOOK_SECRET, type Harness } from '../helpers/bot-harness.js';
import { chatter } from '../helpers/chat-ui.js';
import { fuzzUpdates, type FuzzUpdate } from '../helpers/fuzz-updates.js';
import { waitFor } from '../helpers/ports.js';

const COUNT = 1000;
const SEED = 20_261_206;
// The shipped Gemini timeout (the harness shortens it): 250 answers at once on a shared machine.
const env = { BOTCTL_GEMINI_TIMEOUT_MS: '60000' };
const harnesses: Harness[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.close();
});

async function inboxStatuses(h: Harness): Promise<Record<string, number>> {
  const rows = await h.db.raw('select status, count(*) as n from update_inbox group by status');
  return Object.fromEntries(rows.map((row) => [String(row.status), Number(row.n)]));
}

/** Waits until every valid chat has an answer and nothing is left pending; then checks the outcome. */
async function expectAllSettled(h: Harness, cases: FuzzUpdate[], taken: () => number, expected: number) {
  const valid = cases.flatMap((c) => (c.valid ? [c.valid] : []));
  expect(valid.length).toBeGreaterThan(150);
  await waitFor(
    async () => {
      const unanswered = valid.filter((v) => h.telegram.sentMessages(v.chatId).length === 0);
      expect(unanswered.length, `valid updates still unanswered (first: ${unanswered[0]?.text})`).toBe(0);
      expect(taken(), 'updates the daemon has taken').toBe(expected);
      expect((await inboxStatuses(h)).pending ?? 0, 'inbox rows still pending').toBe(0);
    },
    180_000,
    200,
  );
  // Let any second answer (there must be none) arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const wrong = valid.filter((v) => {
    const sent = h.telegram.sentMessages(v.chatId);
    return sent.length !== 1 || sent[0] !== `Echo: ${v.text}`;
  });
  expect(wrong.map((v) => [v.text, h.telegram.sentMessages(v.chatId)])).toEqual([]);

  const statuses = await inboxStatuses(h);
  expect(statuses.rejected, 'malformed updates stored as rejected').toBeGreaterThan(300);
  expect((statuses.done ?? 0) + statuses.rejected!).toBe(expected);
  const unexplained = await h.db.raw(
    "select count(*) as n from update_inbox where status = 'rejected' and (reason is null or reason = '')",
  );
  expect(Number(unexplained[0]!.n)).toBe(0);

  const metrics = await (await fetch(`http://127.0.0.1:${h.daemon.port}/metrics`)).text();
  const rejectedTotal = [...metrics.matchAll(/^botctl_updates_rejected_total\{reason="\w+"\} (\d+)$/gm)]
    .map((m) => Number(m[1]))
    .reduce((a, b) => a + b, 0);
  expect(rejectedTotal).toBe(statuses.rejected);

  const lines = h.logs.lines();
  const warnings = lines.filter((line) => line.msg === 'update rejected: the bot cannot route it');
  expect(warnings).toHaveLength(statuses.rejected!);
  for (const line of warnings) {
    // The update id, a reason and the failing field: no names, no texts, no values.
    const own = Object.keys(line).filter(
      (key) => !['level', 'time', 'msg', 'app', 'pid', 'hostname'].includes(key),
    );
    expect(own.sort()).toEqual(['detail', 'reason', 'updateId']);
    expect(String(line.detail)).not.toMatch(/Fuzz|hello|xxxx/);
  }
  expect(
    lines.filter((line) => /fetching updates failed|update sink error|request failed/.test(String(line.msg))),
  ).toEqual([]);

  // Still alive and answering.
  const after = chatter(h, 7_799_999_999);
  await after.say('still there?');
  expect(after.lastText()).toBe('Echo: still there?');
  expect((await fetch(`http://127.0.0.1:${h.daemon.port}/healthz`)).status).toBe(200);
}

describe('intake under 1,000 random and malformed updates', () => {
  it('polling: no stall, no crash, every valid update answered once, the rest rejected and recorded', async () => {
    const h = await startHarness({ dialect: 'sqlite', env });
    harnesses.push(h);
    const cases = fuzzUpdates(COUNT, SEED);
    const ids = new Set<number>();
    for (const c of cases) ids.add(h.telegram.pushUpdate(c.update).update_id);
    // Updates the fake filters out by allowed_updates (unknown types) never reach the daemon.
    const filtered = h.telegram.droppedUpdates.filter((u) => ids.has(u.update_id)).length;
    expect(filtered).toBeLessThan(COUNT / 10);
    await expectAllSettled(
      h,
      cases,
      () => COUNT - filtered - h.telegram.pendingUpdates.length,
      COUNT - filtered,
    );
  }, 240_000);

  it('webhook: every update gets 200 with a generic body, valid ones answered once, the rest rejected', async () => {
    const h = await startHarness({ dialect: 'postgres', mode: 'webhook', env });
    harnesses.push(h);
    const cases = fuzzUpdates(COUNT, SEED + 1);
    const url = `http://127.0.0.1:${h.daemon.port}/tg/webhook`;
    const statuses: number[] = [];
    const bodies = new Set<string>();
    let next = 0;
    const post = async () => {
      for (let i = next++; i < cases.length; i = next++) {
        const body = JSON.stringify({ update_id: 5_000_000 + i, ...cases[i]!.update });
        for (;;) {
          const response = await fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-telegram-bot-api-secret-token': WEBHOOK_SECRET,
            },
            body,
          });
          const text = await response.text();
          // 503 is backpressure: Telegram re-sends later, and so does this test.
          if (response.status === 503) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            continue;
          }
          statuses.push(response.status);
          bodies.add(text.replace(/"result":"\w+"/, '"result":_'));
          break;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, post));
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect([...bodies]).toEqual(['{"ok":true,"result":_}']);
    await expectAllSettled(h, cases, () => statuses.length, COUNT);
  }, 240_000);
});
