/**
 * Premium through Telegram Stars, end to end against the fake Bot API (sendInvoice,
 * pre_checkout_query + answerPreCheckoutQuery, successful_payment, refundStarPayment) on SQLite
 * and PostgreSQL, in English and Russian: /premium's offer and invoice; forged and stale
 * pre-checkouts refused with a reason; a paid invoice granting premium once though the update
 * comes twice, lifting the quota; renewal; expiry (on the user's next message, and by the sweep
 * for users who do not write); the operator's `payments list|refund` and `users premium` as
 * processes; Stars in `stats`; payments in /export and gone after /forget.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserExport } from '../../src/domain/transcript.js';
import { startHarness, TEST_TOKEN, type Harness } from '../helpers/bot-harness.js';
import { chatter, handled, type Chatter } from '../helpers/chat-ui.js';
import { parseEnvelope, runCli } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';
import { waitFor } from '../helpers/ports.js';

const STARS = 50;
const DAYS = 30;
const DAY_MS = 86_400_000;
let nextChat = 97_000;

describe.each(DIALECTS)('premium through Telegram Stars on %s', (dialect) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      dialect,
      env: {
        BOTCTL_PREMIUM: JSON.stringify({ stars: STARS, days: DAYS }),
        BOTCTL_RATE_LIMIT: '{"burst":100,"perMinute":1000}',
        // Two messages a day for users; premium lifts it to the shipped premium quota.
        BOTCTL_QUOTAS: '{"user":{"messagesPerDay":2}}',
      },
      daemon: { premiumSweepMs: 200 },
    });
  });
  afterAll(async () => h?.close());

  const row = async (c: Chatter) =>
    (await h.db.raw('select id, role, premium_until from users where telegram_id = ?', [c.chatId]))[0]!;
  const untilOf = async (c: Chatter) => {
    const value = (await row(c)).premium_until;
    return value === null ? null : new Date(value instanceof Date ? value : Number(value));
  };
  const payments = async (c: Chatter) =>
    h.db.raw(
      'select p.telegram_payment_charge_id as charge, p.amount, p.refunded_at from payments p ' +
        'join users u on u.id = p.user_id where u.telegram_id = ? order by p.id',
      [c.chatId],
    );
  /** /premium, then the payload of the invoice it sent. */
  async function invoiceFor(c: Chatter): Promise<string> {
    await c.command('premium');
    const invoice = h.telegram.invoices(c.chatId).at(-1);
    if (!invoice) throw new Error(`no invoice in chat ${c.chatId}`);
    return invoice.payload;
  }
  async function checkout(
    userId: number,
    input: { payload: string; totalAmount?: number; currency?: string; languageCode?: string },
  ) {
    const update = h.telegram.pushUpdate(
      h.telegram.updates.preCheckout({ userId, totalAmount: STARS, ...input }),
    );
    await handled(h, update.update_id);
    const answer = h.telegram.checkoutAnswer(update.pre_checkout_query!.id);
    if (!answer) throw new Error('the pre-checkout query was not answered');
    return answer;
  }
  const pay = (c: Chatter, payload: string, chargeId: string): Partial<Update> =>
    h.telegram.updates.payment({
      chatId: c.chatId,
      payload,
      totalAmount: STARS,
      chargeId,
      languageCode: c.language,
    });
  const cliEnv = () => ({
    BOTCTL_DATA_DIR: fs.mkdtempSync(path.join(h.dataDir, 'cli-')),
    BOTCTL_DATABASE_URL: h.db.url,
    BOTCTL_TELEGRAM_TOKEN: TEST_TOKEN,
    BOTCTL_TELEGRAM_API_ROOT: h.telegram.apiRoot,
    BOTCTL_PREMIUM: JSON.stringify({ stars: STARS, days: DAYS }),
  });

  it('/premium shows the offer and sends an invoice in Stars with no provider, in both languages', async () => {
    const en = chatter(h, nextChat++, 'en');
    const ru = chatter(h, nextChat++, 'ru');
    await en.command('premium');
    await ru.command('premium');
    expect(en.lastText()).toContain(`Premium for ${DAYS} days costs ${STARS} ⭐`);
    expect(en.lastText()).toContain('Messages: 1000');
    expect(ru.lastText()).toContain(`Премиум на ${DAYS} дн. стоит ${STARS} ⭐`);
    const [call] = h.telegram.callsOf('sendInvoice').filter((c) => c.params.chat_id === en.chatId);
    expect(call!.response?.ok).toBe(true);
    expect(call!.params).toMatchObject({
      currency: 'XTR',
      provider_token: '',
      prices: [{ amount: STARS }],
      payload: `premium:v1:${en.chatId}:${STARS}:${DAYS}`,
    });
    const ruInvoice = h.telegram.callsOf('sendInvoice').find((c) => c.params.chat_id === ru.chatId)!;
    expect(ruInvoice.params.title).toBe(`Премиум на ${DAYS} дн.`);
    // Offered: /premium is in the "/" menu, in each language.
    const menus = h.telegram.callsOf('setMyCommands');
    expect(JSON.stringify(menus.find((m) => m.params.language_code === 'ru')!.params.commands)).toContain(
      'Премиум',
    );
    expect(
      JSON.stringify(menus.find((m) => m.params.language_code === undefined)!.params.commands),
    ).toContain('"premium"');
  });

  it('refuses forged and stale pre-checkouts with a reason the user reads, and accepts the current offer', async () => {
    const ann = chatter(h, nextChat++, 'en');
    const boris = chatter(h, nextChat++, 'ru');
    const payload = await invoiceFor(ann);
    await invoiceFor(boris);

    expect(await checkout(ann.chatId, { payload })).toEqual({ ok: true });
    const refused = async (input: Parameters<typeof checkout>[1], userId = ann.chatId) => {
      const answer = await checkout(userId, input);
      expect(answer.ok).toBe(false);
      return answer.ok ? '' : answer.errorMessage;
    };
    // Not our payload, or not what it names: another amount or currency.
    expect(await refused({ payload: 'premium:v2:1:1:3650', totalAmount: 1 })).toContain(
      'not issued by this bot',
    );
    expect(await refused({ payload: 'lifetime-premium' })).toContain('not issued by this bot');
    expect(await refused({ payload, totalAmount: 1 })).toContain('not issued by this bot');
    expect(await refused({ payload, currency: 'USD' })).toContain('not issued by this bot');
    // An invoice from before the operator changed the price (or the period).
    const oldPrice = `premium:v1:${ann.chatId}:40:${DAYS}`;
    expect(await refused({ payload: oldPrice, totalAmount: 40 })).toContain(
      'price or period of premium has changed',
    );
    expect(
      await refused(
        { payload: `premium:v1:${boris.chatId}:40:${DAYS}`, totalAmount: 40, languageCode: 'ru' },
        boris.chatId,
      ),
    ).toContain('Цена или срок премиума изменились');
    // Boris paying with Ann's invoice; and someone the bot never saw.
    expect(await refused({ payload, languageCode: 'ru' }, boris.chatId)).toContain(
      'выставлен другому пользователю',
    );
    const stranger = nextChat++;
    expect(await refused({ payload: `premium:v1:${stranger}:${STARS}:${DAYS}` }, stranger)).toContain(
      'cannot buy premium here',
    );
    // The refused query made no user of the stranger.
    expect(await h.db.raw('select id from users where telegram_id = ?', [stranger])).toEqual([]);
    expect(await payments(ann)).toEqual([]);
    expect((await row(ann)).role).toBe('user');
  });

  it('a paid invoice grants premium once though Telegram sends the update twice, and lifts the quota', async () => {
    const c = chatter(h, nextChat++, 'en');
    const payload = await invoiceFor(c);
    await c.say('one');
    await c.say('two');
    await c.say('three');
    expect(c.lastText()).toContain("today's limit");
    // Premium is sold here: the notice says what lifts the limit.
    expect(c.lastText()).toContain('Premium raises your daily limits: /premium');

    const before = Date.now();
    const update = pay(c, payload, `stxPaid${c.chatId}`);
    // The same update twice (same update_id), then again under a new update_id: one payment.
    const first = h.telegram.pushUpdate(update);
    h.telegram.pushUpdate({ ...update, update_id: first.update_id });
    await handled(h, first.update_id);
    await c.push(update);
    const rows = await payments(c);
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.amount)).toBe(STARS);
    expect((await row(c)).role).toBe('premium');
    const until = (await untilOf(c))!.getTime();
    expect(until).toBeGreaterThanOrEqual(before + DAYS * DAY_MS);
    expect(until).toBeLessThan(Date.now() + DAYS * DAY_MS + 1000);
    expect(c.texts().filter((t) => t.startsWith('Thank you!'))).toHaveLength(1);

    await c.say('four');
    expect(c.lastText()).toBe('Echo: four');

    // Renewal while premium runs: 30 more days from the running end.
    await c.push(pay(c, await invoiceFor(c), `stxRenew${c.chatId}`));
    expect((await untilOf(c))!.getTime()).toBe(until + DAYS * DAY_MS);
    expect(c.lastText()).toMatch(/^Your premium runs until|Thank you!/);
  });

  it('a payment replayed after a crash is thanked again, as the crash may have come before the thanks', async () => {
    const c = chatter(h, nextChat++, 'en');
    const payload = await invoiceFor(c);
    const update = h.telegram.pushUpdate(pay(c, payload, `stxCrash${c.chatId}`));
    await handled(h, update.update_id);
    const thanks = () => c.texts().filter((t) => t.startsWith('Thank you!'));
    expect(thanks()).toHaveLength(1);
    // As after a crash before the update was marked done: taken in, still pending.
    await h.db.raw(`update update_inbox set status = 'pending', done_at = null where update_id = ?`, [
      update.update_id,
    ]);
    await h.restart();
    await waitFor(() => expect(thanks()).toHaveLength(2));
    expect(await payments(c)).toHaveLength(1);
  });

  it('Russian thanks; expiry returns the role to user on the next message and by the sweep', async () => {
    const writer = chatter(h, nextChat++, 'ru');
    const quiet = chatter(h, nextChat++, 'en');
    await writer.push(pay(writer, await invoiceFor(writer), `stxW${writer.chatId}`));
    await quiet.push(pay(quiet, await invoiceFor(quiet), `stxQ${quiet.chatId}`));
    expect(writer.lastText()).toContain('Спасибо! Премиум ваш до');

    const past = new Date(Date.now() - 1000);
    const set = dialect === 'postgres' ? past : past.getTime();
    await h.db.raw('update users set premium_until = ? where telegram_id in (?, ?)', [
      set,
      writer.chatId,
      quiet.chatId,
    ]);
    // The sweep (every 200 ms here) needs no message from the user.
    await waitFor(async () => expect((await row(quiet)).role).toBe('user'), 5000);
    expect(await untilOf(quiet)).toBeNull();
    await writer.command('usage');
    expect(writer.lastText()).toMatch(/Сообщения: \d+ из 2/);
    expect((await row(writer)).role).toBe('user');
  });

  it('`users premium` grants and ends premium; an admin stays admin', { timeout: 120_000 }, async () => {
    const c = chatter(h, nextChat++, 'en');
    await c.say('hello');
    const env = cliEnv();
    const granted = await runCli(
      ['users', 'premium', String(c.chatId), '--until', '2099-01-31', '--json'],
      env,
    );
    expect(granted.exitCode, granted.stdout + granted.stderr).toBe(0);
    expect(parseEnvelope(granted.stdout).result).toMatchObject({
      role: 'premium',
      premiumUntil: '2099-02-01T00:00:00.000Z',
    });
    // `users show` says when it ends, in its JSON and its text.
    const shown = await runCli(['users', 'show', String(c.chatId), '--json'], env);
    expect(parseEnvelope(shown.stdout).result).toMatchObject({
      user: { role: 'premium', premiumUntil: '2099-02-01T00:00:00.000Z' },
    });
    expect((await runCli(['users', 'show', String(c.chatId)], env)).stdout).toContain(
      'role premium until 2099-02-01T00:00:00.000Z,',
    );
    const bad = await runCli(['users', 'premium', String(c.chatId), '--until', 'soon'], env);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--until soon is not a date');
    const off = await runCli(['users', 'premium', String(c.chatId), '--off', '--json'], env);
    expect(parseEnvelope(off.stdout).result).toMatchObject({ role: 'user', premiumUntil: null });
    await h.db.raw("update users set role = 'admin' where telegram_id = ?", [c.chatId]);
    const admin = await runCli(['users', 'premium', String(c.chatId), '--off', '--json'], env);
    expect(parseEnvelope(admin.stdout).result).toMatchObject({ role: 'admin' });
  });

  it(
    '`payments list|refund` refunds through Telegram and revokes premium; stats count Stars',
    { timeout: 180_000 },
    async () => {
      const c = chatter(h, nextChat++, 'en');
      const charge = `stxRefund${c.chatId}`;
      await c.push(pay(c, await invoiceFor(c), charge));
      expect((await row(c)).role).toBe('premium');
      const env = cliEnv();

      const [list, stats, refused] = await Promise.all([
        runCli(['payments', 'list', '--json'], env),
        runCli(['stats', '--since', '1d', '--json'], env),
        runCli(['payments', 'refund', charge], env),
      ]);
      expect(list.exitCode, list.stderr).toBe(0);
      const listed = (parseEnvelope(list.stdout).result as { payments: { chargeId: string }[] }).payments;
      expect(listed.find((p) => p.chargeId === charge)).toMatchObject({
        telegramId: c.chatId,
        amount: STARS,
        currency: 'XTR',
        periodDays: DAYS,
        refundedAt: null,
      });
      const before = (parseEnvelope(stats.stdout).result as { stars: { earned: number; payments: number } })
        .stars;
      expect(before.earned).toBe(before.payments * STARS);
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toContain('pass --yes');
      expect(h.telegram.charge(charge)?.refunded).toBe(false);

      const refund = await runCli(['payments', 'refund', charge, '--yes', '--json'], env);
      expect(refund.exitCode, refund.stdout + refund.stderr).toBe(0);
      expect(parseEnvelope(refund.stdout).result).toMatchObject({ role: 'user', premiumUntil: null });
      expect(h.telegram.charge(charge)?.refunded).toBe(true);
      expect((await payments(c))[0]!.refunded_at).not.toBeNull();
      expect((await row(c)).role).toBe('user');

      const [again, unknown, after] = await Promise.all([
        runCli(['payments', 'refund', charge, '--yes'], env),
        runCli(['payments', 'refund', 'stxNoSuchCharge', '--yes'], env),
        runCli(['stats', '--since', '1d', '--json'], env),
      ]);
      expect(again.exitCode).toBe(2);
      expect(again.stderr).toContain('already refunded');
      expect(unknown.exitCode).toBe(1);
      expect(unknown.stderr).toContain('No payment with charge id stxNoSuchCharge');
      const stars = (parseEnvelope(after.stdout).result as { stars: { earned: number; refunded: number } })
        .stars;
      expect(stars.earned).toBe(before.earned - STARS);
      expect(stars.refunded).toBe(1);
    },
  );

  it('/export includes the payments and /forget deletes them', async () => {
    const c = chatter(h, nextChat++, 'en');
    const charge = `stxExport${c.chatId}`;
    await c.push(pay(c, await invoiceFor(c), charge));
    await c.command('export');
    const doc = h.telegram
      .messages(c.chatId)
      .filter((m) => m.fromBot && 'document' in m.message)
      .map((m) => (m.message as { document: { file_id: string } }).document.file_id)[0]!;
    const data = JSON.parse(h.telegram.file(doc)!.bytes.toString('utf8')) as UserExport;
    expect(data.payments).toEqual([
      expect.objectContaining({
        chargeId: charge,
        amount: STARS,
        currency: 'XTR',
        periodDays: DAYS,
        refundedAt: null,
      }),
    ]);
    expect(data.profile.premiumUntil).toBe(data.payments[0]!.premiumUntil);

    await c.command('forget');
    await c.press('Delete everything');
    expect(await h.db.raw('select id from payments where telegram_payment_charge_id = ?', [charge])).toEqual(
      [],
    );
  });
});
