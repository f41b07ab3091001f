/**
 * Update intake: "at least once, answered once". Every update is stored in the inbox
 * BEFORE Telegram is told we have it (the next getUpdates offset, or the webhook's 200),
 * handed to the bot, and marked done when its handler finishes (an answered one earlier, by
 * the write that records its answer's delivery: services/chat/delivery.ts). On start, updates left
 * pending by a crash are replayed first, in order. Duplicate update_ids are dropped.
 * In-flight work is bounded: polling slows down, webhooks get 503 (Telegram retries).
 * An update the bot cannot route (update-shape.ts) is stored as rejected with its reason,
 * counted and logged by id, and acknowledged like any other: one bad update never holds up
 * the updates after it.
 *
 * A Telegram flood wait longer than a handler sits out (domain/flood-wait.ts) is not a failure:
 * the update whose reply it refused stays pending, and it and every update that arrives during
 * the wait run when the wait ends, in order (waiting-line.ts). Intake goes on meanwhile.
 */
import type { Update } from 'grammy/types';
import { chatKey, senderKey } from '../domain/chat-key.js';
import { FloodDeferred } from '../domain/flood-wait.js';
import type { IncomingUpdate, IntakeOutcome, UpdateIntake } from '../domain/ports/index.js';
import type { Log, Metrics } from '../domain/telemetry.js';
import type { InboxService } from '../services/inbox/index.js';
import { routeUpdate } from './update-shape.js';
import { createWaitingLine, MAX_WAITING, type RunHow } from './waiting-line.js';

export interface IntakeOptions {
  inbox: Pick<InboxService, 'record' | 'markDone' | 'pending'>;
  /**
   * `replay`: the update ran before (a crash, or a flood wait deferred it) and is run again.
   * Resolves true when the handler marked the update done itself (its answer's delivery, in the
   * same write). Rejects with FloodDeferred when a long flood wait refused its reply.
   */
  handle: (update: Update, how: RunHow) => Promise<boolean | void>;
  log: Log;
  metrics?: Pick<Metrics, 'updateRejected' | 'updateDeferred'>;
  maxInFlight: number;
  /** Milliseconds until the bot's shared flood wait ends (the flood gate's waitMs); default: none known. */
  floodWaitMs?: () => Promise<number>;
  now?: () => Date;
  /** Called as each webhook update arrives, before it is stored (readiness: Telegram reached us). */
  onReceived?: () => void;
}

