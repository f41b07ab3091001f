import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/open.js';
import { parseDatabaseUrl } from '../../src/adapters/db/url.js';
import { locateMigrations } from '../../src/adapters/db/migration-files.js';
import { createFieldCipher } from '../../src/adapters/system/cipher.js';
import type { BotctlError } from '../../src/domain/errors.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../helpers/db.js';

const cipher = createFieldCipher([]);
const TABLES = [
  'admin_sessions',
  'api_keys',
  'audio_files',
  'audit_log',
  'broadcasts',
  'conversations',
  'daily_errors',
  'daily_usage',
  'deliveries',
  'event_outbox',
  'messages',
  'payments',
  'telegram_flood',
  'update_inbox',
  'users',
];

async function rejection(promise: Promise<unknown>): Promise<BotctlError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a failure').toBeDefined();
  return error as BotctlError;
}

/** Everything that defines the schema, in a comparable form. */
async function schemaOf(db: TestDatabase): Promise<unknown[]> {
  if (db.dialect === 'sqlite') {
    return db.raw(
      `select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' order by name`,
    );
  }
  return [
    ...(await db.raw(
      `select table_name, column_name, data_type, is_nullable, column_default, is_identity
       from information_schema.columns where table_schema = 'public' order by 1, 2`,
    )),
    ...(await db.raw(`select indexname, indexdef from pg_indexes where schemaname = 'public' order by 1`)),
    ...(await db.raw(
      `select conname, pg_get_constraintdef(oid) as def from pg_constraint
       where connamespace = 'public'::regnamespace order by 1`,
    )),
  ];
}

async function tables(db: TestDatabase): Promise<string[]> {
  const rows =
    db.dialect === 'sqlite'
      ? await db.raw(
          `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`,
        )
      : await db.raw(
          `select table_name as name from information_schema.tables where table_schema = 'public' order by 1`,
        );
  return rows.map((row) => String(row.name));
}

/** The committed migration tags of a dialect, oldest first (the tests follow them as migrations are added). */
function tagsOf(dialect: 'sqlite' | 'postgres'): string[] {
  const journal = JSON.parse(
    readFileSync(join(locateMigrations(dialect), 'meta', '_journal.json'), 'utf8'),
  ) as {
    entries: { tag: string }[];
  };
  return journal.entries.map((entry) => entry.tag);
}

/** A copy of this dialect's migrations plus a hand-made last one (for failure paths); returns its tag too. */
async function migrationsWithExtra(dialect: 'sqlite' | 'postgres', sql: string, down: string | null) {
  const dir = await mkdtemp(join(tmpdir(), 'botctl-migrations-'));
  await cp(locateMigrations(dialect), dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: object[] };
  const idx = journal.entries.length;
  const tag = `${String(idx).padStart(4, '0')}_extra`;
  journal.entries.push({ idx, version: '7', when: Date.now(), tag, breakpoints: true });
  await writeFile(journalPath, JSON.stringify(journal));
  await writeFile(join(dir, `${tag}.sql`), sql);
  if (down !== null) await writeFile(join(dir, `${tag}.down.sql`), down);
  return { dir, tag };
}

