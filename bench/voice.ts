/**
 * `node --import tsx bench/voice.ts`: what voice costs.
 *
 *  1. The PCM -> OGG/Opus step of spoken answers: 30 s of speech-like 24 kHz 16-bit mono PCM
 *     through ffmpeg with the adapter's arguments, under /usr/bin/time: the ffmpeg process's
 *     CPU time (user + system), peak RSS and wall time; plus the adapter's own wall time.
 *  2. The bot's overhead for a voice round trip, with instantly answering fakes: the built
 *     `botctl start` runs as its own process (bench/lib), and its CPU per round trip is read
 *     from /proc (its own time, plus reaped children's for the ffmpeg it runs) against a text
 *     round trip as the baseline.
 *
 * Sizes: BENCH_VOICE_RUNS (10 encodes), BENCH_VOICE_TRIPS (40 round trips per case).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { createFfmpegEncoder, opusArgs } from '../src/adapters/system/ffmpeg.js';
import { openDatabase } from '../src/adapters/db/open.js';
import { createFieldCipher } from '../src/adapters/system/cipher.js';
import { startFakeGemini, type GeminiRequest } from '../test/fakes/gemini.js';
import { startFakeTelegram, type FakeTelegram } from '../test/fakes/telegram.js';
import { makeVoiceOgg, speechPcm } from '../test/helpers/media.js';
import { freePort } from '../test/helpers/ports.js';
import { BOTCTL_OVERRIDES } from './lib/bots.js';
import { buildSnapshot, startNode, type BotProcess } from './lib/child.js';
import { pct, round } from './lib/stats.js';

const RUNS = Number(process.env.BENCH_VOICE_RUNS ?? 10);
const TRIPS = Number(process.env.BENCH_VOICE_TRIPS ?? 40);
const ROOT = path.resolve(import.meta.dirname, '..');
const TOKEN = '123456:VOICEtokenVOICEtokenVOICE_abc';
const TTS = 'gemini-2.5-flash-preview-tts';
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

async function encodeStep(): Promise<void> {
  const pcm = speechPcm(30);
  const cpu: number[] = [];
  const wall: number[] = [];
  let rssKb = 0;
  let outBytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const timed = await execa('/usr/bin/time', ['-f', 'TIME %U %S %M %e', 'ffmpeg', ...opusArgs(24_000)], {
      input: pcm,
      encoding: 'buffer',
    });
    const line = Buffer.from(timed.stderr).toString('utf8').trim().split('\n').at(-1) ?? '';
    const [, user, system, maxKb, elapsed] = line.split(' ').map(Number) as number[];
    cpu.push((user! + system!) * 1000);
    wall.push(elapsed! * 1000);
    rssKb = Math.max(rssKb, maxKb!);
    outBytes = timed.stdout.byteLength;
  }
  // The fixed cost of starting ffmpeg at all (loading its shared libraries), for comparison.
  const startup: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const timed = await execa('/usr/bin/time', ['-f', 'TIME %U %S', 'ffmpeg', '-hide_banner', '-version']);
    const [, user, system] = timed.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as number[];
    startup.push((user! + system!) * 1000);
  }
  const encoder = createFfmpegEncoder();
  const adapterWall: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await encoder.pcmToOggOpus(pcm, 24_000);
    adapterWall.push(performance.now() - started);
  }
  console.log(
    `\nPCM -> OGG/Opus, 30 s of speech-like audio (${(pcm.length / 1024).toFixed(0)} KiB PCM), ${RUNS} runs`,
  );
  console.table([
    {
      'ffmpeg CPU ms p50': round(pct(cpu, 50), 0),
      'ffmpeg CPU ms max': round(Math.max(...cpu), 0),
      'of it startup ms p50': round(pct(startup, 50), 0),
      'peak RSS MB': round(rssKb / 1024, 1),
      'wall ms p50': round(pct(wall, 50), 0),
      'adapter wall ms p50': round(pct(adapterWall, 50), 0),
      'OGG KiB': round(outBytes / 1024, 1),
      'target CPU ms': 300,
    },
  ]);
}

/** CPU of the process and of the children it has reaped (ffmpeg), in ms. */
function cpuOf(pid: number): { own: number; children: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const ms = (ticks: number) => (ticks * 1000) / CLK_TCK;
  return { own: ms(f[11]! + f[12]!), children: ms(f[13]! + f[14]!) };
}

interface Case {
  name: string;
  chat: number;
  push: (tg: FakeTelegram, chat: number) => void;
  /** The call that completes one round trip. */
  done: string;
}

