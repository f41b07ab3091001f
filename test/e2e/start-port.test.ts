/**
 * `botctl start` when its HTTP port is taken (another daemon, another program): a coded error
 * naming the address and the setting to change, not INTERNAL with a raw EADDRINUSE.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { TEST_GEMINI_KEY, TEST_TOKEN } from '../helpers/bot-harness.js';
import { parseEnvelope, runCli } from '../helpers/cli.js';

let telegram: FakeTelegram;
let gemini: FakeGemini;
let busy: net.Server;
let port: number;

beforeAll(async () => {
  telegram = await startFakeTelegram({ token: TEST_TOKEN });
  gemini = await startFakeGemini({ apiKey: TEST_GEMINI_KEY });
  busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  port = (busy.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy?.close(resolve));
  await telegram?.close();
  await gemini?.close();
});

describe('botctl start on a busy port', { timeout: 120_000 }, () => {
  it('exits 1 with PORT_IN_USE and a hint naming the port and the setting', async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-port-')), 'data');
    const env = {
      BOTCTL_DATA_DIR: dataDir,
      BOTCTL_TELEGRAM_TOKEN: TEST_TOKEN,
      BOTCTL_TELEGRAM_API_ROOT: telegram.apiRoot,
      BOTCTL_GEMINI_API_KEY: TEST_GEMINI_KEY,
      BOTCTL_GEMINI_BASE_URL: gemini.baseUrl,
      BOTCTL_HTTP_PORT: String(port),
    };
    const migrated = await runCli(['migrate', 'up', '--json'], env);
    expect(parseEnvelope(migrated.stdout).status, migrated.stderr).toBe('ok');

    const result = await runCli(['start'], env);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`Error: Port ${port} on 127.0.0.1 is already in use`);
    expect(result.stderr).toContain('Code: PORT_IN_USE');
    expect(result.stderr).toMatch(/Try this: .*httpPort.*BOTCTL_HTTP_PORT/s);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
