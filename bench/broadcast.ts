/**
 * Broadcast throughput against the fake Telegram enforcing flood control (30 messages/s per
 * bot, 429 "retry after N" beyond). Seeds BENCH_USERS users in SQLite and/or PostgreSQL, sends
 * one broadcast at BENCH_RATE/s through the real service and Telegram messenger, and reports
 * the achieved rate (first to last send, as the fake saw them), duplicates and 429s. With the
 * pacer under the limit every 429 would be self-caused, so the target is 0.
 * BENCH_OVER_RATE adds a run above the limit (a smaller audience) to show 429s being honoured.
 *
 *   node --import tsx bench/broadcast.ts
 *   BENCH_USERS=2000 BENCH_DIALECTS=sqlite BENCH_LATENCY_MS=80 node --import tsx bench/broadcast.ts
 */
import { loadavg } from 'node:os';
import { createTelegramMessenger } from '../src/adapters/telegram/messenger.js';
import type { Dialect } from '../src/domain/ports/index.js';
import { createBroadcastService } from '../src/services/broadcast/index.js';
import { startFakeTelegram, type FakeTelegram } from '../test/fakes/telegram.js';
import { plainUsers, seedUsers, sendsPerChat } from '../test/helpers/broadcast-users.js';
import { openTestDatabase } from '../test/helpers/db.js';

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 25);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const OVER_RATE = Number(process.env.BENCH_OVER_RATE ?? 45);
const OVER_USERS = Number(process.env.BENCH_OVER_USERS ?? 600);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',') as Dialect[];
const TOKEN = '123456:BENCHtokenBENCHtokenBENCH_abc';

interface Row {
  dialect: string;
  users: number;
  'configured /s': number;
  'achieved /s': number;
  'achieved %': number;
  delivered: number;
  duplicates: number;
  '429s': number;
  'paused s': number;
  'wall s': number;
}
const rows: Row[] = [];

async function bench(telegram: FakeTelegram, dialect: Dialect, users: number, rate: number): Promise<void> {
  telegram.reset();
  telegram.setRateLimit({ perSecond: 30 });
  telegram.setLatency(LATENCY_MS, 'sendMessage');
  const db = await openTestDatabase(dialect);
  try {
    const seeds = plainUsers(users, 1_000_000);
    for (let i = 0; i < seeds.length; i += 100)
      await Promise.all(chunk(seeds, i, 100).map((s) => seedUsers(db.repos, [s])));
    const messenger = createTelegramMessenger({ token: TOKEN, apiRoot: telegram.apiRoot });
    const service = createBroadcastService({
      users: db.repos.users,
      broadcasts: db.repos.broadcasts,
      messenger: async () => messenger,
    });
    const { broadcast } = await service.create({
      text: 'Benchmark **broadcast**',
      parseMode: 'Markdown',
      photo: null,
      audience: {},
      ratePerSecond: rate,
    });
    const started = Date.now();
    const result = await service.run(broadcast.id);
    const wall = (Date.now() - started) / 1000;
    const sends = telegram.callsOf('sendMessage').filter((c) => c.response?.ok === true);
    const span = ((sends.at(-1)?.at ?? 0) - (sends[0]?.at ?? 0)) / 1000;
    const achieved = span > 0 ? (sends.length - 1) / span : 0;
    const perChat = sendsPerChat(telegram.messages());
    rows.push({
      dialect,
      users,
      'configured /s': rate,
      'achieved /s': round(achieved, 2),
      'achieved %': round((achieved / rate) * 100, 1),
      delivered: perChat.size,
      duplicates: [...perChat.values()].reduce((sum, n) => sum + n - 1, 0),
      '429s': telegram.tooManyRequestsCount,
      'paused s': round(result.run.pausedMs / 1000, 1),
      'wall s': round(wall, 1),
    });
    console.error(`${dialect} ${users} users at ${rate}/s: done in ${round(wall, 1)} s`);
  } finally {
    await db.cleanup();
  }
}

const chunk = <T>(items: T[], from: number, size: number) => items.slice(from, from + size);
const round = (n: number, digits: number) => Number(n.toFixed(digits));

const telegram = await startFakeTelegram({ token: TOKEN });
try {
  for (const dialect of DIALECTS) await bench(telegram, dialect, USERS, RATE);
  if (OVER_RATE > 0) await bench(telegram, DIALECTS[0]!, OVER_USERS, OVER_RATE);
} finally {
  await telegram.close();
}
console.log(`\nBroadcast against a fake Telegram limiting 30 msg/s (latency ${LATENCY_MS} ms per send)`);
console.table(rows);
console.log(
  `node ${process.version}, load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(
      ' ',
    )}; the last row (if any) is deliberately above the limit: its 429s are honoured, not self-caused at the configured rate`,
);
