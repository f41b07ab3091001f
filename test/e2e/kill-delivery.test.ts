/**
 * Answered once under kill -9: the built daemon (`bin/run.js start`, shipped defaults) takes
 * 200 messages from 50 users (private chats and groups) from the fake Telegram, is killed with
 * SIGKILL at several points and restarted each time, then finishes. Counted in the fake
 * Telegram, every message gets its answer exactly once, complete (the final text is what the
 * fake Gemini wrote, no truncated group preview left behind), in order per chat.
 *
 * Telegram's sendMessage has no idempotency key: a kill in the instant between Telegram accepting
 * a message and the daemon recording it (one database write later) sends that message again on
 * replay, and nothing can tell. So that instant is kept out of the kill points: for a moment
 * before each kill the fake Telegram refuses sends with a 429 (as its flood control does), and
 * what it already accepted gets recorded. Everything else is a kill point: generating, streaming,
 * waiting for a send, between the answer's storage and its delivery, replaying.
 *
 * CI kills each dialect at five points of one load. `BOTCTL_KILL_SWEEP=N` instead runs N
 * separate loads per dialect, each killed once at a different point, and prints the lost,
 * duplicated and truncated answers per kill point (about a minute per load);
 * `BOTCTL_KILL_RAW=1` kills without the pause, to measure that instant's duplicates.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MessageEntity } from 'grammy/types';
import { daemonEnv, useDaemonFakes } from '../helpers/daemon-fakes.js';
import { spawnCli } from '../helpers/cli.js';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { waitFor } from '../helpers/ports.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PRIVATE_USERS = 42;
const GROUPS = 8; // one user each: Telegram's 20 messages a minute per group paces group answers
const MESSAGES_EACH = 4;
/** Milliseconds after the daemon starts polling at which it is killed, one after another. */
const CI_KILLS = [1200, 2500, 3600, 1900, 4500];
const SWEEP = Number(process.env.BOTCTL_KILL_SWEEP ?? 0);
const RAW = process.env.BOTCTL_KILL_RAW === '1';
/** How long sends are refused before a kill: ample for the daemon to record what Telegram accepted. */
const HOLD_MS = 1000;

const fakes = useDaemonFakes();

/** What the fake Gemini writes for a question: streamed in five pieces, so answers are caught mid-way. */
function answerTo(question: string): string {
  return `Answer to ${question}: alpha beta gamma delta.`;
}

interface Chat {
  chatId: number;
  userId: number;
  group: boolean;
  questions: string[];
}

/** 50 users, 4 questions each: 42 in private chats, 8 in groups (where they mention the bot). */
function plan(base: number): Chat[] {
  const chats: Chat[] = [];
  for (let i = 0; i < PRIVATE_USERS + GROUPS; i += 1) {
    const userId = base + i;
    const group = i >= PRIVATE_USERS;
    const questions = Array.from({ length: MESSAGES_EACH }, (_, m) => `u${i} m${m + 1}`);
    chats.push({ chatId: group ? -(base + i) : userId, userId, group, questions });
  }
  return chats;
}

function push(chat: Chat, question: string): void {
  if (!chat.group) {
    fakes.telegram.pushUpdate(
      fakes.telegram.updates.text({ chatId: chat.chatId, userId: chat.userId, text: question }),
    );
    return;
  }
  const mention = `@${fakes.telegram.botInfo.username}`;
  const entities: MessageEntity[] = [{ type: 'mention', offset: 0, length: mention.length }];
  fakes.telegram.pushUpdate(
    fakes.telegram.updates.text({
      chatId: chat.chatId,
      userId: chat.userId,
      chatType: 'group',
      text: `${mention} ${question}`,
      entities,
    }),
  );
}

interface Tally {
  lost: number;
  duplicated: number;
  truncated: number;
  outOfOrder: number;
  /** Chats whose bot messages differ from the expected answers, in order. */
  wrongChats: string[];
}

/** Counts, per expected answer, how often it is in its chat now; anything else is a stray. */
function tally(chats: Chat[]): Tally {
  const result: Tally = { lost: 0, duplicated: 0, truncated: 0, outOfOrder: 0, wrongChats: [] };
  for (const chat of chats) {
    const expected = chat.questions.map(answerTo);
    const shown = fakes.telegram.sentMessages(chat.chatId);
    for (const answer of expected) {
      const times = shown.filter((text) => text === answer).length;
      if (times === 0) result.lost += 1;
      if (times > 1) result.duplicated += times - 1;
    }
    result.truncated += shown.filter((text) => !expected.includes(text)).length;
    const firsts = expected.map((answer) => shown.indexOf(answer)).filter((index) => index >= 0);
    if (firsts.some((index, i) => i > 0 && index < firsts[i - 1]!)) result.outOfOrder += 1;
    if (JSON.stringify(shown) !== JSON.stringify(expected))
      result.wrongChats.push(`${chat.chatId}: ${JSON.stringify(shown)}`);
  }
  return result;
}

type Dialect = 'sqlite' | 'postgres';

