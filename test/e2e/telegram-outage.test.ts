/**
 * Telegram unreachable (connection refused: a loopback proxy in front of the fake Telegram is
 * switched off and on again on the same port). The outage is logged at warn from the first failed
 * call and once when it ends, `/readyz` turns 503 once it has lasted 30 s, and a message sent
 * during the outage is answered within seconds of the network's return, not after auto-retry's
 * doubling waits. `botctl start` against an API root nobody listens on gives up in one line.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { startHarness, TEST_GEMINI_KEY, TEST_TOKEN, type Harness } from '../helpers/bot-harness.js';
import { runCli } from '../helpers/cli.js';
import { freePort, waitFor } from '../helpers/ports.js';

/** A TCP proxy that can refuse connections (down) and accept them again on the same port (up). */
async function startSwitchableProxy(target: number) {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const up = () =>
    new Promise<void>((resolve) => {
      if (server) return resolve();
      server = net.createServer((client) => {
        const upstream = net.connect(target, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => (sockets.delete(s), client.destroy(), upstream.destroy()));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', resolve);
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      const closing = server;
      server = undefined;
      if (closing) closing.close(() => resolve());
      else resolve();
    });
  await up();
  return { url: `http://127.0.0.1:${port}`, up, down };
}

describe('Telegram outage', { timeout: 120_000 }, () => {
  let telegram: FakeTelegram;
  let proxy: Awaited<ReturnType<typeof startSwitchableProxy>>;
  let h: Harness;
  beforeAll(async () => {
    telegram = await startFakeTelegram({ token: TEST_TOKEN });
    proxy = await startSwitchableProxy(Number(new URL(telegram.apiRoot).port));
    h = await startHarness({ telegram, env: { BOTCTL_TELEGRAM_API_ROOT: proxy.url } });
  });
  afterAll(async () => {
    await h?.close();
    await telegram?.close();
    await proxy?.down();
  });

  const readyz = async () => (await fetch(`http://127.0.0.1:${h.config.httpPort}/readyz`)).status;
  const warnings = (msg: string) => h.logs.lines().filter((l) => l.level === 40 && l.msg === msg);

  it('is logged at once, makes the daemon unready, and answers resume within seconds of its end', async () => {
    telegram.pushUpdate(telegram.updates.text({ chatId: 4401, text: 'before' }));
    await waitFor(() => expect(telegram.sentMessages(4401)).toEqual(['Echo: before']), 15_000);
    expect(await readyz()).toBe(200);

    await proxy.down();
    await waitFor(() =>
      expect(warnings('Telegram is unreachable; retrying every few seconds')).toHaveLength(1),
    );
    telegram.pushUpdate(telegram.updates.text({ chatId: 4401, text: 'during' }));
    await waitFor(async () => expect(await readyz()).toBe(503), 60_000, 500);
    // Polling retries every few seconds for half a minute, yet the outage is reported, not each try.
    expect(warnings('Telegram is unreachable; retrying every few seconds').length).toBeLessThanOrEqual(2);

    await proxy.up();
    // auto-retry's doubling waits had reached 48 s by now: the answer would come a minute late.
    await waitFor(
      () => expect(telegram.sentMessages(4401)).toEqual(['Echo: before', 'Echo: during']),
      10_000,
    );
    expect(warnings('Telegram is reachable again')).toHaveLength(1);
    await waitFor(async () => expect(await readyz()).toBe(200), 10_000);
  });
});

describe('botctl start with Telegram unreachable', { timeout: 120_000 }, () => {
  it('gives up after a while with one line naming the API root', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-outage-'));
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = await runCli(['start', '--auto-migrate'], {
      BOTCTL_DATA_DIR: dataDir,
      BOTCTL_TELEGRAM_TOKEN: TEST_TOKEN,
      BOTCTL_TELEGRAM_API_ROOT: closed,
      BOTCTL_GEMINI_API_KEY: TEST_GEMINI_KEY,
      BOTCTL_HTTP_PORT: String(await freePort()),
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(run.exitCode).toBe(1);
    expect(run.stderr.replace(/\s*\n\s*›?\s*/g, ' ')).toContain(`Telegram is not reachable at ${closed}`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout + run.stderr).not.toContain(TEST_TOKEN);
  });
});
