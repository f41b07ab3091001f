/**
 * setup, doctor and config command classes run in-process (so coverage sees them) against the
 * fake Telegram and Gemini servers; the process-level tests beside this file are the real edge.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import ConfigGet from '../../src/commands/config/get.js';
import ConfigList from '../../src/commands/config/list.js';
import ConfigSet from '../../src/commands/config/set.js';
import ConfigValidate from '../../src/commands/config/validate.js';
import Doctor from '../../src/commands/doctor.js';
import Setup from '../../src/commands/setup.js';
import { shapeErrors } from '../../src/cli/json-shape.js';
import {
  GEMINI_KEY,
  PROCESS_TIMEOUT_MS,
  TOKEN,
  startFakes,
  tempDataDir,
  type Fakes,
} from '../helpers/setup-env.js';
import { runInProcess, type Runnable } from '../helpers/run-command.js';

let fakes: Fakes;
let dataDir: string;

beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(() => fakes?.close());
beforeEach(() => {
  dataDir = tempDataDir();
  vi.stubEnv('BOTCTL_TELEGRAM_API_ROOT', fakes.telegram.apiRoot);
  vi.stubEnv('BOTCTL_GEMINI_BASE_URL', fakes.gemini.baseUrl);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const run = (command: Runnable, argv: string[]) => runInProcess(command, [...argv, '--data-dir', dataDir]);

describe('operator commands in-process', { timeout: PROCESS_TIMEOUT_MS }, () => {
  it('setup, then doctor and config on what it wrote', async () => {
    const setup = await run(Setup, [
      '--no-input',
      '--telegram-token',
      TOKEN,
      '--gemini-api-key',
      GEMINI_KEY,
      '--admins',
      '3',
      '--render',
      'all',
    ]);
    expect(setup.exitCode, setup.stderr + String(setup.error)).toBe(0);
    expect(setup.stdout).toMatch(/^Wrote .*config\.json \(mode 0600\)$/m);
    expect(setup.stdout).toContain('Sent a test message to admin 3.');
    // all: systemd 5, compose, env, k8s 5 (one instance), the Grafana dashboard and the Prometheus alert rules.
    expect(setup.stdout).toMatch(/Rendered 14 file\(s\)/);
    expect(fakes.telegram.sentMessages(3)).toHaveLength(1);

    const doctor = await run(Doctor, ['--timeout', '60']);
    expect(doctor.exitCode, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(/^PASS {2}Telegram token +@botctl_test_bot/m);
    expect(doctor.stdout).toMatch(/^WARN {2}Last backup +no backup yet\n +hint: /m);

    const doctorJson = await run(Doctor, ['--json', '--timeout', '60']);
    expect(doctorJson.json().result).toMatchObject({ healthy: true });
    expect(shapeErrors(doctorJson.json().result, Doctor.jsonShape)).toEqual([]);

    const set = await run(ConfigSet, ['model', 'gemini-2.5-pro']);
    expect(set.stdout.trim()).toBe('model = gemini-2.5-pro');
    const get = await run(ConfigGet, ['telegramToken', '--reveal']);
    expect(get.stdout.trim()).toBe(TOKEN);
    const getJson = await run(ConfigGet, ['quotas', '--json']);
    expect(shapeErrors(getJson.json().result, ConfigGet.jsonShape)).toEqual([]);
    const setJson = await run(ConfigSet, ['admins', '3,4', '--json']);
    expect(shapeErrors(setJson.json().result, ConfigSet.jsonShape)).toEqual([]);
    const list = await run(ConfigList, ['--json']);
    expect(shapeErrors(list.json().result, ConfigList.jsonShape)).toEqual([]);
    expect(
      (list.json().result.options as { key: string; source: string }[]).find((o) => o.key === 'model'),
    ).toMatchObject({ source: 'file' });
    const ok = await run(ConfigValidate, []);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/^OK/);

    const rerun = await run(Setup, ['--no-input', '--json', '--skip-checks']);
    expect(rerun.json().result).toMatchObject({
      bot: null,
      model: 'gemini-2.5-pro',
      testMessage: 'skipped',
      rendered: [],
    });
    expect(fs.existsSync(path.join(dataDir, 'config.json.bak'))).toBe(true);
  });

  it('in a terminal, Ctrl-C at the first prompt exits 130 and writes nothing', async () => {
    // Ctrl-C is already waiting when the wizard asks its first question.
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    stdin.write('\x03');
    vi.spyOn(process, 'stdin', 'get').mockReturnValue(stdin as unknown as typeof process.stdin);
    const cancelled = await run(Setup, []);
    expect(cancelled.exitCode).toBe(130);
    expect(cancelled.stdout).toContain('Telegram bot token (from @BotFather): ');
    expect(cancelled.stderr).toContain('Setup cancelled: nothing was written.');
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('reports failures as coded errors, and a config file that is not JSON as a failed check', async () => {
    const wrong = await run(Setup, [
      '--no-input',
      '--telegram-token',
      '9:WRONGwrongWRONGwrongWRONG',
      '--gemini-api-key',
      GEMINI_KEY,
    ]);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.error?.message).toMatch(/Telegram rejected the bot token/);
    expect(fs.existsSync(dataDir)).toBe(false);

    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'config.json'), '{ not json');
    const doctor = await run(Doctor, ['--json']);
    expect(doctor.exitCode).toBe(1);
    const checks = doctor.json().result.checks as { id: string; status: string; detail: string }[];
    expect(checks.find((c) => c.id === 'config')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/is not a valid JSON object/),
    });
    const validate = await run(ConfigValidate, ['--json']);
    expect(validate.exitCode).toBe(2);
    expect(validate.json().result).toMatchObject({
      valid: false,
      problems: [expect.stringMatching(/is not a valid JSON object/)],
    });
    const set = await run(ConfigGet, ['nonsense']);
    expect(set.exitCode).toBe(2);
  });
});
