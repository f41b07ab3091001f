/**
 * The data dir and the database as a new operator meets them, each through a `botctl` process:
 * one reading of databaseUrl (unknown schemes refused, relative SQLite paths in the data dir),
 * read-only commands that never create a data dir or a database, 0600 files in 0700 dirs
 * whichever command makes them, and a data dir that cannot be made (under /proc, under a
 * read-only dir) failing at once, in one line naming the path. Every process runs under a
 * timeout, so a hang fails the test instead of stalling it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnvelope, runCli, type RunCliOptions } from '../helpers/cli.js';
import { GEMINI_KEY, PROCESS_TIMEOUT_MS, TOKEN, mode } from '../helpers/setup-env.js';

/** Far above what any of these commands needs; a hang (the old 100% CPU loop under /proc) hits it. */
const HANG_MS = 20_000;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A fresh temp dir that another user (the unprivileged runs) may enter. */
function tempRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-datadir-'));
  fs.chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}

async function botctl(args: string[], env: Record<string, string> = {}, options: RunCliOptions = {}) {
  const result = await runCli(args, env, { timeoutMs: HANG_MS, ...options });
  expect(result.timedOut, `botctl ${args.join(' ')} hung`).toBe(false);
  return result;
}

/** Every file and directory under root with its mode, for "0600 files in 0700 dirs". */
function modes(root: string): Record<string, string> {
  const out: Record<string, string> = { '.': mode(root).toString(8) };
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(root, file)] = mode(file).toString(8);
  }
  return out;
}

describe('databaseUrl: one parser', { timeout: PROCESS_TIMEOUT_MS }, () => {
  it('refuses an unknown scheme as a config error naming the key, never printing the password or creating a file', async () => {
    const root = tempRoot();
    const dataDir = path.join(root, 'data');
    const env = { BOTCTL_DATA_DIR: dataDir, BOTCTL_DATABASE_URL: 'mysql://botctl:pw-hidden-77@db/botctl' };
    for (const args of [['migrate', 'up'], ['migrate', 'status'], ['stats']]) {
      const run = await botctl([...args, '--json'], env, { cwd: root });
      expect(run.exitCode, args.join(' ')).toBe(2);
      const { error } = parseEnvelope(run.stdout);
      expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
      expect(error!.message).toContain('databaseUrl (BOTCTL_DATABASE_URL)');
      expect(error!.message).toContain('mysql:');
      expect(run.stdout + run.stderr).not.toContain('pw-hidden-77');
    }
    const validate = await botctl(['config', 'validate', '--json'], env, { cwd: root });
    expect(validate.exitCode).toBe(2);
    const { result } = parseEnvelope(validate.stdout) as { result: { problems: string[] } };
    expect(result.problems.some((line) => line.startsWith('databaseUrl (BOTCTL_DATABASE_URL'))).toBe(true);
    expect(validate.stdout).not.toContain('pw-hidden-77');

    const set = await botctl(
      ['config', 'set', 'databaseUrl', 'mysql://botctl:pw-hidden-77@db/botctl', '--json'],
      {
        BOTCTL_DATA_DIR: dataDir,
      },
    );
    expect(set.exitCode).toBe(2);
    expect(parseEnvelope(set.stdout).error!.message).toMatch(/^databaseUrl .*unsupported scheme "mysql:"/);
    expect(set.stdout + set.stderr).not.toContain('pw-hidden-77');
    // Nothing was made: not the data dir, not a file named after the URL in the working directory.
    expect(fs.readdirSync(root)).toEqual([]);

    for (const url of ['postgresql://botctl@db.internal/botctl', 'sqlite:bot.db', 'file:bot.db']) {
      const ok = await botctl(['config', 'set', 'databaseUrl', url], { BOTCTL_DATA_DIR: dataDir });
      expect(ok.exitCode, `${url}: ${ok.stderr}`).toBe(0);
    }
  });

  it('resolves a relative SQLite path against the data dir, whatever the working directory', async () => {
    const root = tempRoot();
    const dataDir = path.join(root, 'data');
    const [here, there] = ['here', 'there'].map((name) => path.join(root, name));
    fs.mkdirSync(here!);
    fs.mkdirSync(there!);
    const env = { BOTCTL_DATA_DIR: dataDir, BOTCTL_DATABASE_URL: 'db/bot.sqlite' };
    const up = await botctl(['migrate', 'up', '--json'], env, { cwd: here });
    expect(up.exitCode, up.stderr).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'db', 'bot.sqlite'))).toBe(true);
    expect(fs.readdirSync(here!)).toEqual([]);

    const status = await botctl(['migrate', 'status', '--json'], env, { cwd: there });
    expect(status.exitCode, status.stderr).toBe(0);
    expect(parseEnvelope(status.stdout).result).toMatchObject({ pending: 0 });
    expect(fs.readdirSync(there!)).toEqual([]);
  });
});

