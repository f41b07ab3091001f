import { describe, expect, it } from 'vitest';
import {
  checkCheckout,
  grantPremium,
  offerOf,
  parsePremiumPayload,
  premiumExpired,
  premiumPayload,
  revokePremium,
  setPremium,
} from '../../src/domain/premium.js';

const NOW = new Date('2026-05-01T00:00:00Z');
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);
const offer = { stars: 100, days: 30 };
const buyer = { telegramId: 7_000_000_001, status: 'active' as const };
const payload = premiumPayload(offer, buyer.telegramId);
const checkout = { payload, currency: 'XTR', totalAmount: 100, fromId: buyer.telegramId };

describe('premium offer and payload', () => {
  it('is off without a price, and binds the payload to the offer and the buyer', () => {
    expect(offerOf({ stars: 0, days: 30 })).toBeNull();
    expect(offerOf({ stars: 5, days: 7 })).toEqual({ stars: 5, days: 7 });
    expect(payload).toBe('premium:v1:7000000001:100:30');
    expect(parsePremiumPayload(payload)).toEqual({ telegramId: 7_000_000_001, stars: 100, days: 30 });
    for (const bad of [
      'premium:v2:1:100:30',
      'premium:v1:1:0:30',
      'premium:v1:x:100:30',
      `${payload} `,
      '',
    ]) {
      expect(parsePremiumPayload(bad)).toBeNull();
    }
  });

  it('accepts only the current offer, in Stars, for its amount, from its user', () => {
    expect(checkCheckout(checkout, offer, buyer)).toMatchObject({ ok: true });
    const reason = (
      c: Partial<typeof checkout>,
      o: typeof offer | null = offer,
      b: typeof buyer | null = buyer,
    ) => {
      const result = checkCheckout({ ...checkout, ...c }, o, b);
      return result.ok ? 'ok' : result.reason;
    };
    expect(reason({ payload: 'anything' })).toBe('forged');
    expect(reason({ currency: 'USD' })).toBe('forged');
    expect(reason({ totalAmount: 99 })).toBe('forged');
    expect(reason({}, null)).toBe('off');
    expect(reason({}, { stars: 120, days: 30 })).toBe('stale');
    expect(reason({}, { stars: 100, days: 31 })).toBe('stale');
    expect(reason({ fromId: 5 })).toBe('other-user');
    expect(reason({}, offer, null)).toBe('unknown-user');
    expect(reason({}, offer, { ...buyer, status: 'banned' as never })).toBe('unknown-user');
  });
});

describe('premium role changes', () => {
  it('a payment starts now, or extends premium still running; admins stay admin', () => {
    expect(grantPremium({ role: 'user', premiumUntil: null }, 30, NOW)).toEqual({
      role: 'premium',
      premiumUntil: days(30),
    });
    expect(grantPremium({ role: 'user', premiumUntil: days(-5) }, 30, NOW)).toEqual({
      role: 'premium',
      premiumUntil: days(30),
    });
    expect(grantPremium({ role: 'premium', premiumUntil: days(10) }, 30, NOW)).toEqual({
      role: 'premium',
      premiumUntil: days(40),
    });
    expect(grantPremium({ role: 'admin', premiumUntil: null }, 30, NOW).role).toBe('admin');
  });

  it('a refund takes its days back; nothing paid left ends premium', () => {
    expect(revokePremium({ role: 'premium', premiumUntil: days(40) }, 30, NOW)).toEqual({
      role: 'premium',
      premiumUntil: days(10),
    });
    expect(revokePremium({ role: 'premium', premiumUntil: days(20) }, 30, NOW)).toEqual({
      role: 'user',
      premiumUntil: null,
    });
    expect(revokePremium({ role: 'admin', premiumUntil: days(20) }, 30, NOW)).toEqual({
      role: 'admin',
      premiumUntil: null,
    });
  });

  it('the operator sets an end or ends it; only paid premium past its end has expired', () => {
    expect(setPremium({ role: 'user' }, days(3))).toEqual({ role: 'premium', premiumUntil: days(3) });
    expect(setPremium({ role: 'premium' }, null)).toEqual({ role: 'user', premiumUntil: null });
    expect(setPremium({ role: 'admin' }, null)).toEqual({ role: 'admin', premiumUntil: null });
    expect(premiumExpired({ role: 'premium', premiumUntil: NOW }, NOW)).toBe(true);
    expect(premiumExpired({ role: 'premium', premiumUntil: days(1) }, NOW)).toBe(false);
    expect(premiumExpired({ role: 'premium', premiumUntil: null }, NOW)).toBe(false);
    expect(premiumExpired({ role: 'admin', premiumUntil: days(-1) }, NOW)).toBe(false);
  });
});
