/**
 * `botctl doctor` as a process against the fake Telegram and Gemini servers and real
 * databases: passes on a healthy setup, fails (exit 1) with a clear line for each broken
 * thing, and a service that never answers costs one check its deadline, not the whole run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvelope, runCli } from '../helpers/cli.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { shapeMismatches } from '../helpers/json-shape.js';
import {
  PROCESS_TIMEOUT_MS,
  TOKEN,
  setupUnattended,
  startFakes,
  tempDataDir,
  type Fakes,
} from '../helpers/setup-env.js';

interface Report {
  healthy: boolean;
  summary: { pass: number; warn: number; fail: number };
  checks: { id: string; status: string; detail: string; hint?: string }[];
}

let fakes: Fakes;
let healthy: string;
/** A stand-in ffmpeg, so the result does not depend on what this machine has installed. */
let ffmpeg: string;
beforeAll(async () => {
  fakes = await startFakes();
  healthy = tempDataDir();
  ffmpeg = path.join(path.dirname(healthy), 'ffmpeg');
  fs.writeFileSync(
    ffmpeg,
    '#!/bin/sh\necho "ffmpeg version 9.9-test Copyright (c) the FFmpeg developers"\n',
    { mode: 0o755 },
  );
  const setup = await setupUnattended(fakes, healthy, ['--admins', '9']);
  expect(setup.exitCode, setup.stderr).toBe(0);
}, PROCESS_TIMEOUT_MS);
afterAll(() => fakes?.close());

async function doctor(dataDir: string, args: string[] = [], env: Record<string, string> = {}) {
  // A generous deadline unless a test sets its own: on a loaded CI machine a healthy check can take seconds.
  const deadline = args.includes('--timeout') ? [] : ['--timeout', '60'];
  const result = await runCli(
    ['doctor', '--json', ...deadline, ...args],
    fakes.env(dataDir, { BOTCTL_FFMPEG_PATH: ffmpeg, ...env }),
  );
  const report = parseEnvelope(result.stdout).result as Report;
  const check = (id: string) => report.checks.find((c) => c.id === id);
  /** The checks that did not pass, for assertion messages. */
  const why = JSON.stringify(report.checks.filter((c) => c.status !== 'pass'));
  return { exitCode: result.exitCode, report, check, why };
}

