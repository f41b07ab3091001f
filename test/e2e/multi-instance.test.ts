/**
 * Several instances on one Postgres and Redis (issue 16): three built daemons (`bin/run.js
 * start`, webhook mode) behind a small round-robin reverse proxy written here, so that
 * consecutive messages of one chat land on different instances. 1,000 messages from 100 users:
 * every message gets exactly one reply, each chat's replies in order, and the per-user rate
 * limit holds to the token across the instances (each user gets exactly `burst` answers and a
 * notice for every message beyond). Then the same load while one instance is killed with SIGKILL
 * mid-run and restarted: still exactly one reply each, in order. The kill keeps out the instant
 * Telegram accepted a message the daemon has not recorded yet (see kill-delivery.test.ts).
 *
 * Also the refusals: a second polling instance, a second daemon on one SQLite file, and a second
 * instance without Redis each stop at start with one line and a non-zero exit.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultPromise } from 'execa';
import { daemonEnv, useDaemonFakes } from '../helpers/daemon-fakes.js';
import { WEBHOOK_SECRET } from '../helpers/bot-harness.js';
import { parseEnvelope, spawnCli } from '../helpers/cli.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { freePort, waitFor } from '../helpers/ports.js';

const REDIS_URL = 'redis://127.0.0.1:6379/14';
const USERS = 100;
const MESSAGES_EACH = 10;
/** One token back a minute: within a run each user gets exactly the burst. */
const RATE_LIMIT = { burst: 6, perMinute: 1 };
const HOLD_MS = 1000;
/** Between one user's burst and the next: keeps the updates waiting for their turn below maxInFlight. */
const USER_GAP_MS = 400;
const NOTICE = /^You're sending messages too fast\. Please wait \d+ s\.$/;

const fakes = useDaemonFakes();

/** stderr as one line: oclif wraps long errors at the terminal width, with a ' ›' margin. */
const oneLine = (text: unknown) => String(text).replace(/\s*\n\s*(›\s*)?/g, ' ');

function answerTo(question: string): string {
  return `Answer to ${question}.`;
}

