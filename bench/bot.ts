/**
 * `npm run bench:bot`: what botctl itself costs per update, with an instantly answering fake
 * Gemini. The bots run as their own processes (the built `botctl start`, and the floor bot
 * bench/floor-bot.ts: grammY + @google/genai, no storage); the fakes run here. Measured:
 *
 *  - latency, one update at a time (push -> the answer's sendMessage), p50/p99, and botctl's
 *    overhead over the floor; time to the first visible sign (typing or draft), private chats;
 *  - a burst of BENCH_BURST updates over 500 chats: updates/s, and no update lost,
 *    duplicated or answered out of order within its chat;
 *  - the bot process's CPU per update (/proc/<pid>/stat) and RSS (/proc/<pid>/status), and
 *    RSS after BENCH_RSS_UPDATES updates.
 *
 * Sizes: BENCH_SEQUENTIAL (300), BENCH_BURST (5000), BENCH_RSS_UPDATES (10000; 0 skips; 100000 takes
 * about 4 minutes on a quiet 2-core machine), BENCH_IDLE_MS (30000: the idle wait before the
 * settled RSS is read; peak and end-of-burst RSS are read without it).
 *
 * Wall-clock numbers depend on what else the machine runs (the load average is printed): CPU
 * time per update is the steadier figure, and cpu_bound_max_per_s (1000 / CPU ms per update)
 * is what the bot could sustain on one core of its own.
 * BENCH_ONLY=floor,polling-sqlite,... picks cases; BENCH_NODE_OPTIONS goes to the bots
 * (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
import fs from 'node:fs';
import os from 'node:os';
import { startFakeGemini } from '../test/fakes/gemini.js';
import { startFakeTelegram } from '../test/fakes/telegram.js';
import { ROOT, startBotctl, startFloor, type Fakes, type Started } from './lib/bots.js';
import { buildSnapshot } from './lib/child.js';
import { burst, sequential, soak, type Target } from './lib/scenarios.js';
import { costColumns, memoryColumns, phase, row, type Measured } from './lib/report.js';
import { sleep } from './lib/stats.js';
import { track } from './lib/tracker.js';

const TOKEN = '123456:BENCHtokenBENCHtokenBENCH_abc';
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 300);
const BURST = Number(process.env.BENCH_BURST ?? 5000);
const RSS_UPDATES = Number(process.env.BENCH_RSS_UPDATES ?? 10_000);
const ONLY = process.env.BENCH_ONLY?.split(',');
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 30_000);
const CHATS = 500;
// Users are cached in Redis for minutes: fresh ids per run keep an earlier run's cache out.
const RUN_BASE = 1_000_000_000 + (Date.now() % 1000) * 1_000_000;

const CASES = [
  { id: 'polling-sqlite', name: 'botctl polling, SQLite', mode: 'polling' as const },
  { id: 'webhook-sqlite', name: 'botctl webhook, SQLite', mode: 'webhook' as const },
  { id: 'polling-pg', name: 'botctl polling, Postgres+Redis', mode: 'polling' as const, pg: true },
  { id: 'webhook-pg', name: 'botctl webhook, Postgres+Redis', mode: 'webhook' as const, pg: true },
];
const selected = (id: string) => ONLY === undefined || ONLY.includes(id);

/** Fresh fakes and a fresh bot process for one case; everything is closed afterwards. */
async function withBot<T>(
  start: (fakes: Fakes) => Promise<Started>,
  run: (t: Target) => Promise<T>,
): Promise<T> {
  // Idle connections stay open as long as the real services keep them: with the fakes' 1 s default both
  // HTTP clients open a new TCP connection for every call (see keepAliveTimeoutMs), a cost production
  // does not have; a few seconds is not enough either, as a loaded machine's timers fire late and a
  // client then reuses a connection the fake is just closing ("other side closed").
  const keepAliveTimeoutMs = 60_000;
  const fakes = {
    // Telegram retries a webhook delivery for hours; the fake's default gives up after 10 tries (~6 s),
    // which a busy bot's 503s (its backpressure) would turn into lost updates.
    telegram: await startFakeTelegram({ token: TOKEN, keepAliveTimeoutMs, webhookMaxAttempts: 10_000 }),
    gemini: await startFakeGemini({ keepAliveTimeoutMs }),
  };
  const tracker = track(fakes.telegram);
  const started = await start(fakes);
  try {
    return await run({ telegram: fakes.telegram, tracker, bot: started.bot });
  } finally {
    await started.bot.stop();
    await started.cleanup();
    tracker.close();
    await fakes.telegram.close();
    await fakes.gemini.close();
  }
}

/** Warm-up, latency over 50 chats, then a warm-up round and the burst over 500 other chats. */
async function latencyAndBurst(t: Target, base: number) {
  const chats = Array.from({ length: 50 }, (_, i) => base + i);
  await phase('warm-up', () => sequential(t, chats, 50, 'w'));
  const seq = await phase(`${SEQUENTIAL} one at a time`, () => sequential(t, chats, SEQUENTIAL, 'q'));
  // First contact of each burst chat (user rows, cache), untimed.
  await phase(`${CHATS} first contacts`, () => burst(t, base + 1000, CHATS, CHATS, 'warm'));
  const b = await phase(`burst of ${BURST}`, () => burst(t, base + 1000, CHATS, BURST, 'm'));
  return {
    seq,
    b,
    failedCalls: t.tracker.failed,
    droppedByFake: t.telegram.droppedUpdates.length,
  } satisfies Measured;
}

async function main() {
  const build = buildSnapshot(ROOT);
  const loadBefore = os.loadavg()[0]!;
  const rows: Record<string, unknown>[] = [];
  const log = (text: string) => console.error(`bench: ${text}`);

  let floor: Measured | undefined;
  if (selected('floor')) {
    log('floor bot');
    floor = await withBot(startFloor, (t) => latencyAndBurst(t, RUN_BASE));
    rows.push(row('floor: grammY + genai, no storage', floor));
  }
  for (const [index, c] of CASES.entries()) {
    if (!selected(c.id)) continue;
    log(c.name);
    const m = await withBot(
      (fakes) => startBotctl(fakes, c, build),
      (t) => latencyAndBurst(t, RUN_BASE + (index + 1) * 10_000),
    );
    rows.push(row(c.name, m, floor));
  }
  if (RSS_UPDATES > 0 && selected('rss')) {
    log(`${RSS_UPDATES} updates into botctl polling, SQLite`);
    const s = await withBot(
      (fakes) => startBotctl(fakes, { mode: 'polling' }, build),
      async (t) => {
        const result = await soak(t, RUN_BASE + 100_000, CHATS, RSS_UPDATES);
        // What an operator sees once a burst is over: V8 shrinks its heap only after some idle time.
        await sleep(IDLE_MS);
        return { ...result, settledRssMb: t.bot.usage().rssMb };
      },
    );
    rows.push({
      case: `botctl polling, SQLite: after ${RSS_UPDATES} updates`,
      burst_per_s: Math.round(s.updatesPerSecond),
      ...costColumns(s.cost),
      ...memoryColumns(s.cost),
      [`rss_after_${IDLE_MS / 1000}s_idle_mb`]: Math.round(s.settledRssMb),
    });
  }
  fs.rmSync(build, { recursive: true, force: true });
  console.table(rows);
  console.log(
    `load average ${loadBefore.toFixed(1)} -> ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores, node ${process.version}`,
  );
  console.log(
    'targets: overhead p50 < 5 ms, p99 < 25 ms; burst >= 500 updates/s with 0/0/0/0; first sign p99 < 100 ms; RSS < 200 MB',
  );
}

await main();