describe('botctl doctor', { timeout: PROCESS_TIMEOUT_MS }, () => {
  it('passes on a healthy SQLite setup (exit 0), warning only that there is no backup yet', async () => {
    const { exitCode, report, check, why } = await doctor(healthy);
    expect(exitCode, why).toBe(0);
    expect(report.healthy).toBe(true);
    expect(report.checks.filter((c) => c.status !== 'pass').map((c) => c.id)).toEqual(['backup']);
    expect(check('telegram')?.detail).toContain('@botctl_test_bot');
    expect(check('database')?.detail).toMatch(/^sqlite reachable, migrations current/);
    expect(check('gemini')?.detail).toContain('gemini-flash-latest available');
    expect(check('permissions')?.detail).toMatch(/0700, config\.json 0600$/);
    expect(check('ffmpeg')).toMatchObject({ status: 'pass', detail: 'ffmpeg version 9.9-test' });
    expect(check('pg_dump')).toBeUndefined();
    expect(check('redis')).toBeUndefined();
  });

  it('prints one line per check, and fails with a clear line when Telegram rejects the token', async () => {
    const wrong = '999:WRONGwrongWRONGwrongWRONG';
    const result = await runCli(
      ['doctor', '--timeout', '60'],
      fakes.env(healthy, { BOTCTL_TELEGRAM_TOKEN: wrong }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^FAIL {2}Telegram token +Telegram rejected the bot token \(401/m);
    expect(result.stdout).toMatch(/^WARN {2}Webhook state +not checked: Telegram token failed$/m);
    expect(result.stdout).toMatch(/^PASS {2}Database /m);
    expect(result.stdout).toMatch(/\d+ passed, \d+ warning\(s\), 1 failed$/m);
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });

  it('gives up on a Telegram that never answers after --timeout, and reports the rest', async () => {
    fakes.telegram.setLatency(120_000, 'getMe');
    try {
      const { exitCode, report, check } = await doctor(healthy, ['--timeout', '3']);
      expect(exitCode).toBe(1);
      expect(check('telegram')).toMatchObject({ status: 'fail', detail: 'no answer within 3 s' });
      expect(check('webhook')?.detail).toBe('not checked: Telegram token failed');
      // Every other check still has its own result (on a loaded machine any of them may be slow too).
      expect(report.checks.map((c) => c.id)).toEqual([
        'node',
        'config',
        'permissions',
        'disk',
        'database',
        'instances',
        'telegram',
        'webhook',
        'gemini',
        'ffmpeg',
        'backup',
      ]);
      expect(check('node')?.status).toBe('pass');
    } finally {
      fakes.telegram.setLatency(0, 'getMe');
    }
  });

  it('warns when a webhook is set while the mode is polling', async () => {
    const set = await fetch(
      `${fakes.telegram.apiRoot}/bot${TOKEN}/setWebhook?url=${encodeURIComponent('https://old.example.com/hook')}`,
    );
    expect(set.ok).toBe(true);
    try {
      const { exitCode, check, why } = await doctor(healthy);
      expect(exitCode, why).toBe(0);
      expect(check('webhook')).toMatchObject({ status: 'warn' });
      expect(check('webhook')?.detail).toMatch(
        /^mode is polling but a webhook is set \(https:\/\/old\.example\.com\/hook\)/,
      );
    } finally {
      await fetch(`${fakes.telegram.apiRoot}/bot${TOKEN}/deleteWebhook`);
    }
  });

  it('warns when the admin API is on over plain http on an address other machines reach', async () => {
    expect((await doctor(healthy)).check('admin_api')).toBeUndefined();
    const local = await doctor(healthy, [], { BOTCTL_ADMIN: 'on' });
    expect(local.check('admin_api')).toMatchObject({
      status: 'pass',
      detail: 'on, served over http on 127.0.0.1 only (this machine)',
    });
    const open = await doctor(healthy, [], { BOTCTL_ADMIN: 'on', BOTCTL_HTTP_HOST: '0.0.0.0' });
    expect(open.exitCode, open.why).toBe(0);
    expect(open.check('admin_api')).toMatchObject({ status: 'warn' });
    expect(open.check('admin_api')?.detail).toMatch(/^on, served over plain http on 0\.0\.0\.0/);
    expect(open.check('admin_api')?.hint).toContain('HTTPS reverse proxy');
  });

  it('fails on a model the key cannot use, pending migrations and an invalid config', async () => {
    const model = await doctor(healthy, [], { BOTCTL_MODEL: 'gemini-0.1-ancient' });
    expect(model.exitCode).toBe(1);
    expect(model.check('gemini')).toMatchObject({
      status: 'fail',
      detail: 'model gemini-0.1-ancient is not available to this key',
    });
    expect(model.check('gemini')?.hint).toContain('gemini-flash-latest');

    const dataDir = tempDataDir();
    expect((await setupUnattended(fakes, dataDir)).exitCode).toBe(0);
    const down = await runCli(['migrate', 'down', '--yes', '--json'], { BOTCTL_DATA_DIR: dataDir });
    expect(down.exitCode, down.stderr).toBe(0);
    const rolledBack = parseEnvelope(down.stdout).result as { reverted: string[] };
    expect(shapeMismatches('migrate down', rolledBack)).toEqual([]);
    expect(rolledBack.reverted).toHaveLength(1);
    const pending = await doctor(dataDir);
    expect(pending.exitCode).toBe(1);
    expect(pending.check('database')).toMatchObject({ status: 'fail', hint: 'run `botctl migrate up`' });
    expect(pending.check('database')?.detail).toMatch(/migration\(s\) pending/);

    const invalid = await doctor(dataDir, [], { BOTCTL_HTTP_PORT: 'eighty' });
    expect(invalid.exitCode).toBe(1);
    expect(invalid.check('config')?.detail).toMatch(/^httpPort \(BOTCTL_HTTP_PORT, from env\): /);
    expect(invalid.check('telegram')?.detail).toBe('not checked: Configuration failed');
    expect(invalid.check('node')?.status).toBe('pass');
  });

  it('on an invalid config, fails that check naming the key, runs the checks that need no config, and says "error" in --json', async () => {
    const result = await runCli(
      ['doctor', '--json', '--timeout', '60'],
      fakes.env(healthy, { BOTCTL_FFMPEG_PATH: ffmpeg, BOTCTL_MODE: 'carrier-pigeon' }),
    );
    expect(result.exitCode).toBe(1);
    const envelope = parseEnvelope(result.stdout) as ReturnType<typeof parseEnvelope> & { result: Report };
    expect(envelope).toMatchObject({
      status: 'error',
      error: { code: 'CHECK_FAILED', message: '1 check(s) failed: Configuration' },
    });
    const check = (id: string) => envelope.result.checks.find((c) => c.id === id);
    expect(check('config')).toMatchObject({ status: 'fail' });
    expect(check('config')?.detail).toMatch(/^mode \(BOTCTL_MODE, from env\): /);
    // The webhook check needs the token check, which needs the config: neither is run.
    expect(check('telegram')?.detail).toBe('not checked: Configuration failed');
    expect(check('webhook')).toMatchObject({ status: 'warn', detail: 'not checked: Configuration failed' });
    for (const id of ['node', 'permissions', 'disk']) expect(check(id)?.status, id).toBe('pass');
    expect(check('ffmpeg')?.detail).toBeTruthy(); // looked for under its default name: the config is unreadable
    expect(result.stdout).not.toMatch(/Cannot destructure|of null/);

    const ok = await runCli(
      ['doctor', '--json', '--timeout', '60'],
      fakes.env(healthy, { BOTCTL_FFMPEG_PATH: ffmpeg }),
    );
    expect(ok.exitCode, ok.stdout).toBe(0);
    expect(parseEnvelope(ok.stdout).status).toBe('ok');
  });

  it('warns about a data dir or config file others can read, a Redis that does not answer and a missing ffmpeg', async () => {
    const dataDir = tempDataDir();
    expect((await setupUnattended(fakes, dataDir)).exitCode).toBe(0);
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(path.join(dataDir, 'config.json'), 0o644);
    const env = {
      BOTCTL_REDIS_URL: 'redis://127.0.0.1:1',
      BOTCTL_FFMPEG_PATH: path.join(dataDir, 'no-ffmpeg'),
    };
    const { exitCode, check, why } = await doctor(dataDir, [], env);
    expect(exitCode, why).toBe(0);
    expect(check('ffmpeg')).toMatchObject({ status: 'warn' });
    expect(check('ffmpeg')?.detail).toMatch(/no-ffmpeg not found: spoken answers are disabled$/);
    expect(check('permissions')).toMatchObject({ status: 'warn' });
    expect(check('permissions')?.detail).toMatch(/is 0755 \(want 0700\); config\.json is 0644 \(want 0600\)/);
    expect(check('redis')).toMatchObject({ status: 'warn' });
  });

  describe('on Postgres', () => {
    let db: TestDatabase;
    let dataDir: string;
    beforeAll(async () => {
      db = await openTestDatabase('postgres', { migrate: false });
      dataDir = tempDataDir();
      const setup = await setupUnattended(fakes, dataDir, [
        '--database-url',
        db.url,
        '--redis-url',
        'redis://127.0.0.1:6379',
      ]);
      expect(setup.exitCode, setup.stderr).toBe(0);
    }, PROCESS_TIMEOUT_MS);
    afterAll(() => db?.cleanup());

    it('checks the server, pg_dump and Redis, and sees a fresh backup', async () => {
      const backup = await runCli(['backup', 'create'], { BOTCTL_DATA_DIR: dataDir });
      expect(backup.exitCode, backup.stderr).toBe(0);
      const { exitCode, report, check, why } = await doctor(dataDir);
      expect(exitCode, why).toBe(0);
      expect(report.summary.fail).toBe(0);
      expect(check('database')?.detail).toMatch(/^postgres reachable, migrations current/);
      expect(check('pg_dump')).toMatchObject({ status: 'pass' });
      expect(check('pg_dump')?.detail).toMatch(/^pg_dump \(PostgreSQL\) \d+.*, server PostgreSQL \d+$/);
      expect(check('redis')).toMatchObject({ status: 'pass', detail: 'answers PING' });
      expect(check('backup')).toMatchObject({ status: 'pass' });
    });

    it('fails pg_dump older than the server (pg_dump refuses a newer server), naming the client to install', async () => {
      const [row] = await db.raw('show server_version_num');
      const server = Math.floor(Number(row!.server_version_num) / 10_000);
      const bin = fs.mkdtempSync(path.join(path.dirname(dataDir), 'old-pg-'));
      fs.writeFileSync(
        path.join(bin, 'pg_dump'),
        `#!/bin/sh\necho "pg_dump (PostgreSQL) ${server - 1}.9 (Debian ${server - 1}.9-1)"\n`,
        { mode: 0o755 },
      );
      const { exitCode, report, check } = await doctor(dataDir, [], { PATH: `${bin}:${process.env.PATH}` });
      expect(exitCode).toBe(1);
      expect(report.summary.fail).toBe(1);
      expect(check('pg_dump')).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining(
          `pg_dump ${server - 1} is older than the server (PostgreSQL ${server})`,
        ),
        hint: expect.stringContaining(`postgresql-client-${server}`),
      });
    });

    it('fails with one line when the server cannot be reached', async () => {
      const { exitCode, check } = await doctor(dataDir, [], {
        BOTCTL_DATABASE_URL: 'postgres://botctl:pw-77@127.0.0.1:1/x',
      });
      expect(exitCode).toBe(1);
      expect(check('database')).toMatchObject({ status: 'fail' });
      expect(check('database')?.detail).toContain('postgres://botctl:****@127.0.0.1:1/x');
      expect(JSON.stringify(check('database'))).not.toContain('pw-77');
    });
  });
});
