/**
 * Checks that a directory can be created and written, without creating anything: setup
 * finds out before the first prompt, and writes nothing until the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BotctlError } from '../domain/errors.js';

/**
 * The path itself or its closest existing ancestor; null when that ancestor is a file (so
 * nothing can be created below it) or cannot be looked at.
 */
export function nearestExisting(target: string): string | null {
  let current = path.resolve(target);
  for (;;) {
    try {
      return fs.statSync(current).isDirectory() ? current : null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return null;
    }
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

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
