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
 *
 * Several instances share the inbox (services/inbox: leases). This one records what it takes
 * under its own lease, renews its leases while it works and, every RENEW_MS and at start, takes
 * the updates nobody answers any more (a crashed or hung instance's). With `crossInstanceOrder`
 * an update runs only once every older update of its chat is done or running here: the oldest
 * unanswered update of a chat goes first, whoever holds it.
 */
import type { Update } from 'grammy/types';
import { chatKey, isStopCommand, senderKey } from '../domain/chat-key.js';
import { FloodDeferred } from '../domain/flood-wait.js';
import type { IncomingUpdate, IntakeOutcome, UpdateIntake } from '../domain/ports/index.js';
import type { Log, Metrics } from '../domain/telemetry.js';
import { RENEW_MS, type InboxService } from '../services/inbox/index.js';
import { routeUpdate } from './update-shape.js';
import { createWaitingLine, MAX_WAITING, type RunHow } from './waiting-line.js';

export interface IntakeOptions {
  inbox: Pick<
    InboxService,
    'record' | 'recordMany' | 'markDone' | 'claim' | 'renew' | 'leaseFor' | 'olderPending'
  >;
  /** This instance's inbox owner id (random per start). */
  owner: string;
  /** Other instances may answer this inbox's updates too: keep each chat's order across them. */
  crossInstanceOrder?: boolean;
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

const noop = () => undefined;

/** A run that never started (the intake closed while it waited for its chat's turn). */
const SKIPPED = Symbol('skipped');

export function createIntake(options: IntakeOptions) {
  const { inbox, log } = options;
  const now = options.now ?? (() => new Date());
  const running = new Set<Promise<void>>();
  /** Handlers started (past their chat's turn): the line's room counts these, not updates waiting for a turn. */
  let handling = 0;
  /** Per chat, the updates handed to the bot here and not finished: an older one of these is no reason to wait. */
  const entered = new Map<string, Set<number>>();
  /** Per chat: when the newest handler handed to the bot here ends (see inChatLane). */
  const lanes = new Map<string, Promise<void>>();
  let leaseTimer: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  /** Set by a shutdown that gave up waiting: nothing more is marked done, so it is all replayed. */
  let abandoned = false;
  const line = createWaitingLine({
    run: (update, how) => void run(update, how),
    room: () => handling < options.maxInFlight,
    floodWaitMs: options.floodWaitMs,
    log,
    metrics: options.metrics,
    now: () => now().getTime(),
  });

  /** Since when storing updates has failed (readiness: the database cannot write); null when it works. */
  let writesFailingSince: number | null = null;

  /** The inbox row of an update: routable ones under this instance's lease, the rest as rejected. */
  function toStored(update: Update) {
    const routing = routeUpdate(update as unknown as Record<string, unknown>);
    const stored = {
      updateId: update.update_id,
      chatKey: routing.ok ? chatKeyOfUpdate(update) : 'none',
      fromId: senderOfUpdate(update),
      payload: JSON.stringify(update),
      ...(routing.ok
        ? { lease: inbox.leaseFor(options.owner) }
        : { rejected: `${routing.reason}: ${routing.detail}` }),
    };
    return { stored, routing };
  }

  /** Tracks whether storing works (readiness) around one write. */
  async function tracked<T>(write: Promise<T>): Promise<T> {
    try {
      const result = await write;
      writesFailingSince = null;
      return result;
    } catch (error) {
      writesFailingSince ??= Date.now();
      throw error;
    }
  }

  /** What a stored update is to the intake: only a `fresh` one is to be handled. */
  function outcome(
    update: Update,
    routing: ReturnType<typeof routeUpdate>,
    recorded: boolean,
  ): 'fresh' | 'duplicate' | 'rejected' {
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

  /** Stores one update (a webhook request). */
  async function recordOne(update: Update): Promise<'fresh' | 'duplicate' | 'rejected'> {
    const { stored, routing } = toStored(update);
    return outcome(update, routing, await tracked(inbox.record(stored, now())));
  }

  /**
   * Stores a getUpdates batch, all of it or none (a failure leaves nothing stored: the same batch
   * comes again, and none of it is then taken for a duplicate); returns only the updates to
   * handle (not seen before, routable), in order.
   */
  async function record(updates: readonly Update[]): Promise<Update[]> {
    if (updates.length === 0) return [];
    const rows = updates.map(toStored);
    const recorded = await tracked(
      inbox.recordMany(
        rows.map((row) => row.stored),
        now(),
      ),
    );
    return updates.filter(
      (update, index) => outcome(update, rows[index]!.routing, recorded[index]!) === 'fresh',
    );
  }

  /**
   * Runs the handler and marks the update done unless its answer's delivery did; failures were
   * already answered by the error boundary. One a long flood wait deferred is not done: it waits
   * in line for the wait's end.
   */
  function run(update: Update, how: RunHow): Promise<void> {
    const chat = chatKeyOfUpdate(update);
    let started = false;
    const task = turn(update, chat)
      .then<boolean | void | typeof SKIPPED>((go) => {
        if (!go) return SKIPPED; // stopping: it stays pending for another instance or the next start
        started = true;
        handling += 1;
        let mine = entered.get(chat);
        if (!mine) entered.set(chat, (mine = new Set()));
        mine.add(update.update_id);
        return inChatLane(update, chat, () => options.handle(update, how));
      })
      .then(
        (settled: boolean | void | typeof SKIPPED) => settled !== true && settled !== SKIPPED,
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
        if (started) {
          handling -= 1;
          const mine = entered.get(chat);
          mine?.delete(update.update_id);
          if (mine?.size === 0) entered.delete(chat);
        }
        line.pump();
      });
    running.add(task);
    return task;
  }

  /**
   * Hands a chat's updates to the bot one at a time, each once the one before it here has ended;
   * other chats run meanwhile. The bot keeps each chat's order itself (sequentialize), but an update
   * waiting there holds its context and a frame for each middleware above it for as long as its
   * chat's earlier answers take; in a burst they lived long enough to move to V8's old generation,
   * which then grew far past what was alive (Postgres + Redis, 500 messages from 50 users: peak
   * RSS 405-415 MB; 330-393 MB with the waiting updates held here as Telegram sent them).
   * A /stop skips the lane, as it skips sequentialize, and so does an update in no chat (an inline
   * query, a pre-checkout query, a membership change): the bot sees each as it arrives (its inline
   * tracker answers only the newest of a user's queries) and orders them per user itself.
   */
  function inChatLane(
    update: Update,
    chat: string,
    handle: () => Promise<boolean | void>,
  ): Promise<boolean | void> {
    if (!messageOfUpdate(update) || overtakes(update)) return handle();
    const handled = (lanes.get(chat) ?? Promise.resolve()).then(handle);
    const ended = handled.then(noop, noop);
    lanes.set(chat, ended);
    void ended.then(() => {
      if (lanes.get(chat) === ended) lanes.delete(chat);
    });
    return handled;
  }

  /**
   * Resolves true once the update may run: no older update of its chat is pending anywhere but
   * here, running. Polls with a backoff (another instance finishes it); false when stopping.
   */
  async function turn(update: Update, chat: string): Promise<boolean> {
    if (!options.crossInstanceOrder || chat === 'none' || overtakes(update)) return !closed;
    let delay = 20;
    for (;;) {
      if (closed) return false;
      // A failing read is no answer: wait and ask again (the update stays pending meanwhile).
      const older = await inbox.olderPending(chat, update.update_id, 50).catch((error: unknown) => {
        log.warn({ err: error, updateId: update.update_id }, "could not check the chat's order");
        return null;
      });
      const mine = entered.get(chat);
      if (older?.every((id) => mine?.has(id))) return true;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(500, Math.round(delay * 1.5));
    }
  }

  /** Takes the updates nobody answers any more into the line, oldest first; returns how many. */
  async function claimStale(): Promise<number> {
    const room = MAX_WAITING - line.size();
    if (room <= 0 || closed) return 0;
    const stale = await inbox.claim(options.owner, room);
    for (const stored of stale) void line.add(JSON.parse(stored.payload) as Update, { replay: true });
    return stale.length;
  }

  /** Runs the update, or puts it in line behind a flood wait or earlier updates (each chat keeps its order). */
  function dispatch(update: Update, how: RunHow = { replay: false }): Promise<void> {
    return line.busy() ? line.add(update, how) : run(update, how);
  }

  /** Webhook path (the UpdateIntake port): refuse when full, record, then run outside the request. */
  const accept: UpdateIntake['accept'] = async (incoming: IncomingUpdate): Promise<IntakeOutcome> => {
    options.onReceived?.();
    const update = incoming as Update;
    // Stopping (a rolling restart): 503, so the proxy or Telegram hands it to another instance.
    if (closed || running.size >= options.maxInFlight || line.full()) return 'busy';
    const outcome = await recordOne(update);
    if (outcome !== 'fresh') return outcome;
    void dispatch(update);
    return 'accepted';
  };

  return {
    record,
    dispatch,
    accept,
    /**
     * Re-runs updates a crash left pending (only those no live instance holds), oldest first, at
     * most maxInFlight at once (per-chat order by the bot); then renews this instance's leases and
     * takes what others leave behind every RENEW_MS until close().
     */
    async replayPending(): Promise<number> {
      const count = await claimStale();
      if (count) log.info({ count }, 'replaying updates left pending by the last run');
      leaseTimer ??= setInterval(() => {
        inbox
          .renew(options.owner)
          .then(claimStale)
          .then((taken) => taken > 0 && log.info({ count: taken }, 'took over updates another instance left'))
          .catch((error: unknown) => log.warn({ err: error }, 'renewing inbox leases failed'));
      }, RENEW_MS);
      leaseTimer.unref();
      return count;
    },
    inFlight: () => running.size,
    /** Updates in line: behind a flood wait, or replays waiting for room. */
    waiting: () => line.size(),
    writesFailingSince: () => writesFailingSince,
    /** Shutdown, first step: nothing more leaves the line; what is in it stays pending for the next start. */
    close: () => {
      closed = true;
      clearInterval(leaseTimer);
      line.close();
    },
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
  const message = messageOfUpdate(update);
  if (message) {
    const topic = 'is_topic_message' in message && message.is_topic_message;
    return chatKey(message.chat.id, topic ? message.message_thread_id : undefined);
  }
  const from =
    update.inline_query?.from ??
    update.callback_query?.from ??
    update.my_chat_member?.from ??
    update.pre_checkout_query?.from;
  return from ? senderKey(from.id) : 'none';
}

/** A /stop stops the answer that holds its chat's turn: it waits neither for its chat's order nor its lane. */
function overtakes(update: Update): boolean {
  return isStopCommand(update.message?.text);
}

/** The message an update is about, which puts it in a chat; undefined for inline queries and the like. */
function messageOfUpdate(update: Update) {
  return update.message ?? update.edited_message ?? update.channel_post ?? update.callback_query?.message;
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
