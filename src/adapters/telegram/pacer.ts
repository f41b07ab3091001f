/**
 * Paces what Telegram flood-controls, and nothing else. Telegram's FAQ names three limits: about
 * 30 messages a second per bot, 20 messages a minute per group, and "avoid more than one message
 * a second in a chat; short bursts are allowed". The pacer keeps:
 *
 *  - per bot: at most 30 sends in any rolling second (messages and edits);
 *  - per group, supergroup or channel (a negative chat id or an @username): at most 20 new
 *    messages in any rolling minute, and sends at 1 a second after a burst of 3 (edits count
 *    here: stream-reply already edits a group's preview only about once a second).
 *
 * Nothing else waits: chat actions, drafts, answers to callback and inline queries, getFile,
 * getUpdates, webhook calls. A private chat has no per-chat pacing, like python-telegram-bot's
 * reference limiter: its answers follow what its user sends, and the FAQ allows short bursts; a
 * 429 there is still honoured (auto-retry and the shared flood gate). So the first answer in a
 * quiet chat leaves at once, and a reply never waits for its own typing action or draft, which
 * is what the grammY throttler made of every call (each call to a chat a second apart).
 *
 * Each limit is a FIFO lane (a promise chain): a send waits for its chat's lane, then for the
 * bot's, so a busy group never holds another chat's sends. Waiting is one timer per waiting
 * send; an idle bot runs no timer at all (no polling), and per-chat lanes are dropped lazily
 * once their history no longer matters.
 *
 * A send counts from its answer: the request may reach Telegram much later than it left (a busy
 * event loop, new connections, a flood wait, a retry), and the answer bounds when it did. So a
 * slot of the per-bot second is free again a second after the answer: 30 sends per (1 s + the
 * round trip), under the 30/s however slow the way there.
 * grammY runs the last installed transformer first: install it outside auto-retry (re-sends of a
 * 429 are not paced again) and inside the flood gate's `outer` (see flood-gate.ts).
 */
import type { Transformer } from 'grammy';

export interface PacerLimits {
  /** Sends per bot in any rolling second; default 30. */
  botPerSecond: number;
  /** New messages per group in any rolling minute; default 20. */
  groupPerMinute: number;
  /** Sends to one group that may leave at once before the 1/s pace applies; default 3. */
  groupBurst: number;
  /** Slack added to a group's 1/s pace for the request's own travel (ms); default 50. */
  marginMs: number;
}

const TELEGRAM_LIMITS: Readonly<PacerLimits> = {
  botPerSecond: 30,
  groupPerMinute: 20,
  groupBurst: 3,
  marginMs: 50,
};

/** Flood-controlled methods: those that put or change something in a chat. */
const PACED = /^(send|edit|copy|forward)/;
/** ...except the cheap signals of work in progress, which must never wait behind a message. */
const NEVER_PACED = new Set(['sendChatAction', 'sendMessageDraft']);
/** What counts as a new message in a group's per-minute budget (edits do not). */
const NEW_MESSAGE = /^(send|copy|forward)/;

function isPaced(method: string): boolean {
  return PACED.test(method) && !NEVER_PACED.has(method);
}