export function createIntake(options: IntakeOptions) {
  const { inbox, log } = options;
  const now = options.now ?? (() => new Date());
  const running = new Set<Promise<void>>();
  /** Set by a shutdown that gave up waiting: nothing more is marked done, so it is all replayed. */
  let abandoned = false;
  const line = createWaitingLine({
    run: (update, how) => void run(update, how),
    room: () => running.size < options.maxInFlight,
    floodWaitMs: options.floodWaitMs,
    log,
    metrics: options.metrics,
    now: () => now().getTime(),
  });

  /** Since when storing updates has failed (readiness: the database cannot write); null when it works. */
  let writesFailingSince: number | null = null;

  /** Stores one update; only a `fresh` one is to be handled. */
  async function recordOne(update: Update): Promise<'fresh' | 'duplicate' | 'rejected'> {
    const routing = routeUpdate(update as unknown as Record<string, unknown>);
    const stored = {
      updateId: update.update_id,
      chatKey: routing.ok ? chatKeyOfUpdate(update) : 'none',
      fromId: senderOfUpdate(update),
      payload: JSON.stringify(update),
      ...(routing.ok ? {} : { rejected: `${routing.reason}: ${routing.detail}` }),
    };
    let recorded: boolean;
    try {
      recorded = await inbox.record(stored, now());
      writesFailingSince = null;
    } catch (error) {
      writesFailingSince ??= Date.now();
      throw error;
    }
    if (!recorded) {
      log.info({ updateId: update.update_id }, 'duplicate update dropped');
      return 'duplicate';
    }
    if (routing.ok) return 'fresh';
    // The reason names a field and a check, never a value: no personal data in the log.
    options.metrics?.updateRejected(routing.reason);
    log.warn(
      { updateId: update.update_id, reason: routing.reason, detail: routing.detail },
      'update rejected: the bot cannot route it',
    );
    return 'rejected';
  }

  /** Records a batch; returns only the updates to handle (not seen before, routable), in order. */
  async function record(updates: readonly Update[]): Promise<Update[]> {
    const fresh: Update[] = [];
    for (const update of updates) if ((await recordOne(update)) === 'fresh') fresh.push(update);
    return fresh;
  }

  /**
   * Runs the handler and marks the update done unless its answer's delivery did; failures were
   * already answered by the error boundary. One a long flood wait deferred is not done: it waits
   * in line for the wait's end.
   */
  function run(update: Update, how: RunHow): Promise<void> {
    const task = options
      .handle(update, how)
      .then(
        (settled) => settled !== true,
        (error: unknown) => {
          if (!(error instanceof FloodDeferred)) {
            log.error({ err: error, updateId: update.update_id }, 'update failed');
            return true;
          }
          line.defer(update, error.retryAfterSeconds);
          return false;
        },
      )
      .then((done) => (done && !abandoned ? inbox.markDone(update.update_id, now()) : undefined))
      .catch((error: unknown) =>
        log.error({ err: error, updateId: update.update_id }, 'could not mark update done'),
      )
      .finally(() => {
        running.delete(task);
        line.pump();
      });
    running.add(task);
    return task;
  }

  /** Runs the update, or puts it in line behind a flood wait or earlier updates (each chat keeps its order). */
  function dispatch(update: Update, how: RunHow = { replay: false }): Promise<void> {
    return line.busy() ? line.add(update, how) : run(update, how);
  }

  /** Webhook path (the UpdateIntake port): refuse when full, record, then run outside the request. */
  const accept: UpdateIntake['accept'] = async (incoming: IncomingUpdate): Promise<IntakeOutcome> => {
    options.onReceived?.();
    const update = incoming as Update;
    if (running.size >= options.maxInFlight || line.full()) return 'busy';
    const outcome = await recordOne(update);
    if (outcome !== 'fresh') return outcome;
    void dispatch(update);
    return 'accepted';
  };

  return {
    record,
    dispatch,
    accept,
    /** Re-runs updates a crash left pending, oldest first, at most maxInFlight at once (per-chat order by the bot). */
    async replayPending(): Promise<number> {
      const pending = await inbox.pending(MAX_WAITING);
      for (const stored of pending) void line.add(JSON.parse(stored.payload) as Update, { replay: true });
      if (pending.length)
        log.info({ count: pending.length }, 'replaying updates left pending by the last run');
      return pending.length;
    },
    inFlight: () => running.size,
    /** Updates in line: behind a flood wait, or replays waiting for room. */
    waiting: () => line.size(),
    writesFailingSince: () => writesFailingSince,
    /** Shutdown, first step: nothing more leaves the line; what is in it stays pending for the next start. */
    close: () => line.close(),
    /**
     * Shutdown timed out: handlers still running (or cancelled now) may not have answered, so
     * none of them is marked done; the next start replays them, as after a crash.
     */
    abandon(): number {
      abandoned = true;
      return running.size;
    },
    /** Waits for running handlers, at most `timeoutMs`; returns how many were still running. */
    async drain(timeoutMs: number): Promise<number> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.allSettled([...running]), timeout]);
      clearTimeout(timer);
      return running.size;
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;

/** The chat (and topic) an update belongs to, for ordering on replay and for logs. */
export function chatKeyOfUpdate(update: Update): string {
  const message =
    update.message ??
    update.edited_message ??
    update.channel_post ??
    update.callback_query?.message ??
    undefined;
  if (message) {
    const topic = 'is_topic_message' in message && message.is_topic_message;
    return chatKey(message.chat.id, topic ? message.message_thread_id : undefined);
  }
  const from = update.inline_query?.from ?? update.callback_query?.from ?? update.my_chat_member?.from;
  return from ? senderKey(from.id) : 'none';
}

/**
 * The Telegram id of the user who caused the update (as grammY's `ctx.from`), or null when
 * there is none (a channel post, an anonymous poll answer). Stored with the update so that
 * forgetting a user also deletes what they wrote in groups.
 */
export function senderOfUpdate(update: Update): number | null {
  const from =
    update.message?.from ??
    update.edited_message?.from ??
    update.channel_post?.from ??
    update.edited_channel_post?.from ??
    update.business_message?.from ??
    update.edited_business_message?.from ??
    update.callback_query?.from ??
    update.inline_query?.from ??
    update.chosen_inline_result?.from ??
    update.shipping_query?.from ??
    update.pre_checkout_query?.from ??
    update.purchased_paid_media?.from ??
    update.my_chat_member?.from ??
    update.chat_member?.from ??
    update.chat_join_request?.from ??
    update.poll_answer?.user ??
    update.message_reaction?.user ??
    update.business_connection?.user;
  // Only a real id: a rejected update is stored with whatever it claims, and the column is a bigint.
  const id: unknown = (from as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
}