/** A reverse proxy over the instances' ports, round robin, trying the next one when one is down. */
async function startProxy(ports: number[]) {
  let next = 0;
  /** Requests each instance answered with 200. */
  const answered = new Map<number, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const first = next++ % ports.length;
      const attempt = (tries: number) => {
        const port = ports[(first + tries) % ports.length]!;
        const upstream = http.request(
          { host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            if (answer.statusCode === 200) answered.set(port, (answered.get(port) ?? 0) + 1);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => {
          if (tries + 1 < ports.length && !res.headersSent) attempt(tries + 1);
          else if (!res.headersSent) res.writeHead(502).end();
          else res.destroy();
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/telegram/webhook`,
    answered,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface Instance {
  port: number;
  process: ResultPromise;
  logs: string[];
}

describe('several instances on Postgres and Redis (processes)', { timeout: 600_000 }, () => {
  let database: TestDatabase;
  const dataDirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-multi-'));
    dataDirs.push(dir);
    return dir;
  };
  beforeAll(async () => {
    database = await openTestDatabase('postgres', { migrate: false });
  });
  afterAll(async () => {
    await database?.cleanup();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function envFor(port: number, extra: Record<string, string | undefined> = {}) {
    return {
      ...(await daemonEnv(fakes)),
      BOTCTL_DATA_DIR: tempDir(),
      BOTCTL_DATABASE_URL: database.url,
      BOTCTL_REDIS_URL: REDIS_URL,
      BOTCTL_HTTP_PORT: String(port),
      BOTCTL_LOG_LEVEL: 'warn',
      BOTCTL_RATE_LIMIT: JSON.stringify(RATE_LIMIT),
      ...extra,
    };
  }

  /** Starts an instance and waits until /readyz says it takes updates. */
  async function startInstance(port: number, extra: Record<string, string | undefined>, args = ['start']) {
    const child = spawnCli(args, await envFor(port, extra));
    const instance: Instance = { port, process: child, logs: [] };
    let exited = false;
    void child.then(() => (exited = true));
    try {
      await waitFor(
        async () => {
          if (exited) throw new Error('exited');
          const response = await fetch(`http://127.0.0.1:${port}/readyz`);
          if (response.status !== 200) throw new Error(`readyz ${response.status}`);
        },
        60_000,
        200,
      );
    } catch (error) {
      child.kill('SIGKILL');
      const result = await child;
      throw new Error(`instance did not start: ${String(result.stderr).slice(-2000)}`, { cause: error });
    }
    return instance;
  }

  async function stopAll(instances: Instance[]) {
    for (const instance of instances) instance.process.kill('SIGTERM');
    const results = await Promise.all(instances.map((i) => i.process));
    return results.map((r) => ({
      code: r.exitCode,
      logs: `${String(r.stdout)}\n${String(r.stderr)}`.slice(-3000),
    }));
  }

  interface Load {
    chats: { chatId: number; questions: string[] }[];
  }

  /** The question each pushed update carries, by update_id (for a failure's timeline). */
  const questionOf = new Map<number, string>();

  function plan(base: number): Load {
    return {
      chats: Array.from({ length: USERS }, (_, u) => ({
        chatId: base + u,
        questions: Array.from({ length: MESSAGES_EACH }, (_, m) => `u${base + u} m${m + 1}`),
      })),
    };
  }

  /**
   * Pushes each user's messages back to back (Telegram delivers them one after another, so they
   * reach three instances within milliseconds, while the first is still being answered), one user
   * every USER_GAP_MS.
   */
  async function push(load: Load) {
    for (const chat of load.chats) {
      for (const question of chat.questions) {
        const update = fakes.telegram.pushUpdate(
          fakes.telegram.updates.text({ chatId: chat.chatId, userId: chat.chatId, text: question }),
        );
        questionOf.set(update.update_id, question);
      }
      await new Promise((resolve) => setTimeout(resolve, USER_GAP_MS));
    }
  }

  /** Waits until every message has a reply, or nothing moved for 20 s. */
  async function settle(load: Load) {
    const replied = () => load.chats.reduce((n, c) => n + fakes.telegram.sentMessages(c.chatId).length, 0);
    let seen = -1;
    let movedAt = Date.now();
    await waitFor(
      () => {
        const now = replied();
        if (now !== seen) [seen, movedAt] = [now, Date.now()];
        if (now < USERS * MESSAGES_EACH && Date.now() - movedAt < 20_000)
          throw new Error('replies still coming');
      },
      300_000,
      250,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a late second copy would show now
  }

  /** Per chat: what came out of order, twice, or missing; empty when all is well. */
  function problems(load: Load, exactLimit: boolean): string[] {
    const found: string[] = [];
    for (const chat of load.chats) {
      const shown = fakes.telegram.sentMessages(chat.chatId);
      // Each message's reply is its answer or a rate-limit notice, one each, in the order asked.
      const fits =
        shown.length === chat.questions.length &&
        shown.every((text, i) => text === answerTo(chat.questions[i]!) || NOTICE.test(text));
      const answered = shown.filter((text) => !NOTICE.test(text)).length;
      const expected = [
        ...chat.questions.slice(0, RATE_LIMIT.burst).map(answerTo),
        ...chat.questions.slice(RATE_LIMIT.burst).map(() => 'notice'),
      ];
      const exact =
        JSON.stringify(shown.map((t) => (NOTICE.test(t) ? 'notice' : t))) === JSON.stringify(expected);
      if (!fits || (exactLimit && !exact))
        found.push(`${chat.chatId} (${answered} answered): ${JSON.stringify(shown)}`, ...timeline(chat));
    }
    return found;
  }

  /**
   * When a chat went wrong: when each of its updates was POSTed (attempt, status), asked of the model
   * and answered, in ms from its first POST, so a failure says where the time went.
   */
  function timeline(chat: Load['chats'][number]): string[] {
    const events: Array<[number, string]> = [];
    for (const d of fakes.telegram.webhookDeliveries) {
      const question = questionOf.get(d.updateId);
      if (question !== undefined && chat.questions.includes(question))
        events.push([d.at, `POST ${question} #${d.attempt} ${d.status ?? d.error}`]);
    }
    for (const r of fakes.gemini.requests)
      if (chat.questions.includes(r.lastUserText)) events.push([r.at, `asked ${r.lastUserText}`]);
    for (const call of fakes.telegram.callsOf('sendMessage'))
      if (call.params.chat_id === chat.chatId)
        events.push([call.at, `sent ${String(call.params.text).slice(0, 30)}`]);
    const start = Math.min(...events.map(([at]) => at));
    return events.sort((a, b) => a[0] - b[0]).map(([at, what]) => `  +${at - start} ms ${what}`);
  }

  it('three webhook instances behind a round-robin proxy: 1,000 messages from 100 users answered once each, in order, rate limits to the token; again with one instance killed mid-run', async () => {
    fakes.telegram.reset();
    fakes.gemini.reset();
    fakes.gemini.respond = (request) => {
      const question = request.lastUserText.replace(/^.*?(u\d+ m\d+)$/s, '$1');
      // Odd messages take long, so the next one of the chat (on another instance) arrives while
      // they are generated: answered at once, it would overtake them.
      const slow = Number(/m(\d+)$/.exec(question)?.[1]) % 2 === 1;
      const text = answerTo(question);
      return { chunks: [text.slice(0, 8), text.slice(8)], chunkDelayMs: slow ? 700 : 30 };
    };
    /**
     * Questions the model was asked before the chat's previous answer reached Telegram: two
     * messages of one chat answered at the same time.
     */
    const overlapping = (load: Load) => {
      const asked = new Map<string, number>();
      for (const r of fakes.gemini.requests)
        if (/^u\d+ m\d+$/.test(r.lastUserText)) asked.set(r.lastUserText, r.at);
      const sent = new Map<string, number>();
      for (const call of fakes.telegram.callsOf('sendMessage'))
        if (typeof call.params.text === 'string' && !sent.has(call.params.text))
          sent.set(call.params.text, call.at);
      return load.chats.flatMap((chat) =>
        chat.questions.slice(1, RATE_LIMIT.burst).filter((question, i) => {
          const previous = sent.get(answerTo(chat.questions[i]!));
          return previous === undefined || (asked.get(question) ?? Infinity) < previous;
        }),
      );
    };
    const ports = [await freePort(), await freePort(), await freePort()];
    const proxy = await startProxy(ports);
    const webhook = {
      BOTCTL_MODE: 'webhook',
      BOTCTL_WEBHOOK_URL: proxy.url,
      BOTCTL_WEBHOOK_SECRET: WEBHOOK_SECRET,
    };
    const instances: Instance[] = [];
    try {
      instances.push(await startInstance(ports[0]!, webhook, ['start', '--auto-migrate']));
      for (const port of ports.slice(1)) instances.push(await startInstance(port, webhook));

      // 1. All three up.
      const first = plan(7_000_000 + Math.floor(Math.random() * 1000) * 1000);
      await push(first);
      await settle(first);
      // No two messages of one chat were answered at the same time.
      expect(overlapping(first)).toEqual([]);
      // Every instance took its share of the updates.
      for (const port of ports) expect(proxy.answered.get(port) ?? 0).toBeGreaterThan(200);
      expect(
        problems(first, true),
        'chats with a missing, doubled, out-of-order or wrongly limited reply',
      ).toEqual([]);

      // doctor sees the three, sharing Redis; without Redis in its configuration it fails.
      const doctor = async (extra: Record<string, string | undefined>) => {
        const result = await spawnCli(
          ['doctor', '--json'],
          await envFor(await freePort(), { ...webhook, ...extra }),
        );
        const report = parseEnvelope(String(result.stdout)).result as {
          checks: { id: string; status: string; detail: string }[];
        };
        return { exitCode: result.exitCode, check: report.checks.find((c) => c.id === 'instances') };
      };
      expect(await doctor({})).toMatchObject({
        check: {
          status: 'pass',
          detail: '3 instances run on this database, sharing rate limits through Redis',
        },
      });
      expect(await doctor({ BOTCTL_REDIS_URL: undefined })).toMatchObject({
        exitCode: 1,
        check: {
          status: 'fail',
          detail: expect.stringMatching(
            /^3 instances run on this database and this configuration has no Redis/,
          ),
        },
      });

      // 2. Again, killing the second instance mid-run and starting it again.
      const second = plan(8_000_000 + Math.floor(Math.random() * 1000) * 1000);
      const pushing = push(second);
      await new Promise((resolve) => setTimeout(resolve, 8000));
      fakes.telegram.setRateLimit({ perSecond: 0, retryAfter: 1 });
      await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
      instances[1]!.process.kill('SIGKILL');
      await instances[1]!.process;
      fakes.telegram.setRateLimit(null);
      instances[1] = await startInstance(ports[1]!, webhook);
      await pushing;
      await settle(second);
      expect(problems(second, false), 'chats with a missing, doubled or out-of-order reply').toEqual([]);
    } finally {
      const results = await stopAll(instances);
      await proxy.close();
      expect(
        results.map((r) => r.code),
        results.map((r) => r.logs).join('\n'),
      ).toEqual([0, 0, 0]);
    }
  });

  it('refuses a second polling instance, a second daemon on one SQLite file, and an instance without Redis beside others', async () => {
    const first = await startInstance(await freePort(), {}, ['start', '--auto-migrate']);
    try {
      // Polling (the default mode) on the same database: Telegram allows one getUpdates consumer.
      const poller = await spawnCli(['start'], await envFor(await freePort()));
      expect(poller.exitCode).toBe(75);
      expect(oneLine(poller.stderr)).toMatch(/Error: Another instance already polls Telegram for this bot/);
      expect(oneLine(poller.stderr)).toMatch(/one getUpdates consumer/);
      // Without Redis beside an instance with it: limits could not be shared.
      const alone = await spawnCli(
        ['start'],
        await envFor(await freePort(), {
          BOTCTL_REDIS_URL: undefined,
          BOTCTL_MODE: 'webhook',
          BOTCTL_WEBHOOK_URL: 'http://127.0.0.1:9/x',
          BOTCTL_WEBHOOK_SECRET: WEBHOOK_SECRET,
        }),
      );
      expect(alone.exitCode).toBe(75);
      expect(oneLine(alone.stderr)).toMatch(
        /Error: Another botctl instance runs on this database .* has no Redis/,
      );
      expect(oneLine(alone.stderr)).toMatch(/set redisUrl \(BOTCTL_REDIS_URL\)/);
    } finally {
      expect((await stopAll([first]))[0]!.code).toBe(0);
    }
    // Two daemons on one SQLite file.
    const dataDir = tempDir();
    const sqliteEnv = async () => ({
      ...(await daemonEnv(fakes)),
      BOTCTL_DATA_DIR: dataDir,
      BOTCTL_LOG_LEVEL: 'warn',
    });
    const since = Date.now();
    const one = spawnCli(['start', '--auto-migrate'], await sqliteEnv());
    await fakes.telegram.waitForCall('getUpdates', (c) => c.at >= since, 60_000);
    try {
      const two = await spawnCli(['start'], await sqliteEnv());
      expect(two.exitCode, oneLine(two.stderr)).toBe(75);
      expect(oneLine(two.stderr)).toMatch(
        /Error: Another botctl daemon runs on this database \(SQLite database .*\)/,
      );
      expect(oneLine(two.stderr)).toMatch(/SQLite serves one instance/);
    } finally {
      one.kill('SIGTERM');
      expect((await one).exitCode).toBe(0);
    }
  });
});
