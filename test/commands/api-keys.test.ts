/**
 * `botctl api-keys create|list|revoke` as processes: the key is printed once and only its
 * SHA-256 is stored, list never shows it, revoke asks at a terminal and needs --yes elsewhere,
 * every change leaves an audit row, and bad input is one line with exit 2. On SQLite only: the
 * commands are the same on both dialects, and the key and audit storage under them runs on both
 * in the repositories contract (test/contracts/).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEnvelope, runCli } from '../helpers/cli.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { shapeMismatches } from '../helpers/json-shape.js';
import { spawnInPty } from '../helpers/pty.js';

const SLOW = 240_000;
let db: TestDatabase;
let env: Record<string, string>;
afterEach(async () => db?.cleanup());

async function json<T>(args: string[]): Promise<T> {
  const run = await runCli(['api-keys', ...args, '--json'], env);
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  const envelope = parseEnvelope(run.stdout);
  expect(shapeMismatches(`api-keys ${args[0]}`, envelope.result)).toEqual([]);
  return envelope.result as T;
}

describe('botctl api-keys (process)', () => {
  beforeEach(async () => {
    db = await openTestDatabase('sqlite');
    env = {
      BOTCTL_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-keys-')),
      BOTCTL_DATABASE_URL: db.url,
    };
  });

  it(
    'creates a key shown once and stored hashed, lists it without the key, revokes it with --yes',
    async () => {
      const created = await json<{ id: number; key: string; scope: string; expiresAt: string | null }>([
        'create',
        '--name',
        'grafana',
        '--scope',
        'read',
        '--expires',
        '30d',
      ]);
      expect(created.key).toMatch(/^botctl_[A-Za-z0-9_-]{43}$/);
      expect(created.scope).toBe('read');
      expect(Date.parse(created.expiresAt!) - Date.now()).toBeGreaterThan(29 * 86_400_000);
      const [row] = await db.raw('select hash from api_keys where id = ?', [created.id]);
      expect(row!.hash).toBe(createHash('sha256').update(created.key).digest('hex'));

      const human = await runCli(['api-keys', 'create', '--name', 'ops', '--scope', 'admin'], env);
      expect(human.exitCode, human.stderr).toBe(0);
      expect(human.stdout).toMatch(
        /^Created API key 2 \(ops, scope admin, expires never\):\nbotctl_\S{43}\nCopy it now/,
      );

      const listed = await runCli(['api-keys', 'list'], env);
      expect(listed.stdout).not.toContain(created.key);
      expect(listed.stdout).not.toContain(row!.hash as string);
      expect(listed.stdout.split('\n')[1]).toMatch(/^1\s+grafana\s+read\s+active\s+\d{4}-/);
      const list = await json<{ keys: { id: number; state: string }[] }>(['list']);
      expect(JSON.stringify(list)).not.toContain(created.key);
      expect(list.keys.map((k) => [k.id, k.state])).toEqual([
        [1, 'active'],
        [2, 'active'],
      ]);

      const refused = await runCli(['api-keys', 'revoke', '1'], env);
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toContain('--yes');
      expect((await json<{ keys: { state: string }[] }>(['list'])).keys[0]!.state).toBe('active');

      const revoked = await json<{ key: { state: string }; changed: boolean }>(['revoke', '1', '--yes']);
      expect(revoked).toMatchObject({ key: { state: 'revoked' }, changed: true });
      expect(await json<{ changed: boolean }>(['revoke', '1', '--yes'])).toMatchObject({ changed: false });

      const audit = await db.raw('select actor, action, target from audit_log order by id');
      expect(audit).toEqual([
        { actor: 'cli', action: 'api-key.create', target: 'api-key:1' },
        { actor: 'cli', action: 'api-key.create', target: 'api-key:2' },
        { actor: 'cli', action: 'api-key.revoke', target: 'api-key:1' },
      ]);
    },
    SLOW,
  );

  it(
    'refuses bad input with one line and the right exit code, storing nothing',
    async () => {
      const cases: [string[], number, RegExp][] = [
        [['create', '--name', 'x', '--scope', 'root'], 2, /scope/],
        [['create', '--scope', 'read'], 2, /name/],
        [['create', '--name', 'x', '--scope', 'read', '--expires', 'soon'], 2, /Invalid age "soon"/],
        [['create', '--name', ' ', '--scope', 'read'], 2, /1-64 characters/],
        [['revoke', 'abc', '--yes'], 2, /"abc" is not an API key id/],
        [['revoke', '99', '--yes'], 1, /No API key with id 99/],
      ];
      for (const [args, code, message] of cases) {
        const run = await runCli(['api-keys', ...args], env);
        expect(run.exitCode, `${args.join(' ')}: ${run.stderr}`).toBe(code);
        expect(run.stderr).toMatch(message);
        expect(run.stderr).not.toMatch(/\n\s+at /);
      }
      expect(await db.raw('select id from api_keys')).toEqual([]);
    },
    SLOW,
  );
});

describe('botctl api-keys revoke in a terminal', () => {
  beforeEach(async () => {
    db = await openTestDatabase('sqlite');
    env = {
      BOTCTL_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-keys-')),
      BOTCTL_DATABASE_URL: db.url,
    };
  });

  it(
    'asks first: Enter keeps the key, "y" revokes it',
    async () => {
      await json(['create', '--name', 'ci', '--scope', 'write']);
      const declined = spawnInPty(['api-keys', 'revoke', '1'], env);
      await declined.expect('Revoke key 1? [y/N]');
      declined.type('');
      expect(await declined.exitCode).toBe(1);
      expect(declined.output).toContain('Nothing was revoked.');
      const accepted = spawnInPty(['api-keys', 'revoke', '1'], env);
      await accepted.expect('Revoke key 1? [y/N]');
      accepted.type('y');
      expect(await accepted.exitCode).toBe(0);
      expect((await json<{ keys: { state: string }[] }>(['list'])).keys[0]!.state).toBe('revoked');
    },
    SLOW,
  );
});
