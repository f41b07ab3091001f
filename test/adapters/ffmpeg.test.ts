// The ffmpeg adapter with the real ffmpeg (CI installs it) and with a missing or failing one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createFfmpegEncoder,
  ffmpegAvailable,
  opusArgs,
  probeFfmpeg,
} from '../../src/adapters/system/ffmpeg.js';
import { runWatchingImports } from '../helpers/lazy-import.js';
import { isOggOpus, probeAudio, speechPcm } from '../helpers/media.js';

function failingFfmpeg(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-ffmpeg-'));
  const script = path.join(dir, 'ffmpeg');
  fs.writeFileSync(script, '#!/bin/sh\ncat > /dev/null\necho "Unknown encoder libopus" >&2\nexit 1\n', {
    mode: 0o755,
  });
  return script;
}

describe('ffmpeg', () => {
  it('probes the installed ffmpeg and reports a missing one', async () => {
    const probe = await probeFfmpeg();
    expect(probe.ok).toBe(true);
    expect(probe.version).toMatch(/^\S+$/);
    expect(await ffmpegAvailable()).toBe(true);
    expect(await probeFfmpeg('/nonexistent/ffmpeg')).toEqual({ ok: false });
    expect(await ffmpegAvailable('/nonexistent/ffmpeg')).toBe(false);
  });

  it('encodes 24 kHz PCM to OGG/Opus through pipes', async () => {
    const encoder = createFfmpegEncoder();
    expect(await encoder.available()).toBe(true);
    const ogg = await encoder.pcmToOggOpus(speechPcm(2), 24_000);
    expect(isOggOpus(ogg)).toBe(true);
    const probed = await probeAudio(ogg);
    expect(probed.codec).toBe('opus');
    expect(probed.seconds).toBeGreaterThan(1.9);
    expect(probed.seconds).toBeLessThan(2.1);
    expect(opusArgs(24_000)).toContain('libopus');
  });

  it('fails with a coded error naming the cause when ffmpeg is missing or fails', async () => {
    const missing = createFfmpegEncoder({ binary: '/nonexistent/ffmpeg' });
    expect(await missing.available()).toBe(false);
    await expect(missing.pcmToOggOpus(speechPcm(0.1), 24_000)).rejects.toMatchObject({
      code: 'INTERNAL',
      hint: 'install ffmpeg (apt-get install ffmpeg)',
    });
    const failing = createFfmpegEncoder({ binary: failingFfmpeg() });
    await expect(failing.pcmToOggOpus(speechPcm(0.1), 24_000)).rejects.toThrow(
      /ffmpeg could not encode the voice answer: Unknown encoder libopus/,
    );
  });
});

describe('ffmpeg start-up cost', () => {
  it('asks whether ffmpeg runs without loading execa; encoding loads it', async () => {
    // The daemon asks on its first answer (the listen button); execa is 3 MB of heap it keeps.
    const entry = new URL('../../src/adapters/system/ffmpeg.ts', import.meta.url).href;
    const lines = await runWatchingImports(
      'execa',
      `const { createFfmpegEncoder } = await import(${JSON.stringify(entry)});
      const encoder = createFfmpegEncoder();
      console.log('available:', await encoder.available(), loaded.length);
      await encoder.pcmToOggOpus(Buffer.alloc(4800), 24000);
      console.log('after encoding:', loaded.length > 0 ? 'loaded' : 'not loaded');`,
    );
    expect(lines).toEqual(['available: true 0', 'after encoding: loaded']);
  });
});
