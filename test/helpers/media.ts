/**
 * Real media for tests: an OGG/Opus voice note made by ffmpeg (CI installs it), speech-like
 * PCM as Gemini TTS returns it, a 1x1 PNG, checks for OGG/Opus bytes, and a chatter whose
 * settings are stored before the daemon first sees them (the daemon caches users it has seen).
 */
import { execa } from 'execa';
import type { UserSettings } from '../../src/domain/entities.js';
import type { Harness } from './bot-harness.js';

/** `seconds` of a 440 Hz tone as a Telegram-style voice note (OGG container, Opus codec). */
export async function makeVoiceOgg(seconds = 2): Promise<Buffer> {
  const result = await execa(
    'ffmpeg',
    [
      ...[
        '-hide_banner',
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=440:duration=${seconds}`,
      ],
      ...['-c:a', 'libopus', '-b:a', '24k', '-f', 'ogg', 'pipe:1'],
    ],
    { encoding: 'buffer', stripFinalNewline: false },
  );
  return Buffer.from(result.stdout);
}

/** Speech-like 16-bit mono PCM: a tone whose loudness rises and falls like syllables. */
export function speechPcm(seconds: number, rate = 24_000): Buffer {
  const samples = Math.round(seconds * rate);
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
    const value =
      Math.sin(2 * Math.PI * (180 + 40 * Math.sin(2 * Math.PI * 0.5 * t)) * t) * envelope * 12_000;
    pcm.writeInt16LE(Math.round(value), i * 2);
  }
  return pcm;
}

/** A 1x1 transparent PNG. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** "OggS" capture pattern first, an "OpusHead" identification header in the first page. */
export function isOggOpus(bytes: Uint8Array): boolean {
  const buffer = Buffer.from(bytes);
  return buffer.subarray(0, 4).toString('latin1') === 'OggS' && buffer.subarray(0, 200).includes('OpusHead');
}

/** What ffprobe says the audio codec is, and how long the audio lasts when decoded. */
export async function probeAudio(bytes: Uint8Array): Promise<{ codec: string; seconds: number }> {
  const { stdout } = await execa(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'json', 'pipe:0'],
    {
      input: bytes,
    },
  );
  const parsed = JSON.parse(stdout) as { streams: { codec_name: string }[] };
  // An OGG read from a pipe has no duration (that needs seeking): decode it and count samples.
  const decoded = await execa(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      'pipe:0',
      '-f',
      's16le',
      '-ac',
      '1',
      '-ar',
      '48000',
      'pipe:1',
    ],
    { input: bytes, encoding: 'buffer', stripFinalNewline: false },
  );
  return { codec: parsed.streams[0]?.codec_name ?? '', seconds: decoded.stdout.byteLength / 2 / 48_000 };
}

/** Creates the user with these settings before the daemon has seen them. */
export async function userWithSettings(h: Harness, telegramId: number, settings: Partial<UserSettings>) {
  const user = await h.db.repos.users.upsertFromTelegram({
    telegramId,
    username: null,
    firstName: 'Test',
    lastName: null,
    languageCode: 'en',
    language: 'en',
  });
  return h.db.repos.users.updateSettings(user.id, settings);
}

/** The bot's stored messages of a chatter, oldest first, across their conversations. */
export async function storedMessages(h: Harness, telegramId: number) {
  const user = await h.db.repos.users.getByTelegramId(telegramId);
  if (!user) return [];
  const conversations = await h.db.repos.conversations.listByUser(user.id);
  const all = await Promise.all(conversations.map((c) => h.db.repos.conversations.getContext(c.id, 100)));
  return all.flat().sort((a, b) => a.id - b.id);
}

export const today = () => new Date().toISOString().slice(0, 10);
