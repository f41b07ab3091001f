/**
 * MediaArchive on the local disk: copies of users' audio under <data dir>/audio, kept only
 * when the operator set keepAudio. Files are 0600 in a 0700 directory, like the config.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MediaArchive } from '../../domain/ports/index.js';
import { makeDirs } from './dirs.js';

export function createMediaArchive(dir: string): MediaArchive {
  return {
    async save(name, bytes) {
      // Names come from Telegram's file_unique_id; anything else is replaced, so no path escapes.
      const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
      makeDirs(dir, 'audio directory');
      const file = path.join(dir, safe);
      await writeFile(file, bytes, { mode: 0o600 });
      return file;
    },
  };
}
