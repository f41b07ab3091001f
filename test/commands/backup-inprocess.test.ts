/**
 * The backup command classes in-process (so coverage sees them and the adapters under them),
 * including what a piped process never shows: the listr2 progress in a terminal. Also the
 * edges: a backup from the other dialect, damaged manifests, passphrase rules, NOT_FOUND.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import BackupCreate from '../../src/commands/backup/create.js';
import BackupList from '../../src/commands/backup/list.js';
import BackupPrune from '../../src/commands/backup/prune.js';
import BackupRestore from '../../src/commands/backup/restore.js';
import BackupVerify from '../../src/commands/backup/verify.js';
import MigrateUp from '../../src/commands/migrate/up.js';
import { backupFixture, latestSchema, type BackupFixture } from '../helpers/backup.js';
import { DIALECTS } from '../helpers/db.js';
import { runInProcess, type Runnable } from '../helpers/run-command.js';

/** Runs a backup command in this process with the fixture's data dir and database. */
async function run(fx: BackupFixture, command: Runnable, argv: string[], options: { tty?: boolean } = {}) {
  const ran = await runInProcess(command, argv, { ...options, env: fx.env });
  return { ...ran, json: argv.includes('--json') ? ran.json() : undefined };
}

describe.each(DIALECTS)('backup commands in-process on %s', { timeout: 120_000 }, (dialect) => {
  let fx: BackupFixture;
  afterEach(async () => {
    vi.unstubAllEnvs();
    await fx?.cleanup();
  });

  it('show progress in a terminal and human lines for every command', async () => {
    fx = await backupFixture(dialect);
    await fx.seed(100);
    const created = await run(fx, BackupCreate, [], { tty: true });
    expect(created.exitCode).toBe(0);
    expect(created.stdout).toContain('Backing up');
    expect(created.stdout).toMatch(/Backup \S+ written to /);
    const schema = latestSchema(dialect);
    expect(created.stdout).toContain(`schema ${schema.id} ${schema.tag}, not encrypted`);
    const [id] = fx.stored();

    const listed = await run(fx, BackupList, []);
    expect(listed.stdout).toMatch(
      new RegExp(`^ID +CREATED +DIALECT +SCHEMA +SIZE +ENCRYPTED +REASON\\n${id} `),
    );
    expect((await run(fx, BackupVerify, [id!], { tty: true })).stdout).toContain(`Backup ${id} is good`);

    const restored = await run(fx, BackupRestore, [id!, '--force'], { tty: true });
    expect(restored.stdout).toContain(`Restored backup ${id}`);
    expect(restored.stdout).toContain('Safety backup of the replaced database');

    const pruned = await run(fx, BackupPrune, ['--keep', '1', '--yes']);
    expect(pruned.stdout).toContain(`Deleted ${id}`);
    expect(pruned.stdout).toContain('Deleted 1, kept 1.');
    expect((await run(fx, MigrateUp, [])).stdout).toContain('Database is up to date.');
  });

  it('refuses a backup of the other dialect, a damaged manifest and an unknown id', async () => {
    fx = await backupFixture(dialect);
    await fx.seed(5);
    const other = await backupFixture(dialect === 'sqlite' ? 'postgres' : 'sqlite');
    try {
      await other.seed(5);
      const foreign = await run(other, BackupCreate, ['--json', '--no-verify']);
      const mismatch = await run(fx, BackupRestore, [String(foreign.json?.result.path), '--force', '--json']);
      expect(mismatch.json?.error).toMatchObject({
        code: 'USAGE',
        message: expect.stringContaining('backup, but'),
      });
    } finally {
      await other.cleanup();
    }
    const created = await run(fx, BackupCreate, ['--json', '--no-verify']);
    const dir = String(created.json?.result.path);
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{"format":1,"id":"x"}');
    const damaged = await run(fx, BackupVerify, [path.join(dir, 'manifest.json'), '--json']);
    expect(damaged.json?.error).toMatchObject({
      code: 'BACKUP_CORRUPT',
      message: expect.stringContaining('damaged'),
    });
    const listed = await run(fx, BackupList, []);
    expect(listed.stdout).toContain('No backups in');
    expect(listed.stderr).toContain('has no readable manifest.json');
    const unknown = await run(fx, BackupVerify, ['no-such-backup', '--json']);
    expect(unknown.json?.error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('checks passphrases: too short to encrypt, an unreadable passphrase file', async () => {
    fx = await backupFixture(dialect);
    await fx.seed(5);
    const short = await run(fx, BackupCreate, ['--passphrase', 'short', '--json']);
    expect(short.json?.error).toMatchObject({ code: 'USAGE', message: expect.stringContaining('too short') });
    const missing = await run(fx, BackupCreate, [
      '--passphrase-file',
      path.join(fx.dataDir, 'nope'),
      '--json',
    ]);
    expect(missing.json?.error).toMatchObject({ code: 'USAGE', message: expect.stringContaining('ENOENT') });
    vi.stubEnv('BOTCTL_BACKUP_PASSPHRASE_FILE', path.join(fx.dataDir, 'key'));
    fs.writeFileSync(path.join(fx.dataDir, 'key'), 'from the env file\r\nignored');
    const sealed = await run(fx, BackupCreate, ['--json']);
    expect(sealed.json?.result).toMatchObject({ encrypted: true, verified: true });
    expect(fx.stored()).toHaveLength(1);
  });
});
