/**
 * A cron-safe process lock: a lock file created exclusively (O_EXCL) holding our PID. A lock
 * whose PID no longer runs (the holder crashed or was killed with -9) is taken over, so a
 * crash never wedges the next run. A live holder makes acquire() throw LOCKED (exit 75).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BotctlError } from '../../domain/errors.js';
import { makeDirs } from './dirs.js';

export interface ProcessLock {
  readonly path: string;
  release(): void;
}

interface Holder {
  pid: number;
  host: string;
  since: string;
}

export function acquireLock(dir: string, name: string, what = name): ProcessLock {
  makeDirs(dir, 'lock directory');
  const file = path.join(dir, `${name}.lock`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      const holder: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
      fs.writeSync(fd, JSON.stringify(holder));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        if (readHolder(file)?.pid === process.pid) fs.rmSync(file, { force: true });
      };
      process.on('exit', release);
      return { path: file, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      // A holder on another host (shared volume) cannot be probed: treat it as alive.
      if (holder && (holder.host !== os.hostname() || isAlive(holder.pid))) {
        throw new BotctlError(
          'LOCKED',
          `${what} is already running (pid ${holder.pid} since ${holder.since})`,
          {
            hint: `wait for it to finish; if no botctl is running, remove ${file}`,
          },
        );
      }
      // The holder is gone (crash, kill -9) or the file is unreadable: take the lock over.
      fs.rmSync(file, { force: true });
    }
  }
  throw new BotctlError('LOCKED', `${what} is already running: could not take ${file}`, {
    hint: 'try again',
  });
}

function readHolder(file: string): Holder | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
