/**
 * `backup restore --force` while `botctl start` runs on the same database, as real processes
 * on both dialects: the restore is refused in one line (exit 75) before it changes anything (no
 * safety backup, rows untouched, the daemon keeps answering into the same database); once the
 * daemon has stopped, the same restore works. A rollback (`migrate down`) is refused the same way.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { daemonEnv, useDaemonFakes } from '../helpers/daemon-fakes.js';
import { backupFixture } from '../helpers/backup.js';
import { spawnCli } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';
import { waitFor } from '../helpers/ports.js';

const fakes = useDaemonFakes();
beforeAll(() => {
  fakes.gemini.respond = (req) => ({ text: `echo: ${req.lastUserText}` });
});

describe.each(DIALECTS)(
  'backup restore and migrate down while the bot runs (%s)',
  { timeout: 180_000 },
  (dialect) => {
    it('is refused in one line and changes nothing; after the bot stops it works', async () => {
      const fx = await backupFixture(dialect);
      try {
        await fx.seed(3);
        const created = await fx.json<{ id: string }>(['backup', 'create']);
        expect(created.exitCode, created.stderr).toBe(0);
        await fx.seed(2);
        const before = await fx.messages();
        expect(before).toHaveLength(5);

        const since = Date.now();
        const daemon = spawnCli(['start'], {
          ...fx.env,
          ...(await daemonEnv(fakes)),
        });
        try {
          await fakes.telegram.waitForCall('getUpdates', (c) => c.at >= since, 60_000);

          const refused = await fx.cli(['backup', 'restore', created.result.id, '--force']);
          expect(refused.exitCode, refused.stdout + refused.stderr).toBe(75);
          expect(refused.stderr).toMatch(/the bot is running on this database/i);
          expect(refused.stderr).toContain('botctl start');
          expect(refused.stderr).not.toMatch(/\n\s+at /);
          // Nothing changed: no safety backup, the rows as they were.
          expect(fx.stored()).toEqual([created.result.id]);
          expect(await fx.messages()).toEqual(before);

          // A rollback would drop tables under the running bot: refused the same way, before its backup.
          const statusBefore = await fx.json<{ current: number }>(['migrate', 'status']);
          const rollback = await fx.cli(['migrate', 'down', '--yes']);
          expect(rollback.exitCode, rollback.stdout + rollback.stderr).toBe(75);
          // oclif wraps the line to the terminal width: read it as one line.
          expect(rollback.stderr.replace(/\s*\n\s*›?\s*/g, ' ')).toMatch(
            /The bot is running on this database .*: a rollback now would drop tables the running bot uses/,
          );
          expect((await fx.json<{ current: number }>(['migrate', 'status'])).result.current).toBe(
            statusBefore.result.current,
          );
          expect(fx.stored()).toEqual([created.result.id]);

          if (dialect === 'postgres') {
            // A dropped connection drops its session lock: the daemon takes it again on a new one.
            const guards = `select pid from pg_stat_activity where application_name = 'botctl daemon guard' and datname = current_database()`;
            expect(await fx.rows(guards)).toHaveLength(1);
            await fx.rows(`select pg_terminate_backend(pid) from (${guards}) g`);
            await waitFor(async () => {
              const held = await fx.rows(
                `select 1 from pg_locks l join pg_stat_activity a using (pid) where l.locktype = 'advisory' and a.application_name = 'botctl daemon guard' and a.datname = current_database()`,
              );
              expect(held).toHaveLength(1);
            }, 30_000);
            const again = await fx.cli(['backup', 'restore', created.result.id, '--force']);
            expect(again.exitCode, again.stderr).toBe(75);
            expect(fx.stored()).toEqual([created.result.id]);
          }

          // The daemon still writes into the database a restart would read.
          const chat = dialect === 'sqlite' ? 8101 : 8102;
          fakes.telegram.pushUpdate(fakes.telegram.updates.text({ chatId: chat, text: 'still here' }));
          await waitFor(
            () => expect(fakes.telegram.sentMessages(chat)).toEqual(['echo: still here']),
            60_000,
          );
          await waitFor(async () => expect(await fx.messages()).toHaveLength(7), 30_000);
        } finally {
          daemon.kill('SIGTERM');
        }
        const stopped = await daemon;
        expect(stopped.exitCode, String(stopped.stderr).slice(-2000)).toBe(0);

        const restored = await fx.json(['backup', 'restore', created.result.id, '--force']);
        expect(restored.exitCode, restored.stderr).toBe(0);
        expect(await fx.messages()).toHaveLength(3);
      } finally {
        await fx.cleanup();
      }
    });
  },
);
