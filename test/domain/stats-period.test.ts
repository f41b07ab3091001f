import { describe, expect, it } from 'vitest';
import { parsePeriod, periodDayList } from '../../src/domain/stats-period.js';

const NOW = new Date('2025-06-07T15:30:00Z');
const iso = (p: { since: Date; until: Date; days: number }) => [
  p.since.toISOString(),
  p.until.toISOString(),
  p.days,
];

describe('parsePeriod', () => {
  it('counts N days or weeks back from the last day, including it, up to now', () => {
    expect(iso(parsePeriod({}, NOW))).toEqual(['2025-05-09T00:00:00.000Z', NOW.toISOString(), 30]);
    expect(iso(parsePeriod({ since: '1d' }, NOW))).toEqual([
      '2025-06-07T00:00:00.000Z',
      NOW.toISOString(),
      1,
    ]);
    expect(iso(parsePeriod({ since: ' 2W ' }, NOW))).toEqual([
      '2025-05-25T00:00:00.000Z',
      NOW.toISOString(),
      14,
    ]);
  });

  it('takes dates, with --until as the last day, inclusive', () => {
    expect(iso(parsePeriod({ since: '2025-06-01', until: '2025-06-07' }, NOW))).toEqual([
      '2025-06-01T00:00:00.000Z',
      '2025-06-08T00:00:00.000Z',
      7,
    ]);
    expect(iso(parsePeriod({ since: '3d', until: '2024-03-01' }, NOW))).toEqual([
      '2024-02-28T00:00:00.000Z',
      '2024-03-02T00:00:00.000Z',
      3,
    ]);
    // A period ending exactly at midnight ends with the day before it.
    expect(parsePeriod({ since: '1d' }, new Date('2025-06-08T00:00:00Z')).since.toISOString()).toBe(
      '2025-06-07T00:00:00.000Z',
    );
  });

  it('rejects bad values with a USAGE error naming the flag', () => {
    const bad = (input: { since?: string; until?: string }) => {
      try {
        parsePeriod(input, NOW);
      } catch (error) {
        return [(error as { code: string }).code, (error as Error).message];
      }
      return null;
    };
    expect(bad({ since: 'yesterday' })).toEqual([
      'USAGE',
      'Invalid --since "yesterday": expected a number of days (30d), weeks (4w) or a date (YYYY-MM-DD)',
    ]);
    expect(bad({ since: '0d' })?.[1]).toBe('Invalid --since "0d": expected 1 to 3660 days');
    expect(bad({ since: '600w' })?.[1]).toBe('Invalid --since "600w": expected 1 to 3660 days');
    expect(bad({ since: '2025-02-30' })?.[0]).toBe('USAGE');
    expect(bad({ until: '06/07/2025' })?.[1]).toBe(
      'Invalid --until "06/07/2025": expected a date (YYYY-MM-DD)',
    );
    expect(bad({ since: '2025-06-10' })?.[1]).toBe(
      'Invalid --since "2025-06-10": expected a start before the end of the period',
    );
    expect(bad({ since: '1990-01-01' })?.[1]).toBe(
      'Invalid --since "1990-01-01": expected a period of at most 3660 days',
    );
  });

  it('lists every day of the period', () => {
    expect(periodDayList(parsePeriod({ since: '2025-02-27', until: '2025-03-01' }, NOW))).toEqual([
      '2025-02-27',
      '2025-02-28',
      '2025-03-01',
    ]);
  });
});