/** One load of 200 messages with a SIGKILL (and a restart) at each point in `kills`; returns the tally. */
async function runLoad(dialect: Dialect, kills: readonly number[]): Promise<Tally> {
  fakes.telegram.reset();
  fakes.gemini.reset();
  fakes.gemini.respond = (request) => {
    const question = request.lastUserText.replace(/^.*?(u\d+ m\d+)$/s, '$1');
    const text = answerTo(question);
    const words = text.split(/(?<= )/);
    return {
      chunks: words.length > 4 ? [words.slice(0, 4).join(''), ...words.slice(4)] : words,
      chunkDelayMs: 350,
    };
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-kill-'));
  let database: TestDatabase | undefined;
  const extra: Record<string, string> = {};
  if (dialect === 'postgres') {
    database = await openTestDatabase('postgres', { migrate: false });
    extra.BOTCTL_DATABASE_URL = database.url;
    extra.BOTCTL_REDIS_URL = REDIS_URL;
  }
  const logs: string[] = [];
  const start = async (args: string[]) => {
    const since = Date.now();
    const daemon = spawnCli(args, {
      BOTCTL_DATA_DIR: dataDir,
      ...(await daemonEnv(fakes)),
      BOTCTL_LOG_LEVEL: 'warn',
      ...extra,
    });
    try {
      await fakes.telegram.waitForCall('getUpdates', (c) => c.at >= since, 60_000);
    } catch (error) {
      daemon.kill('SIGKILL');
      const result = await daemon;
      throw new Error(`daemon did not start: ${String(result.stderr).slice(-2000)}`, { cause: error });
    }
    // Wrapped: execa's result is a thenable, and returning it bare would wait for the process to exit.
    return { daemon };
  };
  const collect = (result: { stdout: unknown; stderr: unknown }) =>
    logs.push(String(result.stdout).slice(-3000), String(result.stderr).slice(-3000));

  try {
    // Unique ids per load, so a shared Redis never mixes loads (the cache namespace also differs).
    const chats = plan(100_000 + Math.floor(Math.random() * 1_000_000) * 100);
    let { daemon } = await start(['start', '--auto-migrate']);
    // Each user sends their messages one after another, all users at once.
    for (let m = 0; m < MESSAGES_EACH; m += 1) {
      for (const chat of chats) push(chat, chat.questions[m]!);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    for (const [index, delay] of kills.entries()) {
      const hold = RAW ? 0 : HOLD_MS;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, delay - hold - (index === 0 ? 450 : 0))),
      );
      if (!RAW) fakes.telegram.setRateLimit({ perSecond: 0, retryAfter: 1 });
      await new Promise((resolve) => setTimeout(resolve, hold));
      daemon.kill('SIGKILL');
      collect(await daemon);
      fakes.telegram.setRateLimit(null);
      ({ daemon } = await start(['start']));
    }
    // Done when every answer is there, or when nothing has reached Telegram or Gemini for 20 s
    // (a slow machine may take seconds to restart and replay).
    let lastSend = Date.now();
    const stopWatching = fakes.telegram.onCall((call) => {
      if (/^(sendMessage|editMessageText)$/.test(call.method)) lastSend = Date.now();
    });
    await waitFor(
      () => {
        const lastActivity = Math.max(lastSend, fakes.gemini.requests.at(-1)?.at ?? 0);
        if (tally(chats).lost > 0 && Date.now() - lastActivity < 20_000)
          throw new Error('answers still coming');
      },
      180_000,
      200,
    ).finally(stopWatching);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a late second copy would show now
    daemon.kill('SIGTERM');
    const last = await daemon;
    collect(last);
    expect(last.exitCode, logs.join('\n')).toBe(0);
    const result = tally(chats);
    // The daemons' warnings and errors, to see why when an answer is missing.
    if (result.wrongChats.length > 0)
      result.wrongChats.push(...logs.filter(Boolean).map((l) => l.slice(-1500)));
    return result;
  } finally {
    await database?.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const perfect = { lost: 0, duplicated: 0, truncated: 0, outOfOrder: 0, wrongChats: [] };

describe('answered once under kill -9 (process)', { timeout: 600_000 + SWEEP * 300_000 }, () => {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const label = dialect === 'sqlite' ? 'SQLite' : 'Postgres + Redis';
    if (SWEEP > 0) {
      it(`${label}: ${SWEEP} loads, each killed once at a different point`, async () => {
        const rows: string[] = [];
        const tallies: Tally[] = [];
        for (let k = 0; k < SWEEP; k += 1) {
          const delay =
            Number(process.env.BOTCTL_KILL_AT ?? 0) || 1200 + Math.round((k * 6000) / Math.max(1, SWEEP - 1));
          const result = await runLoad(dialect, [delay]);
          tallies.push(result);
          rows.push(
            `| ${label} | ${delay} ms | ${result.lost} | ${result.duplicated} | ${result.truncated} | ${result.outOfOrder} |`,
          );
        }
        console.log(
          [
            '| dialect | kill after polling started | lost | duplicated | truncated | chats out of order |',
            '| --- | --- | --- | --- | --- | --- |',
            ...rows,
          ].join('\n'),
        );
        for (const result of tallies) expect(result).toEqual(perfect);
      });
    } else {
      it(`${label}: killed at ${CI_KILLS.length} points of one 200-message load, every message answered once, complete, in order`, async () => {
        expect(await runLoad(dialect, CI_KILLS)).toEqual(perfect);
      });
    }
  }
});
