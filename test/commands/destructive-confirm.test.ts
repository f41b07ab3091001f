/**
 * Commands that destroy data ask first: `migrate down`, `backup prune` and `users forget`, as processes. Through
 * a pipe (cron, a script) there is nobody to ask, so without --yes they exit 2 naming --yes and
 * change nothing; in a pseudo-terminal they list what goes and ask (Enter means no). `migrate
 * down` backs up first, and a negative --to (which used to drop every table) is a usage error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { backupFixture, latestSchema, type BackupFixture } from '../helpers/backup.js';
import { spawnInPty } from '../helpers/pty.js';

const SLOW = 180_000;

interface Manifest {
  reason: string;
  schema: { id: number };
}

describe(
  'migrate down, backup prune and users forget ask before destroying anything',
  { timeout: SLOW },
  () => {
    let fx: BackupFixture | undefined;
    afterEach(async () => {
      await fx?.cleanup();
      fx = undefined;
    });

    const current = async () => {
      const status = await fx!.json<{ current: number }>(['migrate', 'status']);
      return status.result.current;
    };
    const manifests = async () => {
      const list = await fx!.json<{ backups: Manifest[] }>(['backup', 'list']);
      return list.result.backups;
    };

    it('migrate down: refused through a pipe without --yes and for a negative --to; with --yes it backs up first', async () => {
      fx = await backupFixture('sqlite');
      await fx.seed(4);
      const latest = latestSchema('sqlite').id;

      for (const args of [
        ['migrate', 'down'],
        ['migrate', 'down', '--to', '0'],
        ['migrate', 'down', '--json'],
      ]) {
        const refused = await fx.cli(args);
        expect(refused.exitCode, refused.stderr).toBe(2);
        expect(refused.stderr + refused.stdout).toContain('--yes'); // --json: the error is the envelope on stdout
      }
      for (const to of ['-1', '-5']) {
        const negative = await fx.cli(['migrate', 'down', '--to', to, '--yes']);
        expect(negative.exitCode, negative.stderr).toBe(2);
        expect(negative.stderr).toContain(`--to ${to} is not a migration id`);
      }
      expect(await current()).toBe(latest);
      expect(fx.stored()).toEqual([]);

      const down = await fx.json<{ reverted: string[]; current: number; backup: { id: string } | null }>([
        'migrate',
        'down',
        '--yes',
      ]);
      expect(down.exitCode, down.stderr).toBe(0);
      expect(down.result.reverted).toHaveLength(1);
      expect(down.result.current).toBe(latest - 1);
      expect(fx.stored()).toEqual([down.result.backup!.id]);
      expect(await manifests()).toMatchObject([{ reason: 'pre-rollback', schema: { id: latest } }]);
      expect(await fx.messages()).toHaveLength(4);
    });

    it('migrate down in a terminal: lists what goes and asks; Enter keeps everything, "y" rolls back after a backup', async () => {
      fx = await backupFixture('sqlite');
      const latest = latestSchema('sqlite').id;

      const declined = spawnInPty(['migrate', 'down', '--to', String(latest - 2)], fx.env);
      await declined.expect(`Roll back 2 migration(s) to ${latest - 2} after a backup? [y/N]`);
      declined.type('');
      expect(await declined.exitCode).toBe(1);
      expect(declined.output).toContain('Nothing was rolled back.');
      expect(await current()).toBe(latest);
      expect(fx.stored()).toEqual([]);

      const session = spawnInPty(['migrate', 'down'], fx.env);
      await session.expect('newest first');
      await session.expect(`Roll back 1 migration(s) to ${latest - 1} after a backup? [y/N]`);
      session.type('y');
      await session.expect('Backed up the database first');
      await session.expect('Rolled back 1');
      expect(await session.exitCode).toBe(0);
      expect(await current()).toBe(latest - 1);
      expect(await manifests()).toMatchObject([{ reason: 'pre-rollback' }]);
    });

    it('backup prune: refused through a pipe without --yes; in a terminal it lists and asks, "yes" deletes', async () => {
      fx = await backupFixture('sqlite');
      await fx.seed(2);
      const ids: string[] = [];
      for (let n = 0; n < 2; n++)
        ids.push((await fx.json<{ id: string }>(['backup', 'create', '--no-verify'])).result.id);

      for (const args of [
        ['backup', 'prune', '--keep', '0'],
        ['backup', 'prune', '--older-than', '1m', '--json'],
      ]) {
        const refused = await fx.cli(args);
        expect(refused.exitCode, refused.stderr).toBe(2);
        expect(refused.stderr + refused.stdout).toContain('--yes'); // --json: the error is the envelope on stdout
      }
      const dry = await fx.json<{ removed: unknown[] }>(['backup', 'prune', '--keep', '0', '--dry-run']);
      expect(dry.exitCode).toBe(0);
      expect(dry.result.removed).toHaveLength(2);
      expect(fx.stored()).toEqual([...ids].sort());

      const declined = spawnInPty(['backup', 'prune', '--keep', '0'], fx.env);
      await declined.expect('Delete all 2 backups, leaving none? [y/N]');
      declined.type('n');
      expect(await declined.exitCode).toBe(1);
      expect(declined.output).toContain('Nothing was deleted.');
      expect(fx.stored()).toEqual([...ids].sort());

      const session = spawnInPty(['backup', 'prune', '--keep', '0'], fx.env);
      for (const id of [...ids].reverse()) await session.expect(id); // newest first
      await session.expect('Delete all 2 backups, leaving none? [y/N]');
      session.type('yes');
      await session.expect('Deleted 2, kept 0.');
      expect(await session.exitCode).toBe(0);
      expect(fx.stored()).toEqual([]);
    });

    it('users forget: refused through a pipe without --yes; in a terminal it names the user and asks, Enter keeps them', async () => {
      fx = await backupFixture('sqlite');
      await fx.seed(2);
      const user = async () => fx!.db.repos.users.getByTelegramId(42);

      const refused = await fx.cli(['users', 'forget', '42']);
      expect(refused.exitCode, refused.stderr).toBe(2);
      expect(refused.stderr).toContain('--yes');
      expect(await user()).not.toBeNull();

      const declined = spawnInPty(['users', 'forget', '42'], fx.env);
      await declined.expect('user 42 (Backup @backup)');
      await declined.expect('Delete user 42? [y/N]');
      declined.type('');
      expect(await declined.exitCode).toBe(1);
      expect(declined.output).toContain('Nothing was deleted.');
      expect(await user()).not.toBeNull();

      const session = spawnInPty(['users', 'forget', '42'], fx.env);
      await session.expect('Delete user 42? [y/N]');
      session.type('y');
      await session.expect('Deleted user 42');
      expect(await session.exitCode).toBe(0);
      expect(await user()).toBeNull();
    });
  },
);
