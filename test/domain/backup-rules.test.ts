import { describe, expect, it } from 'vitest';
import {
  backupId,
  checkNewPassphrase,
  compareSchema,
  formatBytes,
  parseAge,
  preMigrateDecision,
  selectForPrune,
} from '../../src/domain/backup-rules.js';
import type { MigrationStatus } from '../../src/domain/ports/index.js';

const DAY = 86_400_000;
const now = new Date('2026-03-01T12:00:00Z');
const ago = (days: number) => ({
  id: `d${days}`,
  createdAt: new Date(now.getTime() - days * DAY).toISOString(),
});
const ids = (items: Array<{ id: string }>) => items.map((item) => item.id);

describe('backup rules', () => {
  it('makes ids that sort by time and are safe as directory names', () => {
    expect(backupId(new Date('2026-01-31T09:05:07.123Z'), 'a1b2')).toBe('20260131-090507-a1b2');
    const [a, b] = [
      backupId(new Date('2026-01-31T23:59:59Z'), 'ffff'),
      backupId(new Date('2026-02-01T00:00:00Z'), '0000'),
    ];
    expect([b, a].sort()).toEqual([a, b]);
  });

  it('parses ages and refuses anything else with a usage hint', () => {
    expect(parseAge('30d')).toBe(30 * DAY);
    expect(parseAge('12h')).toBe(12 * 3_600_000);
    expect(parseAge('2w')).toBe(14 * DAY);
    expect(parseAge(' 90m ')).toBe(90 * 60_000);
    for (const bad of ['30', 'd', '0d', '-1d', '1y', 'soon']) {
      expect(() => parseAge(bad)).toThrow(
        expect.objectContaining({ code: 'USAGE', hint: expect.stringContaining('30d') }),
      );
    }
  });

  it('prunes beyond the newest N, by age, or only what both rules let go', () => {
    const backups = [ago(1), ago(40), ago(10), ago(50), ago(5)];
    const at = (b: { createdAt: string }) => b.createdAt;
    expect(ids(selectForPrune(backups, at, { keep: 2 }, now))).toEqual(['d10', 'd40', 'd50']);
    expect(ids(selectForPrune(backups, at, { olderThanMs: 30 * DAY }, now))).toEqual(['d40', 'd50']);
    // A cron that stalled for two months must not delete the last good copies.
    expect(
      ids(selectForPrune([ago(60), ago(61), ago(62)], at, { keep: 2, olderThanMs: 30 * DAY }, now)),
    ).toEqual(['d62']);
    expect(selectForPrune(backups, at, { keep: 10 }, now)).toEqual([]);
    expect(() => selectForPrune(backups, at, {}, now)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('compares a backup schema with the code', () => {
    const code = { id: 3, tag: '0003_x' };
    expect(compareSchema({ id: 3, tag: '0003_x' }, code)).toBe('same');
    expect(compareSchema({ id: 1, tag: '0001_x' }, code)).toBe('older');
    expect(compareSchema({ id: 4, tag: '0004_x' }, code)).toBe('newer');
    expect(compareSchema({ id: 0, tag: '0000_x' }, null)).toBe('newer');
  });

  it('backs up before migrating only a database that has applied migrations and something pending', () => {
    const status = (applied: boolean[]): MigrationStatus => ({
      dialect: 'sqlite',
      current: applied.lastIndexOf(true),
      latest: applied.length - 1,
      pending: applied.filter((a) => !a).length,
      migrations: applied.map((a, id) => ({ id, tag: `000${id}_m`, applied: a, appliedAt: a ? now : null })),
    });
    expect(preMigrateDecision(status([true, false]))).toBe('backup');
    expect(preMigrateDecision(status([false, false]))).toBe('empty-database');
    expect(preMigrateDecision(status([true, true]))).toBe('nothing-pending');
    expect(preMigrateDecision(status([true, true, false]), 1)).toBe('nothing-pending');
    expect(preMigrateDecision(status([true, false, false]), 1)).toBe('backup');
  });

  it('wants passphrases of at least 8 characters and formats sizes', () => {
    expect(() => checkNewPassphrase('short')).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => checkNewPassphrase('long enough')).not.toThrow();
    expect(() => checkNewPassphrase(undefined)).not.toThrow();
    expect([formatBytes(512), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual([
      '512 B',
      '1.5 KiB',
      '5.0 GiB',
    ]);
  });
});
