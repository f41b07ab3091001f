/**
 * The load shapes the bot benchmark runs against a bot process: one update at a time
 * (latency), a burst over many chats (throughput and per-chat order), and a long soak (memory).
 * Each reports the bot process's CPU time and the bench process's own (the fakes') beside it.
 */
import type { FakeGemini, GeminiRequest } from '../../test/fakes/gemini.js';
import { TELEGRAM_RATE_LIMITS, type FakeTelegram } from '../../test/fakes/telegram.js';
import type { BotProcess, Usage } from './child.js';
import { sleep } from './stats.js';
import type { Tracker } from './tracker.js';

export interface Target {
  telegram: FakeTelegram;
  gemini: FakeGemini;
  tracker: Tracker;
  bot: BotProcess;
}

export interface Cost {
  /** Bot process CPU per update. */
  botCpuMs: number;
  /** This process's CPU per update: the fakes (and the bench itself). */
  fakesCpuMs: number;
  /** The bot process's usage at the end. */
  after: Usage;
}

/** Runs `work` for `updates` updates and divides the CPU both processes spent by them. */
async function costed<T>(t: Target, updates: number, work: () => Promise<T>): Promise<T & { cost: Cost }> {
  const bot0 = t.bot.usage();
  const self0 = process.cpuUsage();
  const result = await Promise.race([work(), t.bot.exited]);
  const self = process.cpuUsage(self0);
  const after = t.bot.usage();
  return {
    ...result,
    cost: {
      botCpuMs: (after.cpuMs - bot0.cpuMs) / updates,
      fakesCpuMs: (self.user + self.system) / 1000 / updates,
      after,
    },
  };
}

/**
 * One update at a time over `chats`: push, wait for its answer. Latency is push -> the fake
 * completing the answer's sendMessage; `firstSign` is push -> the first typing action or draft.
 */
export function sequential(t: Target, chats: readonly number[], n: number, prefix: string) {
  return costed(t, n, async () => {
    const latencies: number[] = [];
    const firstSign: number[] = [];
    for (let i = 0; i < n; i++) {
      const chatId = chats[i % chats.length]!;
      const log = t.tracker.chat(chatId);
      const answers = log.answers.length;
      const signs = log.signsAt.length;
      const t0 = performance.now();
      t.telegram.pushUpdate(t.telegram.updates.text({ chatId, text: `${prefix}${i}` }));
      await t.tracker.until(() => log.answers.length > answers, `the answer in chat ${chatId}`, 30_000);
      latencies.push(log.answeredAt[answers]! - t0);
      const sign = log.signsAt[signs];
      if (sign !== undefined) firstSign.push(sign - t0);
    }
    return { latencies, firstSign };
  });
}

/** Pushes `n` updates over `chats` chats (chatBase, chatBase+1, ...) at once; waits for every answer. */
export function burst(t: Target, chatBase: number, chats: number, n: number, prefix: string) {
  const start = Array.from({ length: chats }, (_, c) => t.tracker.chat(chatBase + c).answers.length);
  return costed(t, n, async () => {
    const expectedTotal = t.tracker.answered + n;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      t.telegram.pushUpdate(
        t.telegram.updates.text({ chatId: chatBase + (i % chats), text: `${prefix}${i}` }),
      );
    }
    // A lost answer must show up as "lost" in the table, not as a crash: give up after 30 s of silence.
    const complete = await t.tracker
      .until(() => t.tracker.answered >= expectedTotal, `${n} burst answers`)
      .then(
        () => true,
        () => false,
      );
    const seconds = (performance.now() - t0) / 1000;
    await sleep(500); // late duplicates would arrive now
    return {
      updatesPerSecond: complete ? n / seconds : NaN,
      ...checkOrder(t, chatBase, chats, n, prefix, start),
    };
  });
}

/**
 * Lost, duplicated and unexpected answers, and chats whose answers came out of push order; with
 * the first few of the lost and unexpected texts (chat: text), so a bad run says what went wrong.
 */
function checkOrder(t: Target, chatBase: number, chats: number, n: number, prefix: string, start: number[]) {
  let lost = 0;
  let duplicated = 0;
  let unexpected = 0;
  let reorderedChats = 0;
  const examples: string[] = [];
  const example = (kind: string, chatId: number, text: string) => {
    if (examples.length < 5)
      examples.push(`${kind} in chat ${chatId}: ${JSON.stringify(text.slice(0, 120))}`);
  };
  for (let c = 0; c < chats; c++) {
    const expected: string[] = [];
    for (let i = c; i < n; i += chats) expected.push(`Echo: ${prefix}${i}`);
    const got = t.tracker.chat(chatBase + c).answers.slice(start[c]);
    const want = new Set(expected);
    const seen = new Set(got);
    for (const text of expected.filter((text) => !seen.has(text))) {
      lost += 1;
      example('lost', chatBase + c, text);
    }
    duplicated += got.length - seen.size;
    for (const text of got.filter((text) => !want.has(text))) {
      unexpected += 1;
      example('unexpected', chatBase + c, text);
    }
    const inOrder = [...seen].filter((text) => want.has(text));
    if (inOrder.join('\n') !== expected.filter((text) => seen.has(text)).join('\n')) reorderedChats += 1;
  }
  return { lost, duplicated, unexpected, reorderedChats, examples };
}

