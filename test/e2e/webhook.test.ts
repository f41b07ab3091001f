/**
 * Webhook mode through the real daemon on Postgres: setWebhook with the secret, the secret
 * header checked, updates acknowledged at once and answered outside the request, duplicate
 * update_ids answered once, each update recorded with its sender; plus health, readiness and metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, WEBHOOK_SECRET, type Harness } from '../helpers/bot-harness.js';
import { waitFor } from '../helpers/ports.js';

let h: Harness;
const base = () => `http://127.0.0.1:${h.daemon.port}`;

beforeAll(async () => {
  h = await startHarness({
    dialect: 'postgres',
    mode: 'webhook',
    env: { BOTCTL_GEMINI_TIMEOUT_MS: '30000' },
  });
});
afterAll(async () => h?.close());

describe('webhook mode', () => {
  it('registers the webhook with its secret and allowed updates', async () => {
    const call = h.telegram.callsOf('setWebhook').at(-1)!;
    expect(call.params.url).toBe(`${base()}/tg/webhook`);
    expect(call.params.secret_token).toBe(WEBHOOK_SECRET);
    expect(call.params.allowed_updates).toEqual(
      expect.arrayContaining(['message', 'callback_query', 'inline_query']),
    );
  });

  it('answers an update delivered by webhook, acknowledging before the model answers', async () => {
    h.gemini.respond = (req) => ({ text: `slow answer to ${req.lastUserText}`, firstTokenDelayMs: 5000 });
    h.telegram.pushUpdate(h.telegram.updates.text({ chatId: 9001, text: 'hello hook' }));
    const delivery = await waitFor(() => {
      const d = h.telegram.webhookDeliveries.find((x) => x.status !== undefined);
      if (!d) throw new Error('no delivery yet');
      return d;
    });
    expect(delivery.status).toBe(200);
    expect(delivery.durationMs).toBeLessThan(4000); // acknowledged before the 5 s model call ended
    await waitFor(() => expect(h.telegram.sentMessages(9001)).toEqual(['slow answer to hello hook']), 15_000);
    h.gemini.respond = undefined;
  });

  it("records a webhook update's sender with it, so /forget finds group messages", async () => {
    const update = h.telegram.pushUpdate(
      h.telegram.updates.text({
        chatId: -100_9002,
        chatType: 'supergroup',
        userId: 9_003,
        text: 'among humans',
      }),
    );
    const row = await waitFor(async () => {
      const [found] = await h.db.raw(
        'select chat_key, from_id, status from update_inbox where update_id = ?',
        [update.update_id],
      );
      if (found?.status !== 'done') throw new Error(`update not handled yet: ${JSON.stringify(found)}`);
      return found;
    });
    expect([String(row.chat_key), Number(row.from_id)]).toEqual(['-1009002', 9_003]);
  });

  it('rejects a request without the secret header, and a body that is not an update', async () => {
    const update = {
      update_id: 1,
      message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text: 'x' },
    };
    const noSecret = await fetch(`${base()}/tg/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(update),
    });
    expect(noSecret.status).toBe(401);
    const wrongSecret = await fetch(`${base()}/tg/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'nope' },
      body: JSON.stringify(update),
    });
    expect(wrongSecret.status).toBe(401);
    const notUpdate = await fetch(`${base()}/tg/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(notUpdate.status).toBe(400);
    expect(await h.db.repos.updates.pending(10)).toEqual([]);
  });

  it('answers a duplicate update_id once', async () => {
    const update = { update_id: 777_001, ...h.telegram.updates.text({ chatId: 9002, text: 'only once' }) };
    const post = () =>
      fetch(`${base()}/tg/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
        body: JSON.stringify(update),
      }).then((r) => r.json() as Promise<{ result: string }>);
    const results = await Promise.all([post(), post(), post()]);
    expect(results.map((r) => r.result).sort()).toEqual(['accepted', 'duplicate', 'duplicate']);
    await waitFor(() => expect(h.telegram.sentMessages(9002)).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.telegram.sentMessages(9002)).toHaveLength(1);
    expect(h.gemini.requests.filter((r) => r.lastUserText === 'only once')).toHaveLength(1);
  });

  it('acknowledges an update of an unknown type without making a metric label of it', async () => {
    const post = (body: string) =>
      fetch(`${base()}/tg/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
        body,
      });
    const unknown = await post(JSON.stringify({ update_id: 880_001, zz_caller_chosen_label: {} }));
    expect([unknown.status, await unknown.json()]).toEqual([200, { ok: true, result: 'rejected' }]);
    const metrics = await (await fetch(`${base()}/metrics`)).text();
    expect(metrics).not.toContain('zz_caller_chosen_label');
    expect(metrics).toMatch(/botctl_updates_rejected_total\{reason="unknown_type"\} 1/);
    const [row] = await h.db.raw('select status, reason from update_inbox where update_id = ?', [880_001]);
    expect(row).toMatchObject({ status: 'rejected', reason: 'unknown_type: zz_caller_chosen_label' });
    // A body that is not JSON: refused with a generic body, no parser message.
    const broken = await post('{"update_id": 1, "message": {');
    expect([broken.status, await broken.json()]).toEqual([400, { ok: false, error: 'bad request' }]);
  });

  it('serves liveness, readiness with its checks, and Prometheus metrics', async () => {
    const health = await fetch(`${base()}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base()}/readyz`);
    const report = (await ready.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
    expect(ready.status).toBe(200);
    expect(report.checks.database!.ok).toBe(true);
    expect(report.checks.telegram!.ok).toBe(true);
    const metrics = await (await fetch(`${base()}/metrics`)).text();
    expect(metrics).toMatch(/botctl_updates_total\{type="message"\} \d+/);
    expect(metrics).toMatch(
      /botctl_gemini_request_duration_seconds_count\{model="gemini-flash-latest",outcome="ok"\} \d+/,
    );
    expect(metrics).toMatch(/botctl_gemini_tokens_total\{model="gemini-flash-latest",direction="out"\} \d+/);
    expect(metrics).toContain('botctl_active_users{window="1d"}');
    expect(metrics).toContain('botctl_process_cpu_user_seconds_total');
  });

  // Last: it stops the daemon. A rolling restart's old instance: out of the load balancer and
  // refusing new updates (another instance takes them) while its answers in flight finish.
  it('while stopping: /readyz 503 and new webhook updates 503, the answer in flight still sent', async () => {
    h.gemini.respond = (req) => ({ text: `draining ${req.lastUserText}`, firstTokenDelayMs: 1500 });
    h.telegram.pushUpdate(h.telegram.updates.text({ chatId: 9010, text: 'before stop' }));
    await waitFor(() => {
      if (!h.gemini.requests.some((r) => r.lastUserText === 'before stop')) throw new Error('not asked yet');
    }, 10_000);
    const port = h.daemon.port;
    const stopped = h.daemon.stop('rolling restart');
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    const report = (await ready.json()) as { ready: boolean; checks: Record<string, unknown> };
    expect([ready.status, report.ready, report.checks.shutdown]).toEqual([
      503,
      false,
      { ok: false, detail: 'stopping' },
    ]);
    const late = await fetch(`http://127.0.0.1:${port}/tg/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      body: JSON.stringify({
        ...h.telegram.updates.text({ chatId: 9011, text: 'after stop' }),
        update_id: 990_001,
      }),
    });
    expect(late.status).toBe(503);
    await stopped;
    expect(h.telegram.sentMessages(9010)).toEqual(['draining before stop']);
    // Refused, not recorded: Telegram re-sends it to an instance that takes it.
    const [row] = await h.db.raw('select count(*) as n from update_inbox where update_id = ?', [990_001]);
    expect(Number(row?.n)).toBe(0);
    h.gemini.respond = undefined;
  });
});
