/**
 * `botctl start` as a real process: clear refusals at start-up, SIGTERM lets an answer in
 * flight finish, and kill -9 mid-answer followed by a restart answers that update once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { daemonEnv, useDaemonFakes } from '../helpers/daemon-fakes.js';
import { TEST_TOKEN } from '../helpers/bot-harness.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/ports.js';

const fakes = useDaemonFakes();

async function envFor(dataDir: string, extra: Record<string, string> = {}) {
  return {
    BOTCTL_DATA_DIR: dataDir,
    ...(await daemonEnv(fakes)),
    BOTCTL_LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Awaits `step`; if it fails, kills the daemon and puts its output into the error. */
async function step<T>(daemon: ReturnType<typeof spawnCli>, promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    daemon.kill('SIGKILL');
    const result = await daemon;
    throw new Error(
      `${(error as Error).message}\n--- daemon stdout:\n${String(result.stdout).slice(-2000)}\n--- stderr:\n${String(result.stderr).slice(-2000)}`,
      { cause: error },
    );
  }
}

/** Resolves once a getMe sent since `since` reached the fake (answered or still held). */
const getMeArrived = (since: number) =>
  waitFor(() => {
    if (!fakes.telegram.calls.some((c) => c.method === 'getMe' && c.at >= since))
      throw new Error('no getMe yet');
  }, 60_000);

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-proc-'));