describe.each(DIALECTS)('migrator (%s)', (dialect) => {
  const TAGS = tagsOf(dialect);
  const latest = TAGS.length - 1;
  let db: TestDatabase;
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    await db.cleanup();
    while (cleanups.length > 0) await cleanups.pop()?.();
  });

  it('goes up, reports status, goes down to an empty schema and up again', async () => {
    db = await openTestDatabase(dialect, { migrate: false });
    const before = await db.migrator.status();
    expect(before).toMatchObject({ dialect, current: -1, latest, pending: TAGS.length });
    expect(before.migrations).toEqual(TAGS.map((tag, id) => ({ id, tag, applied: false, appliedAt: null })));

    expect(await db.migrator.up()).toEqual(TAGS);
    expect(await db.migrator.up()).toEqual([]);
    const after = await db.migrator.status();
    expect(after).toMatchObject({ current: latest, latest, pending: 0 });
    expect(after.migrations[0]?.appliedAt).toBeInstanceOf(Date);
    expect(await tables(db)).toEqual([...TABLES, 'botctl_migrations'].sort());
    const schema = await schemaOf(db);

    expect(await db.migrator.down(-1)).toEqual([...TAGS].reverse());
    expect(await tables(db), 'only the ledger is left').toEqual(['botctl_migrations']);
    expect(await db.raw('select * from botctl_migrations')).toEqual([]);
    expect(await db.migrator.status()).toMatchObject({ current: -1, pending: TAGS.length });

    expect(await db.migrator.up()).toEqual(TAGS);
    expect(await schemaOf(db), 'down reversed up exactly').toEqual(schema);
    // Each step's down script alone: from each migration, one step down and up again leaves the same schema.
    for (let id = latest; id > 0; id -= 1) {
      expect(await db.migrator.down(id)).toEqual(id === latest ? [] : [TAGS[id + 1]]);
      const at = await schemaOf(db);
      expect(await db.migrator.down(id - 1)).toEqual([TAGS[id]]);
      expect(await db.migrator.up(id)).toEqual([TAGS[id]]);
      expect(await schemaOf(db), `${TAGS[id]} down reversed its up`).toEqual(at);
    }
    expect(await db.migrator.up()).toEqual(TAGS.slice(2));
    expect(await schemaOf(db)).toEqual(schema);
    expect(await db.migrator.down(0)).toEqual([...TAGS.slice(1)].reverse());
    expect(await db.migrator.down()).toEqual(['0000_init']);
    expect(await db.migrator.down()).toEqual([]);
  });

  it('keeps the ledger in the main schema', async () => {
    db = await openTestDatabase(dialect);
    const rows =
      dialect === 'sqlite'
        ? await db.raw(`select id, tag, hash from botctl_migrations`)
        : await db.raw(
            `select id, tag, hash from public.botctl_migrations
             where exists (select 1 from information_schema.tables where table_schema = 'public' and table_name = 'botctl_migrations')`,
          );
    expect(rows).toEqual(TAGS.map((tag, id) => ({ id, tag, hash: expect.stringMatching(/^[0-9a-f]{64}$/) })));
  });

  it('refuses with SCHEMA_NEWER when the database has a migration the code does not know', async () => {
    db = await openTestDatabase(dialect);
    await db.raw(`insert into botctl_migrations (id, tag, hash, applied_at) values (?, ?, ?, ?)`, [
      99,
      '0099_future',
      'f'.repeat(64),
      dialect === 'sqlite' ? Date.now() : new Date(),
    ]);
    const error = await rejection(db.migrator.up());
    expect(error.code).toBe('SCHEMA_NEWER');
    expect(error.message).toContain('0099_future');
    expect((await rejection(db.migrator.down(-1))).code).toBe('SCHEMA_NEWER');
    const status = await db.migrator.status();
    expect(status).toMatchObject({ current: 99, latest, pending: 0 });
    expect(status.migrations.map((m) => m.tag)).toEqual([...TAGS, '0099_future']);
  });

  it('refuses with MIGRATION_TAMPERED when an applied migration changed', async () => {
    db = await openTestDatabase(dialect);
    await db.raw(`update botctl_migrations set hash = ? where id = 0`, ['0'.repeat(64)]);
    const error = await rejection(db.migrator.up());
    expect(error.code).toBe('MIGRATION_TAMPERED');
    expect(error.message).toContain('0000_init');
    expect(error.hint).toBeTruthy();
  });

  it('rolls a failing migration back as a whole and names it', async () => {
    const statement =
      dialect === 'sqlite' ? 'CREATE TABLE `extra` (`id` integer);' : 'CREATE TABLE "extra" ("id" integer);';
    const { dir, tag } = await migrationsWithExtra(
      dialect,
      `${statement}\n--> statement-breakpoint\nSELECT * FROM missing_table;`,
      null,
    );
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    db = await openTestDatabase(dialect, { migrate: false });
    const handle = await openDatabase({ url: db.url, cipher, migrationsDir: dir });
    cleanups.push(() => handle.close());
    const error = await rejection(handle.migrator.up());
    expect(error.code).toBe('MIGRATION_FAILED');
    expect(error.message).toMatch(new RegExp(`${tag}.*(missing_table|42P01)`));
    expect(await tables(db)).not.toContain('extra');
    expect((await handle.migrator.status()).migrations.map((m) => [m.tag, m.applied])).toEqual([
      ...TAGS.map((t) => [t, true]),
      [tag, false],
    ]);
    expect(await handle.migrator.up(latest)).toEqual([]);
  });

  it('applies a migration added below the latest one and refuses to roll back one without a down script', async () => {
    const create =
      dialect === 'sqlite' ? 'CREATE TABLE `extra` (`id` integer);' : 'CREATE TABLE "extra" ("id" integer);';
    const { dir, tag } = await migrationsWithExtra(dialect, create, null);
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    db = await openTestDatabase(dialect, { migrate: false });
    const handle = await openDatabase({ url: db.url, cipher, migrationsDir: dir });
    cleanups.push(() => handle.close());
    expect(await handle.migrator.up(0)).toEqual(['0000_init']);
    expect(await handle.migrator.up()).toEqual([...TAGS.slice(1), tag]);
    const error = await rejection(handle.migrator.down(0));
    expect(error.code).toBe('MIGRATION_FAILED');
    expect(error.message).toContain('no down script');
  });

  it('lets only one of two concurrent migrators apply each migration', async () => {
    db = await openTestDatabase(dialect, { migrate: false });
    const other = await db.reopen();
    const results = await Promise.all([db.migrator.up(), other.migrator.up()]);
    expect(results.flat().sort()).toEqual(TAGS);
    expect(await db.raw('select id from botctl_migrations order by id')).toEqual(
      TAGS.map((_, id) => ({ id })),
    );
  });
});