/** What the pacer needs of an abort signal (grammY's type is the abort-controller package's). */
interface Abortable {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** One limit: when a send may leave, and noting that one left. */
interface Rule {
  readyAt(now: number, isNew: boolean): number;
  /** Notes a send leaving at `now`; the returned callback moves it to when it was answered. */
  take(now: number, isNew: boolean): (answeredAt: number) => void;
  /** True once its history can no longer delay anything. */
  settled(now: number): boolean;
}

const nothing = () => undefined;

/**
 * At most `max` sends in any rolling `windowMs`: the last `max` are kept, ordered by when they
 * count from. A send counts from its answer, a bound on when Telegram saw it: the request may wait
 * in a busy event loop, for a new connection, a flood wait or a retry on its way. Until answered it
 * counts as seen just now, so a slow request never lets another in early (its answer wakes the lane).
 */
function slidingWindow(
  max: number,
  windowMs: number,
  options: {
    /** Which sends count (default: all). */
    counts?: (isNew: boolean) => boolean;
    /** How many processes spend this budget at once (each keeps its share); default 1. */
    sharedBy?: () => number;
  } = {},
): Rule {
  const { counts = () => true, sharedBy = () => 1 } = options;
  const times: Array<{ at: number }> = [];
  return {
    readyAt(now, isNew) {
      const share = Math.max(1, Math.floor(max / sharedBy()));
      if (!counts(isNew) || times.length < share) return now;
      return Math.max(now, times[times.length - share]!.at + windowMs);
    },
    take(now, isNew) {
      if (!counts(isNew)) return nothing;
      const entry = { at: Infinity };
      times.push(entry);
      // The whole budget's history is kept: a share that grows back (an instance stopped) needs it.
      if (times.length > max) times.shift();
      return (answeredAt) => {
        entry.at = answeredAt;
        times.sort((a, b) => a.at - b.at);
      };
    },
    settled: (now) => times.length === 0 || times[times.length - 1]!.at + windowMs <= now,
  };
}

/** `burst` sends at once, then one per `intervalMs` (GCRA: a token bucket without a refill timer). */
function tokenBucket(burst: number, intervalMs: number): Rule {
  let theoretical = -Infinity;
  const tolerance = (burst - 1) * intervalMs;
  return {
    readyAt: (now) => Math.max(now, theoretical - tolerance),
    take(now) {
      theoretical = Math.max(theoretical, now) + intervalMs;
      // Counted from the answer, as above: never earlier than the send really reached Telegram.
      return (answeredAt) => void (theoretical = Math.max(theoretical, answeredAt + intervalMs));
    },
    settled: (now) => theoretical <= now,
  };
}

interface Lane {
  rules: Rule[];
  tail: Promise<void>;
  waiting: number;
  /** Woken by every answer: it may free a slot no timer knows of (see slidingWindow). */
  wakers: Set<() => void>;
}

function lane(rules: Rule[]): Lane {
  return { rules, tail: Promise.resolve(), waiting: 0, wakers: new Set() };
}

export interface Pacer {
  readonly transformer: Transformer;
  /** Sends waiting for their turn now. */
  waiting(): number;
  /**
   * How many instances send with this bot's token now (several daemons on one database): each
   * keeps an equal share of the per-bot 30 a second, so together they stay under it. Default 1.
   */
  shareWith(instances: number): void;
}

export function createPacer(options: { limits?: Partial<PacerLimits>; now?: () => number } = {}): Pacer {
  const limits = { ...TELEGRAM_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  let instances = 1;
  const bot = lane([slidingWindow(limits.botPerSecond, 1000, { sharedBy: () => instances })]);
  const groups = new Map<string, Lane>();
  let sweepAbove = 1024;
  let waiting = 0;

  function groupLane(key: string): Lane {
    let found = groups.get(key);
    if (found === undefined) {
      if (groups.size >= sweepAbove) sweep();
      found = lane([
        tokenBucket(limits.groupBurst, 1000 + limits.marginMs),
        slidingWindow(limits.groupPerMinute, 60_000, { counts: (isNew) => isNew }),
      ]);
      groups.set(key, found);
    }
    return found;
  }

  /** Drops lanes nobody waits in whose limits have run out; called on growth, never on a timer. */
  function sweep(): void {
    const t = now();
    for (const [key, l] of groups)
      if (l.waiting === 0 && l.rules.every((r) => r.settled(t))) groups.delete(key);
    sweepAbove = Math.max(1024, groups.size * 2);
  }

  /** Waits for the lane's turn and its rules; returns what notes the send's answer. */
  async function pass(l: Lane, isNew: boolean, signal: Abortable | undefined): Promise<(at: number) => void> {
    l.waiting += 1;
    const turn = l.tail.then(async () => {
      for (;;) {
        if (signal?.aborted === true) return nothing;
        const t = now();
        const at = Math.max(...l.rules.map((r) => r.readyAt(t, isNew)));
        if (at <= t) {
          const notes = l.rules.map((r) => r.take(t, isNew));
          return (answeredAt: number) => {
            for (const note of notes) note(answeredAt);
            for (const wake of l.wakers) wake();
          };
        }
        await sleep(at - t, l.wakers, signal);
      }
    });
    l.tail = turn.then(nothing);
    try {
      return await turn;
    } finally {
      l.waiting -= 1;
    }
  }

  const transformer: Transformer = async (prev, method, payload, signal) => {
    if (!isPaced(method)) return prev(method, payload, signal);
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    const isNew = NEW_MESSAGE.test(method);
    const answered: Array<(at: number) => void> = [];
    waiting += 1;
    try {
      if (isGroupChat(chatId)) answered.push(await pass(groupLane(String(chatId)), isNew, signal));
      answered.push(await pass(bot, isNew, signal));
    } finally {
      waiting -= 1;
    }
    try {
      return await prev(method, payload, signal);
    } finally {
      const at = now();
      for (const note of answered) note(at);
    }
  };

  return {
    transformer,
    waiting: () => waiting,
    shareWith(count) {
      instances = Number.isSafeInteger(count) && count > 1 ? count : 1;
      // A larger share may let waiting sends go now: wake the lane to look again.
      for (const wake of bot.wakers) wake();
    },
  };
}

/** Groups, supergroups and channels have negative ids; an @username names a public group or channel. */
function isGroupChat(chatId: unknown): boolean {
  return (typeof chatId === 'number' && chatId < 0) || (typeof chatId === 'string' && /^(-|@)/.test(chatId));
}

/** Resolves after ms (never, if Infinity), on the next wake, or as soon as the signal aborts. */
function sleep(ms: number, wakers: Set<() => void>, signal: Abortable | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      wakers.delete(done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    wakers.add(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
