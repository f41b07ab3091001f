/**
 * `botctl backup create|list|verify|restore|prune` as processes (the built CLI) on real SQLite
 * and PostgreSQL, every result read from the --json envelope, every outcome checked in the
 * database and the backup directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backupFixture,
  editManifest,
  latestSchema,
  payloadOf,
  sha256Of,
  type BackupFixture,
} from '../helpers/backup.js';
import { DIALECTS } from '../helpers/db.js';
import { shapeMismatches } from '../helpers/json-shape.js';

/** Each test runs the CLI several times; a loaded CI box needs seconds per process. */
const SLOW = 400_000;

interface Created {
  id: string;
  path: string;
  dialect: string;
  schema: { id: number; tag: string };
  encrypted: boolean;
  bytes: number;
  sha256: string;
  durationMs: number;
  verified: boolean;
  reason: string;
}

const PASSPHRASE = 'correct horse battery staple';

describe.each(DIALECTS)('botctl backup on %s', { timeout: SLOW }, (dialect) => {
  let fx: BackupFixture;
  let conversationId: number;
  beforeEach(async () => {
    fx = await backupFixture(dialect);
    ({ conversationId } = await fx.seed(300));
  });
  afterEach(async () => fx?.cleanup());

  it('creates, lists, verifies and restores a backup; the rows after restore equal the rows backed up', async () => {
    const before = await fx.messages();
    const created = await fx.json<Created>(['backup', 'create']);
    expect(created).toMatchObject({ exitCode: 0, status: 'ok' });
    const backup = created.result;
    expect(backup).toMatchObject({
      dialect,
      schema: latestSchema(dialect),
      encrypted: false,
      verified: true,
    });
    expect(backup.path).toBe(path.join(fx.backupDir, backup.id));
    expect(sha256Of(payloadOf(backup.path))).toBe(backup.sha256);
    expect(fs.statSync(payloadOf(backup.path)).size).toBe(backup.bytes);
    expect(shapeMismatches('backup create', backup)).toEqual([]);

    const listed = await fx.json<{ backups: Created[] }>(['backup', 'list']);
    expect(listed.result.backups.map((b) => [b.id, b.encrypted, b.reason])).toEqual([
      [backup.id, false, 'manual'],
    ]);
    const verified = await fx.json<{ checks: string[] }>(['backup', 'verify', backup.id]);
    expect(verified).toMatchObject({ exitCode: 0, status: 'ok' });
    expect(verified.result.checks).toContain('migration ledger');
    expect(shapeMismatches('backup list', listed.result)).toEqual([]);
    expect(shapeMismatches('backup verify', verified.result)).toEqual([]);

    await fx.db.raw('delete from messages where id > ?', [100]);
    await fx.db.raw('insert into messages (conversation_id, role, content, created_at) values (?, ?, ?, ?)', [
      conversationId,
      'user',
      'written after the backup',
      dialect === 'sqlite' ? Date.now() : new Date(),
    ]);
    const changed = await fx.messages();

    const refused = await fx.json(['backup', 'restore', backup.id]);
    expect(refused).toMatchObject({ exitCode: 2, status: 'error', error: { code: 'USAGE' } });
    expect(refused.error?.message).toContain('without --force');
    expect(await fx.messages()).toEqual(changed);
    expect(fx.stored()).toEqual([backup.id]);

    const restored = await fx.json<{ safetyBackup: { id: string }; compatibility: string }>([
      'backup',
      'restore',
      backup.id,
      '--force',
    ]);
    expect(restored).toMatchObject({
      exitCode: 0,
      status: 'ok',
      result: { compatibility: 'same', next: null },
    });
    expect(await fx.messages()).toEqual(before);
    expect(shapeMismatches('backup restore', restored.result)).toEqual([]);

    // The safety backup holds what the restore replaced.
    const safety = restored.result.safetyBackup.id;
    expect(fx.stored()).toEqual([backup.id, safety].sort());
    await fx.json(['backup', 'restore', safety, '--force']);
    expect(await fx.messages()).toEqual(changed);
  });

  it('encrypts with a passphrase; a missing or wrong one fails in one line and changes nothing', async () => {
    const secret = { BOTCTL_BACKUP_PASSPHRASE: PASSPHRASE };
    const created = await fx.json<Created>(['backup', 'create'], secret);
    expect(created.result).toMatchObject({ encrypted: true, verified: true });
    const payload = payloadOf(created.result.path);
    expect(payload.endsWith('.enc')).toBe(true);
    expect(fs.readFileSync(payload).subarray(0, 8).toString()).toBe('BOTCTLE1');

    const missing = await fx.json(['backup', 'verify', created.result.id]);
    expect(missing).toMatchObject({ exitCode: 1, error: { code: 'BACKUP_PASSPHRASE' } });
    const wrong = await fx.cli(['backup', 'verify', created.result.id, '--passphrase', 'not the passphrase']);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain('Wrong passphrase');
    expect(wrong.stderr).toContain('Code: BACKUP_PASSPHRASE');
    expect(wrong.stderr.match(/Error:/g)).toHaveLength(1);

    await fx.db.raw('delete from messages where id > ?', [10]);
    const changed = await fx.messages();
    const badRestore = await fx.json([
      'backup',
      'restore',
      created.result.id,
      '--force',
      '--passphrase',
      'nope nope',
    ]);
    expect(badRestore).toMatchObject({ exitCode: 1, error: { code: 'BACKUP_PASSPHRASE' } });
    expect(await fx.messages()).toEqual(changed);
    expect(fx.stored()).toEqual([created.result.id]);

    const keyFile = path.join(fx.dataDir, 'backup-key.txt');
    fs.writeFileSync(keyFile, `${PASSPHRASE}\n`);
    const restored = await fx.json<{ safetyBackup: { id: string } }>([
      'backup',
      'restore',
      created.result.id,
      '--force',
      '--passphrase-file',
      keyFile,
    ]);
    expect(restored).toMatchObject({ status: 'ok' });
    expect(await fx.messages()).toHaveLength(300);
    const listed = await fx.json<{ backups: Created[] }>(['backup', 'list']);
    const safety = listed.result.backups.find((b) => b.id === restored.result.safetyBackup.id);
    expect(safety).toMatchObject({ reason: 'pre-restore', encrypted: true });
  });

  it('prunes: --dry-run deletes nothing, --older-than goes by age, --keep N keeps the newest N', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1)
      ids.push((await fx.json<Created>(['backup', 'create', '--no-verify'])).result.id);
    expect(fx.stored()).toEqual([...ids].sort());

    const dry = await fx.json<{ removed: Created[]; kept: number }>([
      'backup',
      'prune',
      '--keep',
      '1',
      '--dry-run',
    ]);
    expect(dry.result.removed.map((b) => b.id).sort()).toEqual([ids[0], ids[1]].sort());
    expect(fx.stored()).toHaveLength(3);

    editManifest(path.join(fx.backupDir, ids[0]!), (m) => {
      m.createdAt = new Date(Date.now() - 40 * 86_400_000).toISOString();
    });
    const old = await fx.json<{ removed: Created[] }>(['backup', 'prune', '--older-than', '30d', '--yes']);
    expect(old.result.removed.map((b) => b.id)).toEqual([ids[0]]);
    expect(fx.stored()).toEqual([ids[1], ids[2]].sort());

    const kept = await fx.json<{ removed: Created[]; kept: number }>([
      'backup',
      'prune',
      '--keep',
      '1',
      '--yes',
    ]);
    expect(kept.result).toMatchObject({ kept: 1, dryRun: false });
    expect(shapeMismatches('backup prune', kept.result)).toEqual([]);
    expect(fx.stored()).toEqual([ids[2]]);

    const bad = await fx.json(['backup', 'prune', '--older-than', 'soon']);
    expect(bad).toMatchObject({ exitCode: 2, error: { code: 'USAGE' } });
    expect(fx.stored()).toEqual([ids[2]]);
  });

  /** An empty place to restore into: a new PostgreSQL database, or a SQLite path in a directory that does not exist yet. */
  async function emptyTarget() {
    const target = await backupFixture(dialect, { migrate: false });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-fresh-'));
    const url = dialect === 'sqlite' ? path.join(dir, 'db', 'new.sqlite') : target.db.url;
    return {
      url,
      target,
      restore: (ref: string) =>
        fx.json<{ safetyBackup: null; replacedExisting: boolean }>(['backup', 'restore', ref], {
          BOTCTL_DATABASE_URL: url,
          BOTCTL_DATA_DIR: target.dataDir,
        }),
      async cleanup() {
        await target.cleanup();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  it('restores into an empty database without --force, by path', async () => {
    const created = await fx.json<Created>(['backup', 'create']);
    const before = await fx.messages();
    const empty = await emptyTarget();
    try {
      const restored = await empty.restore(created.result.path);
      expect(restored.result).toMatchObject({ safetyBackup: null, replacedExisting: false });
      expect(await fx.messages(empty.url)).toEqual(before);
      expect(empty.target.stored()).toEqual([]);
    } finally {
      await empty.cleanup();
    }
  });

  it('a backup taken while a writer inserts messages verifies and restores to one point in time', async () => {
    const { conversationId: live } = await fx.seed(20_000);
    let stop = false;
    let written = 0;
    const writer = (async () => {
      while (!stop) {
        await fx.db.repos.conversations.appendMessage({
          conversationId: live,
          role: 'user',
          content: `live ${written}`,
        });
        written += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    let created: Awaited<ReturnType<typeof fx.json<Created>>>;
    let writtenByEnd: number;
    try {
      created = await fx.json<Created>(['backup', 'create']);
      writtenByEnd = written;
    } finally {
      stop = true;
      await writer;
    }
    expect(created.result.verified).toBe(true);
    expect(writtenByEnd).toBeGreaterThan(0);
    expect(await fx.json(['backup', 'verify', created.result.id])).toMatchObject({ status: 'ok' });

    const empty = await emptyTarget();
    try {
      expect(await empty.restore(created.result.path)).toMatchObject({ status: 'ok' });
      const restored = await fx.messages(empty.url);
      const current = await fx.messages();
      // One point in time: exactly the first N rows the writer had committed, nothing torn or missing.
      expect(restored.length).toBeGreaterThanOrEqual(20_300);
      expect(restored.length).toBeLessThanOrEqual(20_300 + writtenByEnd);
      expect(restored).toEqual(current.slice(0, restored.length));
    } finally {
      await empty.cleanup();
    }
  });
});
