/**
 * `start --auto-migrate` (the Docker image's and the k8s template's command) takes the same
 * verified backup `migrate up` takes before it changes a database with applied migrations.
 */
import { describe, expect, it } from 'vitest';
import { daemonEnv, useDaemonFakes } from '../helpers/daemon-fakes.js';
import { backupFixture, latestSchema } from '../helpers/backup.js';
import { spawnCli } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';

const fakes = useDaemonFakes();

describe.each(DIALECTS)('start --auto-migrate (%s)', { timeout: 180_000 }, (dialect) => {
  it('backs up a database with a pending migration before migrating it', async () => {
    const fx = await backupFixture(dialect, { migrate: false });
    try {
      const latest = latestSchema(dialect).id;
      const older = await fx.json(['migrate', 'up', '--to', String(latest - 1)]);
      expect(older.exitCode, older.stderr).toBe(0);
      await fx.seed(3);
      expect(fx.stored()).toEqual([]);

      const since = Date.now();
      const daemon = spawnCli(['start', '--auto-migrate'], {
        ...fx.env,
        ...(await daemonEnv(fakes)),
      });
      try {
        await fakes.telegram.waitForCall('getUpdates', (c) => c.at >= since, 60_000);
      } finally {
        daemon.kill('SIGTERM');
      }
      const run = await daemon;
      expect(run.exitCode, String(run.stderr).slice(-2000)).toBe(0);
      expect(String(run.stdout)).toContain('"msg":"backed up before migrating"');

      const list = await fx.json<{
        backups: Array<{ reason: string; schema: { id: number }; path: string }>;
      }>(['backup', 'list']);
      expect(list.result.backups).toMatchObject([{ reason: 'pre-migrate', schema: { id: latest - 1 } }]);
      const verified = await fx.json(['backup', 'verify', list.result.backups[0]!.path]);
      expect(verified.exitCode, verified.stderr).toBe(0);
      const status = await fx.json<{ current: number }>(['migrate', 'status']);
      expect(status.result.current).toBe(latest);
    } finally {
      await fx.cleanup();
    }
  });
});
