import type { Check } from '../types.js';
import { pass, warn } from './outcome.js';

/** Voice answers are encoded to OGG/Opus with ffmpeg; without it the bot answers in text only. */
export const ffmpegCheck: Check = {
  id: 'ffmpeg',
  title: 'ffmpeg',
  async run({ config, probes }, signal) {
    const command = config?.ffmpegPath ?? 'ffmpeg';
    const version = await probes.toolVersion(command, '-version', signal);
    return version === null
      ? warn(
          `${command} not found: spoken answers are disabled`,
          'install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg) or set ffmpegPath',
        )
      : pass(version.replace(/\s+Copyright.*$/, ''));
  },
};
