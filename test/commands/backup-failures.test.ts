/**
 * How `botctl backup` fails: damaged and truncated archives, a schema from the future, the
 * cron lock, an unwritable backup dir, missing PostgreSQL client tools. Each is one coded
 * error, a non-zero exit, and nothing half-written: the database and the store are unchanged.
 */
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupFixture, editManifest, payloadOf, sha256Of, type BackupFixture } from '../helpers/backup.js';
import { DIALECTS } from '../helpers/db.js';

/** Each test runs the CLI several times; a loaded CI box needs seconds per process. */
const SLOW = 400_000;

interface Created {
  id: string;
  path: string;
}

describe.each(DIALECTS)('botctl backup failures on %s', { timeout: SLOW }, (dialect) => {
  let fx: BackupFixture;
  beforeEach(async () => {
    fx = await backupFixture(dialect);
    await fx.seed(2000);
  });
  afterEach(async () => fx?.cleanup());

  const create = async () => (await fx.json<Created>(['backup', 'create'])).result;

  /** Verify and restore --force both fail with `code`; the database and the store stay as they were. */
  async function expectRejected(backup: Created, code: string, text: string) {
    await fx.db.raw('delete from messages where id > ?', [1500]);
    const rows = await fx.messages();
    const stored = fx.stored();
    const verify = await fx.cli(['backup', 'verify', backup.id]);
    expect(verify.exitCode).toBe(1);
    expect(verify.stderr).toContain(`Code: ${code}`);
    expect(verify.stderr).toContain(text);
    expect(verify.stderr.match(/Error:/g)).toHaveLength(1);
    const restore = await fx.json(['backup', 'restore', backup.id, '--force']);
    expect(restore).toMatchObject({ exitCode: 1, status: 'error', error: { code } });
    expect(await fx.messages()).toEqual(rows);
    expect(fx.stored()).toEqual(stored);
    expect(fs.readdirSync(fx.backupDir).filter((name) => name.startsWith('.'))).toEqual([]);
  }

  it('a backup with flipped bytes is BACKUP_CORRUPT', async () => {
    const backup = await create();
    const payload = payloadOf(backup.path);
    const bytes = fs.readFileSync(payload);
    for (const at of [100, Math.floor(bytes.length / 2), bytes.length - 40]) bytes[at] = bytes[at]! ^ 0xff;
    fs.writeFileSync(payload, bytes);
    await expectRejected(backup, 'BACKUP_CORRUPT', 'checksum mismatch');
  });

  it('a truncated backup is BACKUP_CORRUPT, even when its manifest was rewritten to match', async () => {
    const backup = await create();
    const payload = payloadOf(backup.path);
    fs.truncateSync(payload, Math.floor(fs.statSync(payload).size * 0.6));
    await expectRejected(backup, 'BACKUP_CORRUPT', 'truncated');
    editManifest(backup.path, (m) => {
      m.payload = { ...(m.payload as object), bytes: fs.statSync(payload).size, sha256: sha256Of(payload) };
    });
    // Now only opening the copy can tell: gunzip or pg_restore hits the cut.
    const open = await fx.json(['backup', 'verify', backup.id]);
    expect(open).toMatchObject({ exitCode: 1, error: { code: 'BACKUP_CORRUPT' } });
  });

  it('refuses a backup whose schema is newer than this botctl (SCHEMA_NEWER) before touching anything', async () => {
    await fx.db.raw('insert into botctl_migrations (id, tag, hash, applied_at) values (?, ?, ?, ?)', [
      99,
      '0099_from_the_future',
      'f'.repeat(64),
      dialect === 'sqlite' ? Date.now() : new Date(),
    ]);
    const backup = await create();
    const listed = await fx.json<{ backups: Array<{ schema: { id: number } }> }>(['backup', 'list']);
    expect(listed.result.backups[0]?.schema.id).toBe(99);
    const restore = await fx.json(['backup', 'restore', backup.id, '--force']);
    expect(restore).toMatchObject({ exitCode: 1, error: { code: 'SCHEMA_NEWER' } });
    expect(restore.error?.hint).toContain('upgrade botctl');
    expect(fx.stored()).toEqual([backup.id]);
  });

  it('a second run while another process holds the lock exits 75; a lock left by a killed process is taken over', async () => {
    fs.mkdirSync(fx.backupDir, { recursive: true });
    const lock = path.join(fx.backupDir, '.lock');
    const holder = execa('sleep', ['30']);
    try {
      fs.writeFileSync(
        lock,
        JSON.stringify({ pid: holder.pid, host: os.hostname(), since: new Date().toISOString() }),
      );
      for (const args of [
        ['backup', 'create'],
        ['backup', 'prune', '--keep', '1', '--yes'],
        ['backup', 'restore', 'x', '--force'],
      ]) {
        const run = await fx.cli(args);
        expect(run.exitCode).toBe(75);
        expect(run.stderr).toContain('already running');
        expect(run.stderr).toContain('Code: LOCKED');
      }
      expect(fx.stored()).toEqual([]);
    } finally {
      holder.kill('SIGKILL');
      await holder.catch(() => undefined);
    }
    // The holder died without releasing (kill -9): its PID no longer runs, so the next run proceeds.
    expect(fs.existsSync(lock)).toBe(true);
    const created = await fx.json<Created>(['backup', 'create']);
    expect(created.exitCode).toBe(0);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('an unwritable backup dir is BACKUP_FAILED and leaves nothing behind', async () => {
    const blocker = path.join(fx.dataDir, 'not-a-dir');
    fs.writeFileSync(blocker, 'a file where the backup dir should be');
    const run = await fx.json(['backup', 'create'], { BOTCTL_BACKUP_DIR: path.join(blocker, 'backups') });
    expect(run).toMatchObject({ exitCode: 1, error: { code: 'BACKUP_FAILED' } });
    expect(run.error?.message).toContain(path.join(blocker, 'backups'));
    expect(run.error?.hint).toContain('BOTCTL_BACKUP_DIR');
    expect(fs.readFileSync(blocker, 'utf8')).toBe('a file where the backup dir should be');
    expect(fs.existsSync(fx.backupDir)).toBe(false);
  });
});

describe('botctl backup without the PostgreSQL client tools', { timeout: SLOW }, () => {
  let fx: BackupFixture;
  beforeEach(async () => {
    fx = await backupFixture('postgres');
    await fx.seed(10);
  });
  afterEach(async () => fx?.cleanup());

  it('says which package to install when pg_dump or pg_restore is missing, and writes nothing', async () => {
    const noTools = { PATH: '/nonexistent' };
    const run = await fx.json(['backup', 'create'], noTools);
    expect(run).toMatchObject({ exitCode: 1, error: { code: 'BACKUP_FAILED' } });
    expect(run.error?.message).toContain('pg_dump was not found');
    expect(run.error?.hint).toContain('apt-get install postgresql-client');
    expect(fs.readdirSync(fx.backupDir)).toEqual([]);

    const created = await fx.json<Created>(['backup', 'create']);
    const verify = await fx.json(['backup', 'verify', created.result.id], noTools);
    expect(verify).toMatchObject({ exitCode: 1, error: { code: 'BACKUP_FAILED' } });
    expect(verify.error?.message).toContain('pg_restore was not found');
  });
});
