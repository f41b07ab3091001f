/**
 * The intake's waiting line: updates that may not run yet, in update_id order (Telegram's
 * order), so that each chat keeps its order however they joined. Two things put updates here:
 *
 *  - A Telegram flood wait longer than a handler sits out (domain/flood-wait.ts). The update
 *    whose reply it refused joins the line (still pending in the inbox, never done), and so
 *    does every update that arrives until the wait ends: the flood holds every chat of the
 *    bot. Nothing in line costs more than its place: no handler, no model call. When the wait
 *    ends (as far as this process and the shared flood gate know) the line runs.
 *  - Replays at start, so that at most maxInFlight of them run at once.
 *
 * The line is bounded: beyond MAX_WAITING an update's caller waits for room (polling then
 * pauses getUpdates, and Telegram keeps the updates), and webhooks get 503. At shutdown what is
 * in line stays pending in the inbox, and the next start replays it.
 */
import type { Update } from 'grammy/types';
import type { Log, Metrics } from '../domain/telemetry.js';

/** Updates kept in line in memory; beyond it intake waits for room. */
export const MAX_WAITING = 10_000;
/** How often a long flood wait is looked at again: another process may extend it, the clock may step. */
const FLOOD_RECHECK_MS = 5000;

export interface RunHow {
  /** The update ran before (a crash, or a flood wait deferred it): not charged again. */
  replay: boolean;
}

interface Waiting {
  update: Update;
  how: RunHow;
  /** Set when the line was full: ends the caller's wait once this update leaves the line. */
  admit?: () => void;
}

export function createWaitingLine(options: {
  /** Starts the update's handler. */
  run: (update: Update, how: RunHow) => void;
  /** Whether another handler may start now (fewer than maxInFlight run). */
  room: () => boolean;
  /** Milliseconds until the bot's shared flood wait ends (the flood gate's waitMs); default: none known. */
  floodWaitMs?: (() => Promise<number>) | undefined;
  log: Pick<Log, 'info' | 'warn'>;
  metrics?: Pick<Metrics, 'updateDeferred'> | undefined;
  /** Epoch ms. */
  now: () => number;
  /** Updates kept in line before callers wait for room; default MAX_WAITING. */
  maxWaiting?: number;
}) {
  const { log, now } = options;
  const maxWaiting = options.maxWaiting ?? MAX_WAITING;
  const line: Waiting[] = [];
  /** When the long flood wait the line sits out ends (epoch ms); 0 while none is on. */
  let floodUntil = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  /** Puts an update in line; when the line is full the promise resolves once it leaves it. */
  function add(update: Update, how: RunHow): Promise<void> {
    const entry: Waiting = { update, how };
    let at = line.length;
    while (at > 0 && line[at - 1]!.update.update_id > update.update_id) at -= 1;
    line.splice(at, 0, entry);
    if (line.length <= maxWaiting) return Promise.resolve();
    return new Promise((resolve) => (entry.admit = resolve));
  }

  /** Runs the line's head while there is room and no flood wait is on. */
  function pump(): void {
    if (floodUntil > 0 || closed) return;
    while (line.length > 0 && options.room()) {
      const next = line.shift()!;
      next.admit?.();
      options.run(next.update, next.how);
    }
  }

  function arm(): void {
    clearTimeout(timer);
    const left = Math.max(0, floodUntil - now());
    timer = setTimeout(() => void check(), Math.min(left, FLOOD_RECHECK_MS));
    timer.unref();
  }

  async function check(): Promise<void> {
    const shared = (await options.floodWaitMs?.()) ?? 0;
    if (closed) return;
    const left = Math.max(shared, floodUntil - now());
    if (left > 0) {
      floodUntil = now() + left;
      arm();
      return;
    }
    log.info({ held: line.length }, 'Telegram flood wait over: sending the answers held through it');
    floodUntil = 0;
    pump();
  }

  return {
    /** True while new updates must join the line (a flood wait is on, or others wait before them). */
    busy: () => floodUntil > 0 || line.length > 0,
    full: () => line.length >= maxWaiting,
    size: () => line.length,
    add(update: Update, how: RunHow): Promise<void> {
      const turn = add(update, how);
      pump();
      return turn;
    },
    pump,
    /** A long flood wait refused the update's reply: it waits in line for the wait's end. */
    defer(update: Update, retryAfterSeconds: number): void {
      options.metrics?.updateDeferred();
      if (closed) return; // stopping: it stays pending, and the next start replays it
      if (floodUntil === 0)
        log.warn(
          { waitSeconds: retryAfterSeconds },
          'Telegram flood wait: answers are held in the inbox and sent when it ends',
        );
      floodUntil = Math.max(floodUntil, now() + retryAfterSeconds * 1000);
      void add(update, { replay: true });
      arm();
    },
    /** Shutdown: nothing leaves the line any more, and nobody waits for room; it stays pending. */
    close(): void {
      closed = true;
      clearTimeout(timer);
      for (const entry of line.splice(0)) entry.admit?.();
    },
  };
}
