/**
 * Telegram Stars payments on each backend: a payment and the premium it grants land together,
 * once per charge id even when two deliveries race on two connections; refunds take it back
 * once; the sweep returns only run-out paid premium to the user role; totals for `stats`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/entities.js';
import type { Dialect, NewPayment, Repositories } from '../../src/domain/ports/index.js';
import { grantPremium, revokePremium } from '../../src/domain/premium.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';

let nextTelegramId = 9_000_000_000; // above 2^32: the payer's id must come back whole
const T0 = new Date('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);

export function describePaymentsContract(dialect: Dialect): void {
  describe(`payments contract (${dialect})`, () => {
    let db: TestDatabase;
    let repos: Repositories;
    let chargeN = 0;

    const newUser = async (): Promise<User> => {
      nextTelegramId += 1;
      const contact = {
        telegramId: nextTelegramId,
        username: null,
        firstName: 'Ann',
        lastName: null,
        languageCode: 'en',
        language: 'en',
      };
      return repos.users.upsertFromTelegram(contact, T0);
    };
    const payment = (user: User, days = 30, chargeId = `ch_${++chargeN}`): NewPayment => ({
      chargeId,
      userId: user.id,
      amount: 100,
      currency: 'XTR',
      payload: `premium:v1:${user.telegramId}:100:${days}`,
      periodDays: days,
    });
    const grant = (days: number, now: Date) => (u: User) => grantPremium(u, days, now);
    const paymentRows = async () => Number((await db.raw('select count(*) as n from payments'))[0]?.n);

    beforeEach(async () => {
      db = await openTestDatabase(dialect);
      repos = db.repos;
    });
    afterEach(async () => {
      await db.cleanup();
    });

    it('records a payment with the premium it grants; the same charge again changes nothing', async () => {
      const ann = await newUser();
      const first = await repos.payments.record(payment(ann, 30, 'ch_same'), grant(30, T0), T0);
      expect(first.recorded).toBe(true);
      expect(first.user).toMatchObject({ role: 'premium', premiumUntil: at(30) });
      expect(first.payment).toMatchObject({
        chargeId: 'ch_same',
        telegramId: ann.telegramId,
        amount: 100,
        currency: 'XTR',
        periodDays: 30,
        premiumUntil: at(30),
        createdAt: T0,
        refundedAt: null,
      });
      const again = await repos.payments.record(payment(ann, 30, 'ch_same'), grant(30, at(1)), at(1));
      expect(again.recorded).toBe(false);
      expect(again.payment.id).toBe(first.payment.id);
      expect((await repos.users.getById(ann.id))?.premiumUntil).toEqual(at(30));
      expect(await paymentRows()).toBe(1);
    });

    it('two deliveries of one payment racing on two connections grant it once', async () => {
      const ann = await newUser();
      const other = await db.reopen();
      const results = await Promise.all([
        repos.payments.record(payment(ann, 30, 'ch_race'), grant(30, T0), T0),
        other.repos.payments.record(payment(ann, 30, 'ch_race'), grant(30, T0), T0),
      ]);
      expect(results.map((r) => r.recorded).sort()).toEqual([false, true]);
      expect((await repos.users.getById(ann.id))?.premiumUntil).toEqual(at(30));
      expect(await paymentRows()).toBe(1);
    });

    it('a renewal extends the running end; a refund takes its days back, the last one ends premium', async () => {
      const ann = await newUser();
      await repos.payments.record(payment(ann, 30, 'ch_1'), grant(30, T0), T0);
      const renewed = await repos.payments.record(payment(ann, 30, 'ch_2'), grant(30, at(10)), at(10));
      expect(renewed.user.premiumUntil).toEqual(at(60));
      expect(renewed.payment.premiumUntil).toEqual(at(60));

      const revoke = (now: Date) => (u: User, p: { periodDays: number }) =>
        revokePremium(u, p.periodDays, now);
      const refunded = await repos.payments.markRefunded('ch_2', revoke(at(11)), at(11));
      expect(refunded).toMatchObject({ refunded: true, user: { role: 'premium', premiumUntil: at(30) } });
      expect(refunded?.payment.refundedAt).toEqual(at(11));
      const twice = await repos.payments.markRefunded('ch_2', revoke(at(12)), at(12));
      expect(twice?.refunded).toBe(false);
      expect(twice?.payment.refundedAt).toEqual(at(11));

      const last = await repos.payments.markRefunded('ch_1', revoke(at(12)), at(12));
      expect(last?.user).toMatchObject({ role: 'user', premiumUntil: null });
      expect(await repos.payments.markRefunded('ch_unknown', revoke(at(12)), at(12))).toBeNull();
    });

    it('lists newest first, one user or all, and totals a period without refunded Stars', async () => {
      const ann = await newUser();
      const bob = await newUser();
      await repos.payments.record(payment(ann, 30, 'a1'), grant(30, T0), T0);
      await repos.payments.record({ ...payment(bob, 30, 'b1'), amount: 250 }, grant(30, at(1)), at(1));
      await repos.payments.record(payment(ann, 30, 'a2'), grant(30, at(2)), at(2));
      await repos.payments.markRefunded('a2', (u, p) => revokePremium(u, p.periodDays, at(3)), at(3));

      expect((await repos.payments.list()).map((p) => p.chargeId)).toEqual(['a2', 'b1', 'a1']);
      expect((await repos.payments.list({ userId: ann.id })).map((p) => p.chargeId)).toEqual(['a2', 'a1']);
      expect((await repos.payments.list({ limit: 1 })).map((p) => p.chargeId)).toEqual(['a2']);
      expect((await repos.payments.get('b1'))?.telegramId).toBe(bob.telegramId);
      expect(await repos.payments.get('nope')).toBeNull();

      expect(await repos.payments.totals(T0, at(3), 'XTR')).toEqual({
        payments: 3,
        amount: 350,
        refunded: 1,
      });
      expect(await repos.payments.totals(at(1), at(2), 'XTR')).toEqual({
        payments: 1,
        amount: 250,
        refunded: 0,
      });
      expect(await repos.payments.totals(T0, at(3), 'USD')).toEqual({ payments: 0, amount: 0, refunded: 0 });
    });

    it('the sweep returns run-out paid premium to user, and leaves admins and running premium alone', async () => {
      const ran = await newUser();
      const running = await newUser();
      const admin = await newUser();
      const manual = await newUser();
      await repos.users.setPremium(ran.id, { role: 'premium', premiumUntil: at(1) });
      await repos.users.setPremium(running.id, { role: 'premium', premiumUntil: at(5) });
      await repos.users.setPremium(admin.id, { role: 'admin', premiumUntil: at(1) });
      await repos.users.setRole(manual.id, 'premium');

      const changed = await repos.users.expirePremium(at(2));
      expect(changed.map((u) => u.id)).toEqual([ran.id]);
      expect(changed[0]).toMatchObject({ role: 'user', premiumUntil: null });
      expect((await repos.users.getById(running.id))?.role).toBe('premium');
      expect((await repos.users.getById(admin.id))?.role).toBe('admin');
      expect((await repos.users.getById(manual.id))?.role).toBe('premium');
      // One user only (identify's lazy check): another's run-out premium waits for its own turn.
      await repos.users.setPremium(ran.id, { role: 'premium', premiumUntil: at(1) });
      expect(await repos.users.expirePremium(at(6), running.id)).toHaveLength(1);
      expect((await repos.users.getById(ran.id))?.role).toBe('premium');
    });

    it('deleting a user deletes their payments', async () => {
      const ann = await newUser();
      const bob = await newUser();
      await repos.payments.record(payment(ann), grant(30, T0), T0);
      await repos.payments.record(payment(bob), grant(30, T0), T0);
      await repos.users.deleteCascade(ann.id);
      expect((await repos.payments.list()).map((p) => p.telegramId)).toEqual([bob.telegramId]);
    });
  });
}
