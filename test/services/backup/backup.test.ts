/**
 * The backup service in-process over the real adapters (backup directory, SQLite online
 * backup, pg_dump/pg_restore) on both dialects: the decision `migrate up` takes, a backup
 * older than the code, and damage found while decoding, where the CLI tests cannot reach.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabaseGuard } from '../../../src/adapters/db/guard.js';
import { createSnapshotChecker, createSnapshotter } from '../../../src/adapters/db/snapshot.js';
import { createBackupStore } from '../../../src/adapters/system/archive.js';
import { createPgTools } from '../../../src/adapters/system/pg-tools.js';
import { loadConfig } from '../../../src/config/config.js';
import { createApp } from '../../../src/app/index.js';
import type { MigrationStatus, SchemaVersion } from '../../../src/domain/ports/index.js';
import { createBackupService, type BackupService } from '../../../src/services/backup/index.js';
import {
  backupFixture,
  editManifest,
  latestSchema,
  payloadOf,
  sha256Of,
  type BackupFixture,
} from '../../helpers/backup.js';
import { DIALECTS } from '../../helpers/db.js';

const PASSPHRASE = 'service test passphrase';

describe.each(DIALECTS)('backup service on %s', { timeout: 120_000 }, (dialect) => {
  let fx: BackupFixture;
  let service: BackupService;
  let codeSchema: SchemaVersion | null;
  let clock: Date;
  beforeEach(async () => {
    fx = await backupFixture(dialect);
    await fx.seed(50);
    codeSchema = latestSchema(dialect);
    clock = new Date('2026-05-01T10:00:00Z');
    const tools = createPgTools();
    service = createBackupService({
      store: createBackupStore(fx.backupDir),
      snapshotter: () => createSnapshotter(fx.db.url, tools),
      checker: createSnapshotChecker(tools),
      guard: () => createDatabaseGuard(fx.db.url),
      codeSchema: () => codeSchema,
      botctlVersion: '9.9.9-test',
      now: () => new Date((clock = new Date(clock.getTime() + 1000))),
      randomSuffix: () => 'beef',
    });
  });
  afterEach(async () => {
    await service?.close();
    await fx?.cleanup();
  });

  const status = (applied: boolean[]): MigrationStatus => ({
    dialect,
    current: applied.lastIndexOf(true),
    latest: applied.length - 1,
    pending: applied.filter((a) => !a).length,
    migrations: applied.map((a, id) => ({ id, tag: `000${id}_m`, applied: a, appliedAt: null })),
  });

  it('backs up before migrating only when migrations are pending on a database that has some applied', async () => {
    expect(await service.beforeMigrate(status([true, false]), { skip: true })).toEqual({
      decision: 'skipped',
      backup: null,
    });
    expect((await service.beforeMigrate(status([true]), {})).decision).toBe('nothing-pending');
    const taken = await service.beforeMigrate(status([true, false]), { passphrase: PASSPHRASE });
    expect(taken.backup).toMatchObject({
      reason: 'pre-migrate',
      encrypted: true,
      verified: true,
      id: expect.stringMatching(/-beef$/),
    });
    const manifest = JSON.parse(fs.readFileSync(path.join(taken.backup!.path, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      format: 1,
      botctlVersion: '9.9.9-test',
      dialect,
      schema: latestSchema(dialect),
      encrypted: true,
    });
    expect(fs.statSync(taken.backup!.path).mode & 0o777).toBe(0o700);
    expect(fs.statSync(payloadOf(taken.backup!.path)).mode & 0o777).toBe(0o600);
  });

  it('restores a backup older than the code and says to run migrate up', async () => {
    const created = await service.create({ verify: false });
    codeSchema = { id: latestSchema(dialect).id + 3, tag: 'later' };
    const restored = await service.restore(created.id, { force: true });
    expect(restored).toMatchObject({ compatibility: 'older', next: expect.stringContaining('migrate up') });
    expect(restored.safetyBackup?.id).toMatch(/-beef$/);
    codeSchema = null;
    await expect(service.restore(created.id, { force: true })).rejects.toMatchObject({
      code: 'SCHEMA_NEWER',
    });
  });

  it('reports damage found while decoding, a wrong passphrase and a foreign payload as one coded error', async () => {
    const sealed = await service.create({ passphrase: PASSPHRASE, verify: false });
    await expect(service.verify(sealed.id, { passphrase: 'wrong passphrase' })).rejects.toMatchObject({
      code: 'BACKUP_PASSPHRASE',
    });
    // Flip a ciphertext byte and make the manifest agree: only GCM authentication can notice.
    const payload = payloadOf(sealed.path);
    const bytes = fs.readFileSync(payload);
    bytes[bytes.length - 30] = bytes[bytes.length - 30]! ^ 1;
    fs.writeFileSync(payload, bytes);
    editManifest(sealed.path, (m) => (m.payload = { ...(m.payload as object), sha256: sha256Of(payload) }));
    await expect(service.verify(sealed.id, { passphrase: PASSPHRASE })).rejects.toMatchObject({
      code: 'BACKUP_CORRUPT',
      message: expect.stringContaining('cannot be decoded'),
    });
    // An encrypted payload that is not ours at all.
    fs.writeFileSync(payload, Buffer.alloc(200, 7));
    editManifest(
      sealed.path,
      (m) => (m.payload = { ...(m.payload as object), bytes: 200, sha256: sha256Of(payload) }),
    );
    await expect(service.verify(sealed.id, { passphrase: PASSPHRASE })).rejects.toMatchObject({
      code: 'BACKUP_CORRUPT',
      message: expect.stringContaining('not a botctl encrypted file'),
    });
    // A manifest that claims another schema than the copy holds.
    const plain = await service.create({ verify: false });
    editManifest(plain.path, (m) => (m.schema = { ...latestSchema(dialect), tag: 'renamed' }));
    await expect(service.verify(plain.id)).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
    await fs.promises.rm(payloadOf(plain.path));
    await expect(service.verify(plain.id)).rejects.toMatchObject({
      message: expect.stringContaining('is missing'),
    });
  });

  it('refuses to back up a database without a botctl schema', async () => {
    const empty = await backupFixture(dialect, { migrate: false });
    const tools = createPgTools();
    const other = createBackupService({
      store: createBackupStore(empty.backupDir),
      snapshotter: () => createSnapshotter(empty.db.url, tools),
      checker: createSnapshotChecker(tools),
      guard: () => createDatabaseGuard(empty.db.url),
      codeSchema: () => null,
      botctlVersion: 'x',
      now: () => new Date(),
      randomSuffix: () => '0000',
    });
    try {
      await expect(other.create()).rejects.toMatchObject({
        code: 'DATABASE_MISSING',
        message: expect.stringContaining('migrate up'),
      });
      expect(empty.stored()).toEqual([]);
    } finally {
      await other.close();
      await empty.cleanup();
    }
  });
});

describe('SQLite restore beside another connection', { timeout: 120_000 }, () => {
  it('refuses to replace a database that another connection is reading, and changes nothing', async () => {
    const fx = await backupFixture('sqlite');
    // The app's backup service, as `botctl backup` gets it.
    const app = await createApp(loadConfig({ dataDir: fx.dataDir, env: fx.env }));
    const backups = await app.services.backups();
    const reader = new Database(fx.db.url);
    try {
      await fx.seed(20);
      const created = await backups.create({ verify: false });
      await fx.db.raw('delete from messages where id > ?', [10]);
      // A bot mid-query: a read transaction holding a snapshot of the WAL.
      reader.exec('begin');
      reader.prepare('select count(*) from messages').get();
      await expect(backups.restore(created.id, { force: true })).rejects.toMatchObject({
        code: 'BACKUP_FAILED',
        message: expect.stringContaining('in use by another process'),
      });
      reader.exec('commit');
      expect(await fx.messages()).toHaveLength(10);
      expect(fs.readdirSync(path.dirname(fx.db.url)).filter((name) => name.includes('.restore-'))).toEqual(
        [],
      );
    } finally {
      reader.close();
      await app.close();
      await fx.cleanup();
    }
  });
});
