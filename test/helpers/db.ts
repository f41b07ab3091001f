/**
 * A fresh, migrated database per call: a SQLite file in a temp dir, or a new PostgreSQL
 * database (CREATE DATABASE botctl_t_<random>) beside the admin URL
 * (BOTCTL_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * A migrated PostgreSQL database is a copy of a template migrated once per migrations state
 * (botctl_tmpl_<hash of migrations/pg>): copying costs what creating an empty one does, the
 * migrations run once instead of in every test.
 * PostgreSQL being down fails the test with a clear message; it is never skipped.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { openDatabase, type Database as Db } from '../../src/adapters/db/open.js';
import { createFieldCipher } from '../../src/adapters/system/cipher.js';
import type { Dialect, FieldCipher, Migrator, Repositories } from '../../src/domain/ports/index.js';
import { maskUrlPassword } from '../../src/domain/url-password.js';

export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

export type Row = Record<string, unknown>;

export interface TestDatabase {
  url: string;
  dialect: Dialect;
  repos: Repositories;
  migrator: Migrator;
  /** Raw SQL beside the repositories, with `?` placeholders on both dialects. */
  raw(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Another handle on the same database, e.g. with different encryption keys. */
  reopen(cipher?: FieldCipher): Promise<Db>;
  cleanup(): Promise<void>;
}

export interface TestDatabaseOptions {
  cipher?: FieldCipher;
  /** Apply all migrations (default true). */
  migrate?: boolean;
}

export function adminUrl(): string {
  return process.env.BOTCTL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export async function openTestDatabase(
  dialect: Dialect,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const cipher = options.cipher ?? createFieldCipher([]);
  const migrate = options.migrate !== false;
  const target =
    dialect === 'sqlite'
      ? await createSqliteTarget()
      : await createPgTarget(migrate ? await pgTemplate() : undefined);
  const handles: Db[] = [];
  const open = async (c: FieldCipher) => {
    const db = await openDatabase({ url: target.url, cipher: c });
    handles.push(db);
    return db;
  };
  const main = await open(cipher);
  // A template copy is migrated already: up() then finds nothing to do.
  if (migrate && dialect === 'sqlite') await main.migrator.up();
  return {
    url: target.url,
    dialect,
    repos: main.repos,
    migrator: main.migrator,
    raw: target.raw,
    reopen: (c = cipher) => open(c),
    async cleanup() {
      await Promise.all(handles.map((h) => h.close()));
      await target.drop();
    },
  };
}

interface Target {
  url: string;
  raw(sql: string, params?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

async function createSqliteTarget(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'botctl-test-'));
  const url = join(dir, 'data', 'botctl.db');
  let client: Database.Database | undefined;
  return {
    url,
    async raw(sql, params = []) {
      client ??= new Database(url);
      const statement = client.prepare(sql);
      if (statement.reader) return statement.all(...params) as Row[];
      statement.run(...params);
      return [];
    },
    async drop() {
      client?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function withAdmin<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(adminUrl(), { max: 1, connect_timeout: 5, onnotice: () => undefined });
  try {
    return await work(admin);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `PostgreSQL test server unavailable at ${maskUrlPassword(adminUrl())}: ${message}. ` +
        'Start PostgreSQL (CI does) or point BOTCTL_TEST_PG_URL at one.',
      { cause: error },
    );
  } finally {
    await admin.end({ timeout: 1 });
  }
}

/** BOTCTL_TEST_PG_PREFIX (e.g. `dev1_`): tells apart the databases of several checkouts sharing one server. */
function testDatabasePrefix(): string {
  const prefix = process.env.BOTCTL_TEST_PG_PREFIX ?? '';
  if (!/^[a-z0-9_]*$/.test(prefix))
    throw new Error('BOTCTL_TEST_PG_PREFIX: lower-case letters, digits and _ only');
  return prefix;
}

function pgUrl(name: string): string {
  const parsed = new URL(adminUrl());
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

let template: Promise<string> | undefined;

/**
 * The migrated template for this worker, made once if no worker (of this or another run with
 * the same migrations) made it before: built under a private name, then renamed, so a copy
 * never starts from a half-migrated template.
 */
function pgTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = resolve(import.meta.dirname, '../../migrations/pg');
    const hash = createHash('sha256');
    for (const file of readdirSync(dir, { recursive: true }).map(String).sort()) {
      if (file.endsWith('.sql') || file.endsWith('.json'))
        hash.update(file).update(readFileSync(join(dir, file)));
    }
    const name = `botctl_tmpl_${hash.digest('hex').slice(0, 16)}`;
    const found = await withAdmin((sql) => sql`select 1 from pg_database where datname = ${name}`);
    if (found.length > 0) return name;
    const building = `${name}_${randomBytes(4).toString('hex')}`;
    await withAdmin((sql) => sql.unsafe(`create database ${building}`));
    const db = await openDatabase({ url: pgUrl(building), cipher: createFieldCipher([]) });
    try {
      await db.migrator.up();
    } finally {
      await db.close();
    }
    await withAdmin(async (sql) => {
      // A closed pool's backends can linger a moment; a rename needs the database unused.
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${building}`;
      try {
        await sql.unsafe(`alter database ${building} rename to ${name}`);
      } catch (error) {
        // Another worker renamed its own first: use that one.
        await sql.unsafe(`drop database if exists ${building} with (force)`);
        const won = await sql`select 1 from pg_database where datname = ${name}`;
        if (won.length === 0) throw error;
      }
    });
    return name;
  })();
  return template;
}

async function createPgTarget(from?: string): Promise<Target> {
  const name = `${testDatabasePrefix()}botctl_t_${randomBytes(6).toString('hex')}`;
  await withAdmin((sql) => sql.unsafe(`create database ${name}${from ? ` template ${from}` : ''}`));
  const url = pgUrl(name);
  let client: postgres.Sql | undefined;
  return {
    url,
    async raw(sql, params = []) {
      client ??= postgres(url, { max: 2, onnotice: () => undefined });
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${(n += 1)}`);
      return [...(await client.unsafe(text, params as never[]))] as Row[];
    },
    async drop() {
      await client?.end({ timeout: 1 });
      await withAdmin((sql) => sql.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
}
