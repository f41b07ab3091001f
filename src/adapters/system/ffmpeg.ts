/**
 * ffmpeg: Gemini TTS PCM (16-bit little-endian mono) -> OGG/Opus, the format Telegram plays as a
 * voice note. The encoder runs it through execa with bytes on stdin/stdout pipes, so no temp file
 * is written (and none is left behind by a crash). `probeFfmpeg` is what `botctl doctor` shows;
 * the encoder probes once and remembers, so a missing ffmpeg costs one spawn, not one per answer.
 */
import { execFile } from 'node:child_process';
import { BotctlError } from '../../domain/errors.js';
import type { AudioEncoder } from '../../domain/ports/index.js';

export interface FfmpegOptions {
  /** The ffmpeg binary (a name on PATH or a path); default 'ffmpeg'. */
  binary?: string;
  /** Opus bitrate; 32k is plenty for speech and keeps a minute of voice under 250 KB. */
  bitrate?: string;
  /** Kills an encoder that hangs; default 30 s. */
  timeoutMs?: number;
}

/**
 * Whether ffmpeg runs here, and its version ("5.1.9-0+deb12u1"). Node's own execFile, not execa:
 * the daemon asks this on its first answer (whether to offer the listen button), and execa with its
 * dependencies is 3 MB of heap and 24 MB of RSS that a daemon nobody asks for a spoken answer never
 * needs; the encoder below, which pipes audio through, still loads it on first use.
 */
export function probeFfmpeg(binary = 'ffmpeg'): Promise<{ ok: boolean; version?: string }> {
  return new Promise((resolve) => {
    const child = execFile(binary, ['-hide_banner', '-version'], { timeout: 10_000 }, (error, stdout) => {
      if (error) return resolve({ ok: false });
      const version = /ffmpeg version (\S+)/.exec(stdout)?.[1];
      resolve(version ? { ok: true, version } : { ok: true });
    });
    child.stdin?.end();
  });
}

/** For `botctl doctor`: true when ffmpeg is installed and runs. */
export async function ffmpegAvailable(binary = 'ffmpeg'): Promise<boolean> {
  return (await probeFfmpeg(binary)).ok;
}

/** The ffmpeg arguments for raw PCM on stdin -> OGG/Opus on stdout (exported for the benchmark). */
export function opusArgs(sampleRate: number, bitrate = '32k'): string[] {
  return [
    ...['-hide_banner', '-loglevel', 'error'],
    ...['-f', 's16le', '-ar', String(sampleRate), '-ac', '1', '-i', 'pipe:0'],
    // Complexity 3 and 60 ms frames: a voice note needs neither low delay nor the last bit of
    // quality at 32 kbit/s, and this costs about half the CPU of libopus' defaults (10, 20 ms).
    ...['-c:a', 'libopus', '-b:a', bitrate, '-application', 'voip'],
    ...['-compression_level', '3', '-frame_duration', '60'],
    ...['-f', 'ogg', 'pipe:1'],
  ];
}

export function createFfmpegEncoder(options: FfmpegOptions = {}): AudioEncoder {
  const binary = options.binary ?? 'ffmpeg';
  let probe: Promise<boolean> | undefined;
  return {
    available: () => (probe ??= ffmpegAvailable(binary)),
    async pcmToOggOpus(pcm, sampleRate) {
      const { execa } = await import('execa');
      const result = await execa(binary, opusArgs(sampleRate, options.bitrate), {
        input: pcm,
        encoding: 'buffer',
        reject: false,
        timeout: options.timeoutMs ?? 30_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      if (result.failed || result.stdout.byteLength === 0) {
        const why = firstLine(Buffer.from(result.stderr).toString('utf8')) || result.shortMessage;
        throw new BotctlError('INTERNAL', `ffmpeg could not encode the voice answer: ${why}`, {
          hint: result.code === 'ENOENT' ? 'install ffmpeg (apt-get install ffmpeg)' : 'run `botctl doctor`',
        });
      }
      return result.stdout;
    },
  };
}

function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? '').trim().slice(0, 200);
}
