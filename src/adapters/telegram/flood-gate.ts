/**
 * The shared flood gate. Telegram's flood wait (429 "retry after N") is per bot token, so every
 * process sending with the token (each daemon instance, `botctl broadcast`) must honour the 429s
 * the others get. Its grammY API transformers hold sends until the wait ends, and record each
 * raw 429 in the database (FloodRepository) for the other processes.
 *
 * grammY runs the last installed transformer first. `inner` goes inside auto-retry (installed
 * before autoRetry()), so it sees every raw 429, including those auto-retry re-sends; auto-retry's
 * own wait then ends when the recorded one does, so the two do not add up: the gate only adds
 * what another process recorded beyond it. `outer` goes last, outside the pacer (pacer.ts): a send
 * held after passing the pacer would leave with every other one held at the end of the wait, in
 * one burst; held before it, they pass the pacer after the wait and are paced again.
 *
 * Cheap on the hot path: the end of the wait lives in memory and is read from the database
 * again at most once per `refreshMs` (1 s) -- one small read a second per process, not one per
 * send. The 429's own process knows at once; the others within a second. Meanwhile they send at
 * most a second of traffic into the flood, which Telegram answers with 429s each of them
 * honours (and records) itself, so a second of staleness costs a few refused sends, never a
 * broken promise. Times are this host's clock: instances on several hosts need NTP.
 *
 * A database error never fails a send: it is logged at warn (at most once a minute) and the
 * gate goes on with what it has in memory.
 *
 * `bounded(maxHoldMs)` is the same pair for a sender that must not be held for long (the daemon's
 * handlers, see domain/flood-wait.ts): a wait longer than that is answered at once, without
 * calling Telegram, with the 429 Telegram would give (retry after the seconds left).
 */
import type { Transformer } from 'grammy';
import type { FloodRepository } from '../../domain/ports/index.js';
import type { Log } from '../../domain/telemetry.js';

export interface FloodGateOptions {
  /** The bot's id: botIdOf(token). */
  botId: number;
  store: FloodRepository;
  log: Pick<Log, 'warn'>;
  /** How old the in-memory copy of the shared wait may get before a send reads it again (ms); default 1000. */
  refreshMs?: number;
  /** Epoch ms; default Date.now (injected for tests). */
  now?: () => number;
}

export interface FloodGate {
  /** Holds sends while the wait lasts (or until the call's signal aborts) and records raw 429s. */
  readonly inner: Transformer;
  /** Holds sends only; install it last, outside the pacer (optional without one). */
  readonly outer: Transformer;
  /** `inner` and `outer` that hold at most `maxHoldMs` and refuse a longer wait at once with a 429. */
  bounded(maxHoldMs: number): { inner: Transformer; outer: Transformer };
  /** Milliseconds until sends may start again, 0 when they may now (reads the database when stale). */
  waitMs(): Promise<number>;
  /** Lets every held send go at once (shutdown), and holds no more. */
  close(): void;
}

/**
 * Methods that are held: those that put something into a chat, which Telegram flood-controls.
 * getUpdates, getFile, webhook setup and answers to callback and inline queries go on, so a
 * flood wait never stops intake.
 */
const HELD = /^(send|edit|copy|forward)/;

/** What the gate needs of an abort signal (grammY's type is the abort-controller package's). */
interface Abortable {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
const WARN_EVERY_MS = 60_000;

/** The bot's id: the digits before ':' in its token (the secret part is never looked at). */
export function botIdOf(token: string): number {
  const id = Number(/^(\d+):/.exec(token)?.[1]);
  if (!Number.isSafeInteger(id)) throw new RangeError('a Telegram token starts with the bot id and a colon');
  return id;
}

export function createFloodGate(options: FloodGateOptions): FloodGate {
  const { botId, store, log } = options;
  const now = options.now ?? Date.now;
  const refreshMs = options.refreshMs ?? 1000;
  const closed = new AbortController();
  let until = 0;
  let readAt = -Infinity;
  let reading: Promise<void> | undefined;
  let warnedAt = -Infinity;

  const warn = (error: unknown, msg: string) => {
    if (now() - warnedAt < WARN_EVERY_MS) return;
    warnedAt = now();
    log.warn({ err: error, botId }, msg);
  };
  const refresh = () =>
    (reading ??= store
      .until(botId)
      .then(
        (stored) => void (until = Math.max(until, stored?.getTime() ?? 0)),
        (error: unknown) => warn(error, 'reading the shared Telegram flood wait failed; sending on'),
      )
      .finally(() => {
        readAt = now();
        reading = undefined;
      }));

  async function waitMs(): Promise<number> {
    if (now() - readAt >= refreshMs) await refresh();
    return Math.max(0, until - now());
  }

  /** Waits out the flood wait; returns 0 when the send may go, or the ms left when that is over `maxHoldMs`. */
  async function hold(signal: Abortable | undefined, maxHoldMs: number): Promise<number> {
    for (;;) {
      if (signal?.aborted === true || closed.signal.aborted) return 0;
      const ms = await waitMs();
      if (ms <= 0) return 0;
      if (ms > maxHoldMs) return ms;
      await sleep(ms, [signal, closed.signal]);
    }
  }

  async function record(retryAfterSeconds: number): Promise<void> {
    const end = now() + retryAfterSeconds * 1000;
    until = Math.max(until, end);
    await store
      .extend(botId, new Date(end))
      .catch((error: unknown) => warn(error, 'recording the shared Telegram flood wait failed'));
  }

  function pair(maxHoldMs: number): { inner: Transformer; outer: Transformer } {
    return {
      inner: async (prev, method, payload, signal) => {
        const left = HELD.test(method) ? await hold(signal, maxHoldMs) : 0;
        if (left > 0) return refusal(left);
        const result = await prev(method, payload, signal);
        const retryAfter = result.ok ? undefined : result.parameters?.retry_after;
        if (!result.ok && result.error_code === 429 && typeof retryAfter === 'number')
          await record(retryAfter);
        return result;
      },
      outer: async (prev, method, payload, signal) => {
        const left = HELD.test(method) ? await hold(signal, maxHoldMs) : 0;
        return left > 0 ? refusal(left) : prev(method, payload, signal);
      },
    };
  }
  const { inner, outer } = pair(Infinity);

  return { inner, outer, bounded: pair, waitMs, close: () => closed.abort() };
}

/** What Telegram answers a send during its flood wait; never sent: the wait is known already. */
function refusal(leftMs: number) {
  const seconds = Math.ceil(leftMs / 1000);
  return {
    ok: false as const,
    error_code: 429,
    description: `Too Many Requests: retry after ${seconds} (a flood wait recorded earlier; not sent)`,
    parameters: { retry_after: seconds },
  };
}

/** Resolves after ms, or as soon as one of the signals aborts. */
function sleep(ms: number, signals: Array<Abortable | undefined>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const s of signals) s?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const s of signals) s?.addEventListener('abort', done, { once: true });
  });
}
