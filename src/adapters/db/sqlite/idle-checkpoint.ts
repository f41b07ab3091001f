/**
 * WAL checkpoints once the writes stop, not in the middle of an answer. SQLite's own checkpoint
 * runs inside the commit that takes the WAL past `wal_autocheckpoint` frames, on the thread that
 * commits: with the default of 1000 frames the daemon stopped every 45 or so answers for 5-7 ms
 * (reading the frames back, writing the pages, two fsyncs) while that answer and every update
 * behind it waited. So the daemon checkpoints when its writes pause for QUIET_MS, and SQLite's
 * inline checkpoint stays only as the bound for writes that never pause (INLINE_CHECKPOINT_FRAMES).
 *
 * A checkpoint copies what the WAL holds whenever it runs, so this moves that work, it does not
 * add to it; an idle daemon runs one after its last write and then no timer at all.
 */
import type { SqliteClient } from './client.js';

/** Writes paused this long: checkpoint now. */
export const QUIET_MS = 250;
/**
 * SQLite checkpoints inline only past this many WAL frames (4 KiB each: 8 MiB), which writes that
 * never pause for QUIET_MS reach; a serial answer writes about 22 frames, an answer in a burst fewer.
 */
export const INLINE_CHECKPOINT_FRAMES = 2000;

export interface IdleCheckpoints {
  /** Called after each commit: the checkpoint waits for QUIET_MS without one. */
  wrote(): void;
  /** Drops the pending checkpoint (closing the connection checkpoints anyway). */
  close(): void;
}

export function idleCheckpoints(client: SqliteClient, quietMs: number = QUIET_MS): IdleCheckpoints {
  client.pragma(`wal_autocheckpoint = ${INLINE_CHECKPOINT_FRAMES}`);
  let timer: NodeJS.Timeout | undefined;
  const checkpoint = () => {
    timer = undefined;
    try {
      // PASSIVE never waits for a lock: a reader in another process (a backup, `botctl stats`) only
      // leaves some frames for the next checkpoint.
      client.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or closed: the inline checkpoint still bounds the WAL.
    }
  };
  return {
    wrote() {
      if (timer) timer.refresh();
      // Never what keeps a process alive: closing the connection checkpoints too.
      else timer = setTimeout(checkpoint, quietMs).unref();
    },
    close() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
