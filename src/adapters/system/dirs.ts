/**
 * Directory creation that always ends. Node's `mkdir({ recursive: true })` retries forever
 * where mkdir keeps failing with ENOENT though the parent exists (anywhere under /proc, for
 * one): a data dir there made botctl spin at 100% CPU. Here each missing level is created
 * once, top-down, and the first failure is one coded line naming the path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BotctlError } from '../../domain/errors.js';

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

/**
 * Creates dir and any missing parents with `mode` (0700 by default: data, backups and exports
 * hold personal data). Returns the directories it created, outermost first; throws
 * CONFIG_INVALID naming the directory that could not be created.
 */
export function makeDirs(dir: string, what = 'directory', mode = 0o700): string[] {
  const target = path.resolve(dir);
  const missing: string[] = [];
  for (let current = target; ; current = path.dirname(current)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw cannotCreate(what, target, current, error);
    }
    if (stat) {
      if (!stat.isDirectory()) throw cannotCreate(what, target, current, 'it is a file, not a directory');
      break;
    }
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const level of missing) {
    try {
      fs.mkdirSync(level, { mode });
    } catch (error) {
      // Another process made it in between: fine, as long as it is a directory.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && fs.statSync(level).isDirectory()) continue;
      throw cannotCreate(what, target, level, error);
    }
    // mkdir's mode is filtered by the umask; personal data must not depend on it.
    fs.chmodSync(level, mode);
  }
  return missing;
}

function cannotCreate(what: string, target: string, at: string, why: unknown): BotctlError {
  const reason = typeof why === 'string' ? why : describeErrno(why);
  const where = at === target ? '' : ` (at ${at})`;
  return new BotctlError('CONFIG_INVALID', `Cannot create the ${what} ${target}${where}: ${reason}`, {
    hint: 'choose a writable directory (--data-dir or BOTCTL_DATA_DIR, or the option named), or fix its owner and mode',
    params: { path: target },
  });
}

/** "permission denied (EACCES)" rather than Node's message, which repeats the path. */
function describeErrno(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOENT: 'this location does not allow creating directories',
    ENOTDIR: 'a part of the path is a file, not a directory',
    ENOSPC: 'no space left on the device',
  };
  if (code && known[code]) return `${known[code]} (${code})`;
  return (error as Error).message ?? String(error);
}