describe('opening databases', () => {
  it('gives DATABASE_UNREACHABLE without the password for a PostgreSQL that does not answer', async () => {
    const url = 'postgres://botctl:Sup3r%24ecretPw@127.0.0.1:1/botctl';
    const error = await rejection(openDatabase({ url, cipher }));
    expect(error.code).toBe('DATABASE_UNREACHABLE');
    expect(error.message).not.toMatch(/Sup3r/);
    expect(error.message).toContain('botctl:****@127.0.0.1:1');
    expect(error.message).not.toContain('\n');
    expect(error.hint).toMatch(/start the database/);
  });

  it('gives DATABASE_UNREACHABLE for a PostgreSQL database that does not exist', async () => {
    const url = new URL(process.env.BOTCTL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    url.password = 'pw-not-shown';
    url.pathname = '/botctl_no_such_database';
    const error = await rejection(openDatabase({ url: url.toString(), cipher }));
    expect(error.code).toBe('DATABASE_UNREACHABLE');
    expect(error.message).toContain('3D000');
    expect(error.message).not.toContain('pw-not-shown');
    expect(error.hint).toMatch(/createdb/);
  });

  it('gives DATABASE_UNREACHABLE for a SQLite path that cannot be created or is not a database', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'botctl-open-'));
    try {
      await writeFile(join(dir, 'file'), 'not a directory');
      const underFile = await rejection(openDatabase({ url: join(dir, 'file', 'x.db'), cipher }));
      expect(underFile.code).toBe('DATABASE_UNREACHABLE');
      expect(underFile.hint).toBeTruthy();
      await writeFile(join(dir, 'junk.db'), 'x'.repeat(4096));
      expect((await rejection(openDatabase({ url: join(dir, 'junk.db'), cipher }))).code).toBe(
        'DATABASE_UNREACHABLE',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects an empty URL as a config error naming databaseUrl', async () => {
    const error = await rejection(openDatabase({ url: '  ', cipher }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('databaseUrl');
  });

  it('accepts sqlite: and file: URLs and creates the parent directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'botctl-open-'));
    try {
      for (const url of [
        `sqlite:${dir}/a/one.db`,
        `file:${dir}/b/two.db`,
        pathToFileURL(join(dir, 'c', 'three.db')).href,
      ]) {
        const db = await openDatabase({ url, cipher });
        expect(db.dialect).toBe('sqlite');
        await db.repos.ping();
        await db.close();
      }
      expect(parseDatabaseUrl(':memory:', dir).location).toBe(':memory:');
      expect(parseDatabaseUrl('sqlite://relative.db', dir).location).toBe(join(dir, 'relative.db'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds the migrations folder from a compiled location, whatever the working directory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'botctl-pkg-'));
    try {
      await mkdir(join(root, 'migrations', 'pg', 'meta'), { recursive: true });
      await writeFile(join(root, 'migrations', 'pg', 'meta', '_journal.json'), '{"entries":[]}');
      const compiled = pathToFileURL(join(root, 'dist', 'adapters', 'db', 'migration-files.js')).href;
      expect(locateMigrations('postgres', compiled)).toBe(join(root, 'migrations', 'pg'));
      expect(() => locateMigrations('sqlite', compiled)).toThrow(/migrations\/sqlite/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('scripts/check-migrations.mjs', () => {
  it('passes when the schema and the generated migrations agree', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/check-migrations.mjs'], {
      cwd: join(import.meta.dirname, '..', '..'),
    });
    expect(stdout).toMatch(/sqlite.*pg|ok/i);
  }, 120_000);
});
