import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, eventBody, retryDelay, subscribes } from '../../src/domain/events.js';

describe('event retry rule', () => {
  const rule = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 5000 };

  it('doubles from the base, half fixed and half random, up to the ceiling, and gives up after the last attempt', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, rule, () => 0))).toEqual([500, 1000, 2000, 2500]);
    expect([1, 2, 3, 4].map((n) => retryDelay(n, rule, () => 1))).toEqual([1000, 2000, 4000, 5000]);
    expect(retryDelay(5, rule, () => 0.5)).toBeNull();
    expect(retryDelay(DEFAULT_RETRY.maxAttempts, DEFAULT_RETRY, Math.random)).toBeNull();
    expect(retryDelay(1, DEFAULT_RETRY, () => 1)).toBe(DEFAULT_RETRY.baseDelayMs);
  });
});

describe('event body and subscriptions', () => {
  it('is the JSON receivers get, versioned, with snake_case time', () => {
    const body = eventBody({
      id: 'e1',
      type: 'user.created',
      occurredAt: new Date('2026-01-01T00:00:00Z'),
      data: { user_id: 1 },
    });
    expect(JSON.parse(body)).toEqual({
      id: 'e1',
      type: 'user.created',
      version: 1,
      occurred_at: '2026-01-01T00:00:00.000Z',
      data: { user_id: 1 },
    });
  });

  it('takes every type without a filter, else only those listed', () => {
    expect(subscribes({ name: 'a', events: null }, 'backup.failed')).toBe(true);
    expect(subscribes({ name: 'a', events: ['user.created'] }, 'user.created')).toBe(true);
    expect(subscribes({ name: 'a', events: ['user.created'] }, 'user.banned')).toBe(false);
  });
});
