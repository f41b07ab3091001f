/**
 * Checks that a directory can be created and written, without creating anything: setup
 * finds out before the first prompt, and writes nothing until the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BotctlError } from '../domain/errors.js';
import { nearestExisting } from '../adapters/system/dirs.js';

/** Throws CONFIG_INVALID (one line naming the directory) when dir cannot be created or written. */
export function assertWritableDir(dir: string, what = 'data dir'): void {
  const existing = nearestExisting(dir);
  const fail = (why: string) =>
    new BotctlError('CONFIG_INVALID', `The ${what} ${dir} is not writable: ${why}`, {
      hint: 'choose another directory with --data-dir or BOTCTL_DATA_DIR, or fix its owner and mode',
    });
  if (existing === null) throw fail('a part of that path is a file, not a directory');
  try {
    fs.accessSync(existing, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    throw fail(existing === path.resolve(dir) ? 'permission denied' : `cannot create it in ${existing}`);
  }
}