/** `n` updates over `chats` chats in batches of `batch`, each batch answered before the next. */
export function soak(t: Target, chatBase: number, chats: number, n: number, batch = 1000) {
  return costed(t, n, async () => {
    const t0 = performance.now();
    for (let done = 0; done < n; done += batch) {
      const size = Math.min(batch, n - done);
      const total = t.tracker.answered + size;
      for (let i = 0; i < size; i++) {
        t.telegram.pushUpdate(
          t.telegram.updates.text({ chatId: chatBase + ((done + i) % chats), text: `s${done + i}` }),
        );
      }
      await t.tracker.until(() => t.tracker.answered >= total, `soak batch at ${done}`);
    }
    return { updatesPerSecond: n / ((performance.now() - t0) / 1000) };
  });
}

/** The streaming model of the table: answers after `firstMs`, then `chunks` pieces `gapMs` apart. */
export const STREAMING = { firstMs: 300, chunks: 5, gapMs: 50 };

/**
 * Like burst(), with a model that streams (STREAMING). Per message: its first draft (or, without
 * drafts, its answer) against the model's first chunk, and its answer against the model request:
 * both exclude the wait behind earlier messages of the same chat, which the model request starts after.
 */
export function streaming(t: Target, chatBase: number, chats: number, n: number, prefix: string) {
  const requests = new Map<string, GeminiRequest>();
  t.gemini.respond = (req) => {
    requests.set(req.lastUserText, req);
    const rest = Array.from({ length: STREAMING.chunks - 1 }, (_, i) => ` part${i + 2}`);
    return {
      chunks: [`${req.lastUserText}:`, ...rest],
      firstTokenDelayMs: STREAMING.firstMs,
      chunkDelayMs: STREAMING.gapMs,
    };
  };
  // The fake records epoch ms; the tracker performance.now().
  const perf = (epochMs: number) => epochMs - performance.timeOrigin;
  return costed(t, n, async () => {
    const expectedTotal = t.tracker.answered + n;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      t.telegram.pushUpdate(
        t.telegram.updates.text({ chatId: chatBase + (i % chats), text: `${prefix}${i}` }),
      );
    }
    await t.tracker.until(() => t.tracker.answered >= expectedTotal, `${n} streamed answers`);
    const seconds = (performance.now() - t0) / 1000;
    t.gemini.respond = undefined;
    const firstVsChunk: number[] = [];
    const reply: number[] = [];
    for (let i = 0; i < n; i++) {
      const text = `${prefix}${i}`;
      const log = t.tracker.chat(chatBase + (i % chats));
      const answerAt = log.answeredAt[log.answers.findIndex((a) => a.startsWith(`${text}:`))];
      const draftAt = log.drafts.find((d) => d.text.startsWith(`${text}:`))?.at;
      const request = requests.get(text);
      const chunkAt = request?.chunksAt?.[0];
      if (answerAt === undefined || request === undefined || chunkAt === undefined) continue;
      firstVsChunk.push((draftAt ?? answerAt) - perf(chunkAt));
      reply.push(answerAt - perf(request.at));
    }
    return { repliesPerSecond: n / seconds, firstVsChunk, reply };
  });
}

/**
 * `n` updates over `chats` chats pushed at once while the fake Telegram enforces Telegram's stated
 * limits (TELEGRAM_RATE_LIMITS): answers/s, and how many flood-controlled calls got 429.
 */
export async function underLimits(t: Target, chatBase: number, chats: number, n: number, prefix: string) {
  t.telegram.setRateLimit(TELEGRAM_RATE_LIMITS);
  const sends0 = t.tracker.sends;
  const tooMany0 = t.tracker.tooMany;
  try {
    const result = await burst(t, chatBase, chats, n, prefix);
    const sends = t.tracker.sends - sends0;
    const tooMany = t.tracker.tooMany - tooMany0;
    return { ...result, sends, tooMany };
  } finally {
    t.telegram.setRateLimit(null);
  }
}

/** The bot process's CPU use while nothing happens for `ms`, in percent of one core. */
export async function idleCpu(t: Target, ms: number): Promise<number> {
  const before = t.bot.usage().cpuMs;
  const t0 = performance.now();
  await Promise.race([sleep(ms), t.bot.exited]);
  return ((t.bot.usage().cpuMs - before) / (performance.now() - t0)) * 100;
}