describe('botctl start (process)', { timeout: 120_000 }, () => {
  it('refuses to start without a token, naming the missing keys (exit 2)', async () => {
    const result = await runCli(['start'], { BOTCTL_DATA_DIR: tempDir() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('telegramToken (BOTCTL_TELEGRAM_TOKEN)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses pending migrations unless --auto-migrate (exit 1), and a missing database without creating it', async () => {
    const env = await envFor(tempDir());
    const missing = await runCli(['start'], env);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('DATABASE_MISSING');
    expect(fs.existsSync(path.join(env.BOTCTL_DATA_DIR, 'botctl.sqlite'))).toBe(false);
    expect((await runCli(['migrate', 'up', '--to', '0'], env)).exitCode).toBe(0);
    const result = await runCli(['start'], env);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/migration\(s\) pending/);
    expect(result.stderr).toContain('botctl migrate up');
  });

  it('says clearly when Telegram rejects the token, without printing it', async () => {
    const wrong = '999999:WRONGtokenWRONGtokenWRONG_xyz';
    const result = await runCli(
      ['start', '--auto-migrate'],
      await envFor(tempDir(), { BOTCTL_TELEGRAM_TOKEN: wrong }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/Telegram rejected the bot token/);
    expect(result.stderr + result.stdout).not.toContain(wrong);
  });

  it('finishes an answer in flight on SIGTERM, then exits 0', async () => {
    const dataDir = tempDir();
    fakes.gemini.respond = () => ({ chunks: ['part one, ', 'part two, ', 'part three.'], chunkDelayMs: 700 });
    const since = Date.now();
    const daemon = spawnCli(['start', '--auto-migrate'], await envFor(dataDir));
    await step(
      daemon,
      fakes.telegram.waitForCall('getUpdates', (c) => c.at >= since, 60_000),
    );
    fakes.telegram.pushUpdate(fakes.telegram.updates.text({ chatId: 7001, text: 'long one' }));
    await fakes.telegram.waitForCall('sendMessageDraft', (c) => c.params.chat_id === 7001, 30_000);
    daemon.kill('SIGTERM');
    const result = await daemon;
    expect(result.exitCode).toBe(0);
    expect(fakes.telegram.sentMessages(7001)).toEqual(['part one, part two, part three.']);
    expect(String(result.stdout)).toContain('"msg":"botctl stopped"');
    expect(String(result.stdout)).not.toContain(TEST_TOKEN);
  });

  it('a SIGTERM while starting (Telegram slow to answer getMe) stops cleanly once up: exit 0', async () => {
    const dataDir = tempDir();
    fakes.telegram.setLatency(1500, 'getMe');
    try {
      const since = Date.now();
      const daemon = spawnCli(['start', '--auto-migrate'], await envFor(dataDir));
      await step(daemon, getMeArrived(since));
      // getMe is on its way and held: the daemon is mid-start, with nothing to stop yet.
      daemon.kill('SIGTERM');
      const result = await daemon;
      expect(result.exitCode, String(result.stderr)).toBe(0);
      expect(String(result.stdout)).toContain('"msg":"botctl stopped"');
    } finally {
      fakes.telegram.setLatency(0, 'getMe');
    }
  });

  it('a start still busy 5 s after a SIGTERM (getMe hanging) exits 130 at once then', async () => {
    const dataDir = tempDir();
    fakes.telegram.setLatency(60_000, 'getMe');
    try {
      const since = Date.now();
      const daemon = spawnCli(['start', '--auto-migrate'], await envFor(dataDir));
      await step(daemon, getMeArrived(since));
      const signalled = Date.now();
      daemon.kill('SIGTERM');
      const result = await daemon;
      expect(result.exitCode).toBe(130);
      expect(Date.now() - signalled).toBeGreaterThanOrEqual(4_900);
      expect(Date.now() - signalled).toBeLessThan(30_000);
    } finally {
      fakes.telegram.setLatency(0, 'getMe');
    }
  });

  it("sends each message's model request before the long poll that follows it (shipped defaults)", async () => {
    const dataDir = tempDir();
    // For each question: had the getUpdates acknowledging its update reached Telegram before the model request?
    const pollFirst: boolean[] = [];
    fakes.gemini.respond = (req) => {
      // The answers only, not the conversation titles asked for after them.
      if (req.method !== 'streamGenerateContent') return { text: 'a title' };
      const updateId = Number(req.lastUserText.split(' ')[1]);
      pollFirst.push(
        fakes.telegram.calls.some((c) => c.method === 'getUpdates' && Number(c.params.offset) > updateId),
      );
      return { text: `answer to ${req.lastUserText}` };
    };
    const since = Date.now();
    const daemon = spawnCli(['start', '--auto-migrate'], await envFor(dataDir, { BOTCTL_LOG_LEVEL: 'warn' }));
    await step(
      daemon,
      fakes.telegram.waitForCall('getUpdates', (c) => c.at >= since, 60_000),
    );
    // Two users, five messages each: within the shipped per-user burst, so each one asks the model.
    for (let i = 0; i < 10; i++) {
      const updateId = 900_000 + i;
      const chatId = 7011 + (i % 2);
      fakes.telegram.pushUpdate({
        ...fakes.telegram.updates.text({ chatId, text: `update ${updateId}` }),
        update_id: updateId,
      });
      await step(
        daemon,
        waitFor(
          () => expect(fakes.telegram.sentMessages(chatId)).toHaveLength(Math.floor(i / 2) + 1),
          30_000,
        ),
      );
    }
    daemon.kill('SIGTERM');
    expect((await daemon).exitCode).toBe(0);
    expect(pollFirst).toEqual(Array.from({ length: 10 }, () => false));
  });

  it('answers an update exactly once after kill -9 mid-answer and a restart', async () => {
    const dataDir = tempDir();
    fakes.gemini.respond = () => ({ chunks: ['slow ', 'answer'], chunkDelayMs: 1500 });
    const since = Date.now();
    const first = spawnCli(['start', '--auto-migrate'], await envFor(dataDir));
    await step(
      first,
      fakes.telegram.waitForCall('getUpdates', (c) => c.at >= since, 60_000),
    );
    fakes.telegram.pushUpdate(fakes.telegram.updates.text({ chatId: 7002, text: 'crash test' }));
    await waitFor(() => {
      if (!fakes.gemini.requests.some((r) => r.lastUserText === 'crash test'))
        throw new Error('not asked yet');
    }, 30_000);
    first.kill('SIGKILL');
    await first;
    expect(fakes.telegram.sentMessages(7002)).toEqual([]);

    fakes.gemini.respond = (req) => ({ text: `recovered: ${req.lastUserText}` });
    const second = spawnCli(['start'], await envFor(dataDir));
    await step(
      second,
      waitFor(() => expect(fakes.telegram.sentMessages(7002)).toEqual(['recovered: crash test']), 60_000),
    );
    second.kill('SIGTERM');
    expect((await second).exitCode).toBe(0);
    expect(fakes.telegram.sentMessages(7002)).toEqual(['recovered: crash test']);
  });

  it('a second poller on the same token: one daemon stops with TELEGRAM_CONFLICT (exit 1), the other answers', async () => {
    fakes.gemini.respond = (req) => ({ text: `one of two: ${req.lastUserText}` });
    const since = Date.now();
    const first = spawnCli(['start', '--auto-migrate'], await envFor(tempDir()));
    await step(
      first,
      fakes.telegram.waitForCall('getUpdates', (c) => c.at >= since, 60_000),
    );
    const second = spawnCli(['start', '--auto-migrate'], await envFor(tempDir()));
    // Telegram ends the older long poll with 409 when the newer arrives: whichever gets it stops.
    // (execa's subprocesses are thenables: race on their indexes, not on them.)
    const stopped = await step(
      second,
      step(first, Promise.race([first.then(() => 0), second.then(() => 1)])),
    );
    const [loser, winner] = stopped === 0 ? [first, second] : [second, first];
    const result = await loser;
    expect(result.exitCode, `${String(result.stdout).slice(-2500)}\n${String(result.stderr)}`).toBe(1);
    expect(String(result.stderr)).toMatch(/Another process is taking this bot's updates \(409 Conflict/);
    expect(String(result.stderr)).toContain('TELEGRAM_CONFLICT');
    expect(String(result.stderr)).toContain('run one botctl per bot token');
    expect(String(result.stdout)).toContain('"msg":"botctl stopped"');

    fakes.telegram.pushUpdate(fakes.telegram.updates.text({ chatId: 7003, text: 'who answers?' }));
    await step(
      winner,
      waitFor(() => expect(fakes.telegram.sentMessages(7003)).toEqual(['one of two: who answers?']), 30_000),
    );
    winner.kill('SIGTERM');
    const end = await winner;
    expect(end.exitCode, `${String(end.stdout).slice(-3000)}\n${String(end.stderr).slice(-1500)}`).toBe(0);
    expect(fakes.telegram.sentMessages(7003)).toEqual(['one of two: who answers?']);
  });
});
