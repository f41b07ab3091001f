/**
 * `botctl migrate up` backs up first when it is about to change a database that already has
 * applied migrations. A pending migration needs a botctl newer than the database, so the test
 * builds one: a copy of this package (bin, dist, manifest, migrations; node_modules linked)
 * whose migrations folder has one more migration, NNNN_backup_probe.
 */
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backupFixture, latestSchema, type BackupFixture } from '../helpers/backup.js';
import { parseEnvelope } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';
import { shapeMismatches } from '../helpers/json-shape.js';
import type { Dialect } from '../../src/domain/ports/index.js';

/** Each test runs the CLI several times; a loaded CI box needs seconds per process. */
const SLOW = 400_000;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = {
  sqlite: ['CREATE TABLE `backup_probe` (`id` integer PRIMARY KEY NOT NULL);', 'DROP TABLE `backup_probe`;'],
  pg: [
    'CREATE TYPE "probe_mood" AS ENUM(\'ok\');\n--> statement-breakpoint\nCREATE TABLE "backup_probe" ("id" integer PRIMARY KEY NOT NULL, "mood" "probe_mood");',
    'DROP TABLE "backup_probe";\n--> statement-breakpoint\nDROP TYPE "probe_mood";',
  ],
} as const;

let future: string;
/** The probe migration comes right after the newest one this package ships. */
const probeTag = (dialect: Dialect) =>
  `${String(latestSchema(dialect).id + 1).padStart(4, '0')}_backup_probe`;
beforeAll(() => {
  future = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-future-'));
  for (const entry of ['bin', 'dist', 'migrations', 'package.json', 'oclif.manifest.json']) {
    fs.cpSync(path.join(ROOT, entry), path.join(future, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(future, 'node_modules'));
  for (const [folder, [up, down]] of Object.entries(PROBE)) {
    const dir = path.join(future, 'migrations', folder);
    const journalFile = path.join(dir, 'meta', '_journal.json');
    const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as {
      entries: Array<Record<string, unknown>>;
    };
    const idx = journal.entries.length;
    const tag = `${String(idx).padStart(4, '0')}_backup_probe`;
    journal.entries.push({ idx, version: '7', when: Date.now(), tag, breakpoints: true });
    fs.writeFileSync(journalFile, JSON.stringify(journal, null, 2));
    fs.writeFileSync(path.join(dir, `${tag}.sql`), up);
    fs.writeFileSync(path.join(dir, `${tag}.down.sql`), down);
  }
});
afterAll(() => fs.rmSync(future, { recursive: true, force: true }));

describe.each(DIALECTS)('migrate up backs up first on %s', { timeout: SLOW }, (dialect) => {
  let fx: BackupFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  /** The newer botctl, with the fixture's data dir and database. */
  async function futureCli<T>(args: string[]) {
    const env = { ...process.env, ...fx!.env, NO_COLOR: '1' };
    const run = await execa(process.execPath, [path.join(future, 'bin', 'run.js'), ...args, '--json'], {
      env,
      reject: false,
      stdin: 'ignore',
    });
    return { exitCode: run.exitCode, ...(parseEnvelope(run.stdout) as { status: string; result: T }) };
  }
  const probeExists = async () =>
    (
      await fx!.rows(
        dialect === 'sqlite'
          ? `select name from sqlite_master where name = 'backup_probe'`
          : `select tablename from pg_tables where tablename = 'backup_probe'`,
      )
    ).length === 1;

  it('skips the backup on an empty database and when nothing is pending', async () => {
    fx = await backupFixture(dialect, { migrate: false });
    const first = await fx.json<{ backupDecision: string; backup: null }>(['migrate', 'up']);
    expect(first.result).toMatchObject({
      backupDecision: 'empty-database',
      backup: null,
      current: latestSchema(dialect).id,
    });
    const again = await fx.json(['migrate', 'up']);
    expect(again.result).toMatchObject({ backupDecision: 'nothing-pending', backup: null, applied: [] });
    expect(fx.stored()).toEqual([]);
  });

  it('takes a backup before applying pending migrations; restoring it asks for migrate up, which then works', async () => {
    fx = await backupFixture(dialect);
    await fx.seed(50);
    const before = await fx.messages();

    const up = await futureCli<{
      backup: { id: string; path: string };
      backupDecision: string;
      applied: string[];
    }>(['migrate', 'up']);
    expect(up).toMatchObject({
      exitCode: 0,
      result: { backupDecision: 'backup', applied: [probeTag(dialect)] },
    });
    expect(shapeMismatches('migrate up', up.result)).toEqual([]);
    expect(up.result.backup.path).toBe(path.join(fx.backupDir, up.result.backup.id));
    const listed = await fx.json<{ backups: Array<{ id: string; reason: string; schema: { id: number } }> }>([
      'backup',
      'list',
    ]);
    expect(listed.result.backups).toMatchObject([
      { id: up.result.backup.id, reason: 'pre-migrate', schema: latestSchema(dialect) },
    ]);
    expect(await probeExists()).toBe(true);

    const restored = await futureCli<{ compatibility: string; next: string }>([
      'backup',
      'restore',
      up.result.backup.id,
      '--force',
    ]);
    expect(restored).toMatchObject({ exitCode: 0, result: { compatibility: 'older' } });
    expect(restored.result.next).toContain('botctl migrate up');
    expect(await probeExists()).toBe(false);
    expect(await fx.messages()).toEqual(before);

    const again = await futureCli<{ backupDecision: string; applied: string[] }>([
      'migrate',
      'up',
      '--no-backup',
    ]);
    expect(again.result).toMatchObject({ backupDecision: 'skipped', applied: [probeTag(dialect)] });
    expect(fx.stored()).toHaveLength(2); // the pre-migrate backup and the restore's safety backup
  });
});