/** What the round trips change from botctl's defaults (printed above their table): user limits and logs. */
const VOICE_OVERRIDES: Readonly<Record<string, string>> = {
  ...BOTCTL_OVERRIDES,
  BOTCTL_QUOTAS: '{"user":{"messagesPerDay":0,"tokensPerDay":0,"audioSecondsPerDay":0}}',
};

async function roundTrips(): Promise<void> {
  const ogg = await makeVoiceOgg(2);
  const spoken = speechPcm(3);
  const telegram = await startFakeTelegram({ token: TOKEN, keepAliveTimeoutMs: 60_000 });
  const gemini = await startFakeGemini({ keepAliveTimeoutMs: 60_000 });
  const hasAudio = (r: GeminiRequest) => JSON.stringify(r.contents.at(-1) ?? {}).includes('audio/ogg');
  gemini.respond = (r) =>
    r.model === TTS
      ? { audio: spoken }
      : hasAudio(r)
        ? { text: '<transcript>hi</transcript>Hello!' }
        : { text: 'Hello!' };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-bench-voice-'));
  const database = path.join(dataDir, 'bench.sqlite');
  const build = buildSnapshot(ROOT);
  const bot: BotProcess = startNode(
    'botctl start',
    [path.join(build, 'bin', 'run.js'), 'start', '--auto-migrate'],
    {
      BOTCTL_DATA_DIR: dataDir,
      BOTCTL_DATABASE_URL: database,
      BOTCTL_TELEGRAM_TOKEN: TOKEN,
      BOTCTL_TELEGRAM_API_ROOT: telegram.apiRoot,
      BOTCTL_GEMINI_API_KEY: gemini.apiKey,
      BOTCTL_GEMINI_BASE_URL: gemini.baseUrl,
      BOTCTL_HTTP_PORT: String(await freePort()),
      ...VOICE_OVERRIDES,
    },
    build,
  );
  try {
    await Promise.race([telegram.waitForCall('getUpdates', () => true, 60_000), bot.exited]);
    // The spoken case's user wants voice answers; stored before the daemon first sees them.
    const db = await openDatabase({ url: database, cipher: createFieldCipher([]) });
    const speaker = await db.repos.users.upsertFromTelegram({
      telegramId: 7003,
      username: null,
      firstName: 'Bench',
      lastName: null,
      languageCode: 'en',
      language: 'en',
    });
    await db.repos.users.updateSettings(speaker.id, { voiceReplies: 'voice' });
    await db.close();

    const voice = (tg: FakeTelegram, chat: number) =>
      tg.pushUpdate(tg.updates.voice({ chatId: chat, bytes: ogg, duration: 2 }));
    const cases: Case[] = [
      {
        name: 'text -> text (baseline)',
        chat: 7001,
        push: (tg, chat) => tg.pushUpdate(tg.updates.text({ chatId: chat, text: 'hi' })),
        done: 'sendMessage',
      },
      { name: 'voice 2 s -> text', chat: 7002, push: voice, done: 'sendMessage' },
      { name: 'voice 2 s -> text + spoken 3 s', chat: 7003, push: voice, done: 'sendVoice' },
    ];
    const rows = [];
    for (const c of cases) {
      const latencies: number[] = [];
      let before = cpuOf(bot.pid);
      // One warm-up trip (module loading, prepared statements, the ffmpeg probe) is not counted.
      for (let i = -1; i < TRIPS; i++) {
        if (i === 0) before = cpuOf(bot.pid);
        const seen = new Set(telegram.callsOf(c.done));
        const started = performance.now();
        c.push(telegram, c.chat);
        await telegram.waitForCall(
          c.done,
          (call) => call.params.chat_id === c.chat && !seen.has(call),
          30_000,
        );
        if (i >= 0) latencies.push(performance.now() - started);
      }
      const after = cpuOf(bot.pid);
      rows.push({
        case: c.name,
        'round trip ms p50': round(pct(latencies, 50), 1),
        'round trip ms p99': round(pct(latencies, 99), 1),
        'bot CPU ms/trip': round((after.own - before.own) / TRIPS, 1),
        'ffmpeg CPU ms/trip': round((after.children - before.children) / TRIPS, 1),
        'bot RSS MB': round(bot.usage().rssMb, 0),
      });
    }
    console.log(`\nVoice round trips through the built daemon (SQLite, instant fakes), ${TRIPS} per case`);
    const overrides = Object.entries(VOICE_OVERRIDES).map(([key, value]) => `${key}=${value}`);
    console.log(`botctl on its shipped defaults except: ${overrides.join(' ')}`);
    console.table(rows);
  } finally {
    await bot.stop();
    await telegram.close();
    await gemini.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(build, { recursive: true, force: true });
  }
}

await encodeStep();
await roundTrips();
