/**
 * Update intake: "at least once, answered once". Every update is stored in the inbox
 * BEFORE Telegram is told we have it (the next getUpdates offset, or the webhook's 200),
 * handed to the bot, and marked done when its handler finishes. On start, updates left
 * pending by a crash are replayed first, in order. Duplicate update_ids are dropped.
 * In-flight work is bounded: polling slows down, webhooks get 503 (Telegram retries).
 * An update the bot cannot route (update-shape.ts) is stored as rejected with its reason,
 * counted and logged by id, and acknowledged like any other: one bad update never holds up
 * the updates after it.
 */
import type { Update } from 'grammy/types';
import type { IncomingUpdate, IntakeOutcome, UpdateIntake } from '../domain/ports/index.js';
import type { Log, Metrics } from '../domain/telemetry.js';
import type { InboxService } from '../services/inbox/index.js';
import { routeUpdate } from './update-shape.js';

export interface IntakeOptions {
  inbox: Pick<InboxService, 'record' | 'markDone' | 'pending'>;
  /** `replay`: the update was left pending by an earlier run (a crash) and is run again. */
  handle: (update: Update, how: { replay: boolean }) => Promise<void>;
  log: Log;
  metrics?: Pick<Metrics, 'updateRejected'>;
  maxInFlight: number;
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

  /** Stores one update; only a `fresh` one is to be handled. */
  /** Since when storing updates has failed (readiness: the database cannot write); null when it works. */
  let writesFailingSince: number | null = null;

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

  /** Runs the handler and marks the update done; failures were already answered by the error boundary. */
  function dispatch(update: Update, how = { replay: false }): Promise<void> {
    const task = options
      .handle(update, how)
      .catch((error: unknown) => log.error({ err: error, updateId: update.update_id }, 'update failed'))
      .then(() => (abandoned ? undefined : inbox.markDone(update.update_id, now())))
      .catch((error: unknown) =>
        log.error({ err: error, updateId: update.update_id }, 'could not mark update done'),
      )
      .finally(() => running.delete(task));
    running.add(task);
    return task;
  }

  /** Webhook path (the UpdateIntake port): refuse when full, record, then run outside the request. */
  const accept: UpdateIntake['accept'] = async (incoming: IncomingUpdate): Promise<IntakeOutcome> => {
    options.onReceived?.();
    const update = incoming as Update;
    if (running.size >= options.maxInFlight) return 'busy';
    const outcome = await recordOne(update);
    if (outcome !== 'fresh') return outcome;
    void dispatch(update);
    return 'accepted';
  };

  return {
    record,
    dispatch,
    accept,
    /** Re-runs updates a crash left pending, oldest first; per-chat order is kept by the bot. */
    async replayPending(): Promise<number> {
      const pending = await inbox.pending(10_000);
      for (const stored of pending) void dispatch(JSON.parse(stored.payload) as Update, { replay: true });
      if (pending.length)
        log.info({ count: pending.length }, 'replaying updates left pending by the last run');
      return pending.length;
    },
    inFlight: () => running.size,
    writesFailingSince: () => writesFailingSince,
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
    const thread =
      'is_topic_message' in message && message.is_topic_message ? message.message_thread_id : undefined;
    return thread === undefined ? String(message.chat.id) : `${message.chat.id}:${thread}`;
  }
  const from = update.inline_query?.from ?? update.callback_query?.from ?? update.my_chat_member?.from;
  return from ? `user:${from.id}` : 'none';
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