describe('a data dir with no database', { timeout: PROCESS_TIMEOUT_MS }, () => {
  const readers: string[][] = [
    ['migrate', 'status'],
    ['broadcast', 'list'],
    ['broadcast', 'status', '1'],
    ['stats'],
    ['users', 'list'],
    ['users', 'show', '1'],
    ['users', 'ban', '1'],
    ['backup', 'create'],
  ];

  it.each(readers.map((args) => [args.join(' '), args] as const))(
    '%s creates nothing and says there is no database, naming setup and migrate up',
    async (_name, args) => {
      const root = tempRoot();
      const dataDir = path.join(root, 'data');
      const run = await botctl([...args, '--json'], { BOTCTL_DATA_DIR: dataDir });
      expect(run.exitCode, run.stdout + run.stderr).toBe(1);
      const { error } = parseEnvelope(run.stdout);
      expect(error).toMatchObject({ code: 'DATABASE_MISSING' });
      expect(error!.message).toContain(path.join(dataDir, 'botctl.sqlite'));
      expect(error!.message).toContain('botctl setup');
      expect(error!.message).toContain('botctl migrate up');
      expect(error!.message).not.toContain('\n');
      expect(run.stdout + run.stderr).not.toMatch(/no such table|SQLITE_/);
      expect(fs.readdirSync(root)).toEqual([]);
    },
  );

  it('an empty SQLite file (left by an older botctl) counts as no database, not a raw "no such table"', async () => {
    const root = tempRoot();
    const dataDir = path.join(root, 'data');
    fs.mkdirSync(dataDir, { mode: 0o700 });
    new Database(path.join(dataDir, 'botctl.sqlite')).close();
    for (const args of [['stats'], ['users', 'list']]) {
      const run = await botctl([...args, '--json'], { BOTCTL_DATA_DIR: dataDir });
      expect(run.exitCode, args.join(' ')).toBe(1);
      expect(parseEnvelope(run.stdout).error).toMatchObject({ code: 'DATABASE_MISSING' });
    }
  });

  it('start without --auto-migrate, and backup list, create nothing either', async () => {
    const root = tempRoot();
    const dataDir = path.join(root, 'data');
    const env = { BOTCTL_DATA_DIR: dataDir, BOTCTL_TELEGRAM_TOKEN: TOKEN, BOTCTL_GEMINI_API_KEY: GEMINI_KEY };
    const start = await botctl(['start'], env);
    expect(start.exitCode).toBe(1);
    expect(start.stderr).toContain('DATABASE_MISSING');
    expect(start.stderr).toMatch(/botctl\s+setup/);
    const list = await botctl(['backup', 'list'], env);
    expect(list.exitCode, list.stderr).toBe(0);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('migrate up creates the data dir 0700 and the database 0600; backups and the WAL follow', async () => {
    const root = tempRoot();
    const dataDir = path.join(root, 'data');
    const env = { BOTCTL_DATA_DIR: dataDir };
    const up = await botctl(['migrate', 'up'], env);
    expect(up.exitCode, up.stderr).toBe(0);
    const created = await botctl(['backup', 'create', '--json'], env);
    expect(created.exitCode, created.stderr).toBe(0);
    for (const [name, bits] of Object.entries(modes(dataDir))) {
      const isDir = fs.statSync(path.join(dataDir, name)).isDirectory();
      expect(bits, name).toBe(isDir ? '700' : '600');
    }
    expect(Object.keys(modes(dataDir)).some((name) => name.startsWith('backups/'))).toBe(true);

    // SQLite gives its -wal and -shm files the database file's mode: a reader beside the daemon.
    const db = new Database(path.join(dataDir, 'botctl.sqlite'));
    try {
      db.pragma('journal_mode = WAL');
      db.exec('create table if not exists probe (x integer)');
      expect(mode(path.join(dataDir, 'botctl.sqlite-wal'))).toBe(0o600);
      expect(mode(path.join(dataDir, 'botctl.sqlite-shm'))).toBe(0o600);
    } finally {
      db.close();
    }
  });
});

describe('a data dir that cannot be made', { timeout: PROCESS_TIMEOUT_MS }, () => {
  const commands: string[][] = [
    ['migrate', 'status'],
    ['migrate', 'up'],
    ['setup', '--no-input', '--skip-checks', '--telegram-token', TOKEN, '--gemini-api-key', GEMINI_KEY],
    ['backup', 'create'],
    ['config', 'set', 'model', 'gemini-flash-latest'],
  ];
  const places = [
    // Node's recursive mkdir loops forever here (mkdir says ENOENT though /proc exists). As this
    // user: root passes every permission check and reaches the mkdir.
    ['under /proc', false, () => `/proc/botctl-test-${process.pid}/data`],
    [
      'under a read-only dir',
      true,
      () => {
        const ro = path.join(tempRoot(), 'read-only');
        fs.mkdirSync(ro, { mode: 0o555 });
        fs.chmodSync(ro, 0o555);
        return path.join(ro, 'data');
      },
    ],
  ] as const;

  for (const [where, unprivileged, makePath] of places) {
    it.each(commands.map((args) => [args.slice(0, 2).join(' '), args] as const))(
      `${where}: %s fails in one line naming the path, at once`,
      async (_name, args) => {
        const dataDir = makePath();
        const run = await botctl([...args, '--json'], { BOTCTL_DATA_DIR: dataDir }, { unprivileged });
        expect(run.exitCode, run.stdout + run.stderr).toBeGreaterThan(0);
        const { error } = parseEnvelope(run.stdout);
        expect(error!.message).toContain(dataDir);
        expect(error!.message).not.toContain('\n');
        expect(fs.existsSync(dataDir)).toBe(false);
      },
    );
  }

  it('an existing data dir that is not writable: config set and migrate up say so in one line', async () => {
    const dataDir = path.join(tempRoot(), 'data');
    fs.mkdirSync(dataDir, { mode: 0o555 });
    fs.chmodSync(dataDir, 0o555);
    for (const args of [
      ['config', 'set', 'model', 'gemini-flash-latest'],
      ['migrate', 'up'],
    ]) {
      const run = await botctl([...args, '--json'], { BOTCTL_DATA_DIR: dataDir }, { unprivileged: true });
      expect(run.exitCode, args.join(' ')).toBeGreaterThan(0);
      const { error } = parseEnvelope(run.stdout);
      expect(error!.message).toContain(dataDir);
      expect(error!.message).not.toContain('\n');
    }
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});
