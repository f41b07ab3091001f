import { describe, expect, it } from 'vitest';
import type { DailyUsage } from '../../src/domain/entities.js';
import {
  applyQuotaPatch,
  checkQuota,
  DEFAULT_QUOTAS,
  formatInZone,
  isValidTimeZone,
  limitsFor,
  nextResetAt,
  utcDay,
  type QuotaLimits,
} from '../../src/domain/quota.js';

const usage = (patch: Partial<DailyUsage> = {}): DailyUsage => ({
  userId: 1,
  day: '2025-03-01',
  messages: 0,
  tokensIn: 0,
  tokensOut: 0,
  audioSeconds: 0,
  images: 0,
  searches: 0,
  ...patch,
});
const limits: QuotaLimits = {
  messagesPerDay: 10,
  tokensPerDay: 1000,
  imagesPerDay: 2,
  audioSecondsPerDay: 60,
  searchesPerDay: 3,
};

describe('checkQuota', () => {
  it('allows the request that reaches the limit and refuses the next', () => {
    expect(checkQuota(usage({ messages: 9 }), limits)).toEqual({ ok: true });
    expect(checkQuota(usage({ messages: 10 }), limits)).toEqual({
      ok: false,
      exceeded: 'messages',
      limit: 10,
      used: 10,
    });
  });

  it('counts input and output tokens together', () => {
    expect(checkQuota(usage({ tokensIn: 600, tokensOut: 399 }), limits)).toEqual({ ok: true });
    expect(checkQuota(usage({ tokensIn: 600, tokensOut: 400 }), limits)).toEqual({
      ok: false,
      exceeded: 'tokens',
      limit: 1000,
      used: 1000,
    });
  });

  it('checks images and audio only for requests that use them', () => {
    const spent = usage({ images: 2, audioSeconds: 50 });
    expect(checkQuota(spent, limits)).toEqual({ ok: true });
    expect(checkQuota(spent, limits, { messages: 1, images: 1 })).toMatchObject({
      ok: false,
      exceeded: 'images',
    });
    expect(checkQuota(spent, limits, { messages: 1, audioSeconds: 10 })).toEqual({ ok: true });
    expect(checkQuota(spent, limits, { messages: 1, audioSeconds: 11 })).toEqual({
      ok: false,
      exceeded: 'audioSeconds',
      limit: 60,
      used: 50,
    });
  });

  it('treats 0 as unlimited', () => {
    const heavy = usage({ messages: 1e6, tokensIn: 1e9, images: 1e4, audioSeconds: 1e6 });
    expect(checkQuota(heavy, DEFAULT_QUOTAS.admin, { messages: 1, images: 1, audioSeconds: 1 })).toEqual({
      ok: true,
    });
    expect(checkQuota(heavy, DEFAULT_QUOTAS.user).ok).toBe(false);
  });
});

describe('UTC calendar', () => {
  it('keys usage by the UTC day whatever the local zone', () => {
    expect(utcDay(new Date('2025-03-01T23:59:59.999Z'))).toBe('2025-03-01');
    expect(utcDay(new Date('2025-03-02T01:30:00+03:00'))).toBe('2025-03-01');
  });

  it('names each day right when the days asked for alternate (it keeps the last day it named)', () => {
    const instants = [
      '2025-03-01T23:59:59.999Z',
      '2025-03-02T00:00:00.000Z',
      '2025-03-01T00:00:00.000Z',
      '2025-03-01T12:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
      '2025-03-02T00:00:00.001Z',
    ];
    for (const at of instants) expect(utcDay(new Date(at))).toBe(at.slice(0, 10));
    // Not the day asked for before it: an invalid date throws as toISOString does.
    expect(() => utcDay(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('resets at the next UTC midnight, across month and year ends', () => {
    expect(nextResetAt(new Date('2025-03-01T10:00:00Z')).toISOString()).toBe('2025-03-02T00:00:00.000Z');
    expect(nextResetAt(new Date('2025-03-01T00:00:00Z')).toISOString()).toBe('2025-03-02T00:00:00.000Z');
    expect(nextResetAt(new Date('2024-02-28T12:00:00Z')).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(nextResetAt(new Date('2024-12-31T23:59:59Z')).toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });
});

describe('formatInZone', () => {
  const instant = new Date('2025-03-02T00:00:00Z');

  it('shows the instant in the user’s zone and language', () => {
    const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    expect(formatInZone(instant, 'Europe/Moscow', 'en-GB', time)).toBe('03:00');
    expect(formatInZone(instant, 'America/New_York', 'en-GB', time)).toBe('19:00');
    expect(formatInZone(instant, 'Europe/Moscow', 'ru', { day: 'numeric', month: 'long' })).toBe('2 марта');
    expect(formatInZone(instant, 'America/New_York', 'en-US', { day: 'numeric', month: 'long' })).toBe(
      'March 1',
    );
    expect(formatInZone(instant, 'Europe/Moscow', 'ru')).toContain('03:00');
  });

  it('falls back to UTC and English instead of failing on bad settings', () => {
    const options = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    expect(formatInZone(instant, 'Mars/Olympus', 'en-GB', options)).toBe('00:00');
    expect(formatInZone(instant, 'UTC', 'not a locale!', options)).toBe('00:00');
    expect(isValidTimeZone('Asia/Tokyo')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('per-user quota overrides', () => {
  it("lay a user's own limits over the role's, and a patch sets, keeps or removes each", () => {
    expect(limitsFor({ role: 'user', quotaOverrides: null }, DEFAULT_QUOTAS)).toEqual(DEFAULT_QUOTAS.user);
    expect(
      limitsFor({ role: 'user', quotaOverrides: { messagesPerDay: 0, imagesPerDay: 3 } }, DEFAULT_QUOTAS),
    ).toEqual({
      ...DEFAULT_QUOTAS.user,
      messagesPerDay: 0,
      imagesPerDay: 3,
    });
    expect(applyQuotaPatch(null, { messagesPerDay: 500 })).toEqual({ messagesPerDay: 500 });
    expect(applyQuotaPatch({ messagesPerDay: 500 }, { imagesPerDay: 0 })).toEqual({
      messagesPerDay: 500,
      imagesPerDay: 0,
    });
    expect(applyQuotaPatch({ messagesPerDay: 500, imagesPerDay: 0 }, { messagesPerDay: null })).toEqual({
      imagesPerDay: 0,
    });
    expect(applyQuotaPatch({ imagesPerDay: 0 }, { imagesPerDay: null })).toBeNull();
    expect(applyQuotaPatch(null, {})).toBeNull();
  });
});
