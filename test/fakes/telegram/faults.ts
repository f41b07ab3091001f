// Failure injection: scripted failures, flood control, a flood wait, latency and blocked users. Checked
// before a method runs, so a refused call has no effect (nothing is stored), as with Telegram.
import { sleep } from '../shared/http.js';
import { BotApiError, defaultDescription, tooManyRequests } from './errors.js';
import { chatKey, type ChatId } from './store.js';
import type { Params } from './body.js';

export interface FailureSpec {
  errorCode: number;
  /** Defaults to Telegram's text for the code (429 gets "Too Many Requests: retry after N"). */
  description?: string;
  retryAfter?: number;
  /** How many consecutive calls fail (default 1). */
  times?: number;
  /**
   * A 429 that starts a flood wait for the whole bot, as Telegram imposes on a bot that flooded:
   * until `retryAfter` seconds have passed (or endFlood), every call that reaches a chat (sends,
   * edits, chat actions, drafts) gets 429 with the seconds left.
   */
  flood?: boolean;
}

export interface RateLimit {
  /** Sends per rolling second across all chats (Telegram: about 30). */
  perSecond?: number;
  /** Sends per rolling second to one chat (Telegram: about 1). */
  perChatPerSecond?: number;
  /**
   * Sends to one chat that may go at once ("short bursts" in Telegram's FAQ): the per-chat limit is
   * then a token bucket of this size refilled at perChatPerSecond, instead of a rolling second.
   */
  perChatBurst?: number;
  /** New messages (not edits) per rolling minute to one group or supergroup (Telegram: about 20). */
  perGroupPerMinute?: number;
  /** Fixed retry_after to report; by default the seconds until the window has room again (at least 1). */
  retryAfter?: number;
  /** Methods that count as sends; default SENDING_METHODS. */
  methods?: readonly string[];
}

/**
 * Telegram's limits as its Bot FAQ states them: ~30 messages a second per bot, ~1 a second per chat
 * with short bursts allowed, 20 a minute per group.
 */
export const TELEGRAM_RATE_LIMITS: Readonly<RateLimit> = {
  perSecond: 30,
  perChatPerSecond: 1,
  perChatBurst: 3,
  perGroupPerMinute: 20,
};

/** Methods Telegram flood-controls. Chat actions and drafts are left out: they are cheap typing signals. */
export const SENDING_METHODS: readonly string[] = [
  'sendMessage',
  'sendVoice',
  'sendAudio',
  'sendPhoto',
  'sendDocument',
  'sendVideo',
  'sendAnimation',
  'sendSticker',
  'sendMediaGroup',
  'copyMessage',
  'forwardMessage',
  'editMessageText',
  'editMessageCaption',
  'editMessageReplyMarkup',
];

/** Methods that reach a user's chat and so fail once the user blocked the bot. */
const REACHES_USER = new Set([...SENDING_METHODS, 'sendChatAction', 'sendMessageDraft']);

interface ScriptedFailure extends FailureSpec {
  remaining: number;
}

interface SendRecord {
  at: number;
  chat: string;
  group: boolean;
  edit: boolean;
}

export class Faults {
  private failures = new Map<string, ScriptedFailure[]>();
  private rateLimit: RateLimit | undefined;
  private sends: SendRecord[] = [];
  /** Per-chat token buckets (perChatBurst): the theoretical arrival time of the next send (GCRA). */
  private chatBuckets = new Map<string, number>();
  /** The end (epoch ms) of a flood wait for the whole bot; 0 when none is on. */
  private floodUntil = 0;
  private latencyAll = 0;
  private latencyByMethod = new Map<string, number>();
  readonly blocked = new Set<string>();
  tooManyRequestsCount = 0;

  failNext(method: string, spec: FailureSpec): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ ...spec, remaining: spec.times ?? 1 });
    this.failures.set(method, queue);
  }

  setRateLimit(limit: RateLimit | null): void {
    this.rateLimit = limit ?? undefined;
    this.sends = [];
    this.chatBuckets.clear();
  }

  endFlood(): void {
    this.floodUntil = 0;
  }

  setLatency(ms: number, method?: string): void {
    if (method === undefined) this.latencyAll = ms;
    else this.latencyByMethod.set(method, ms);
  }

  async delay(method: string): Promise<void> {
    await sleep(this.latencyByMethod.get(method) ?? this.latencyAll);
  }

  /** Throws the failure this call should get, if any. `isGroup` tells the per-group limit which chats count. */
  check(method: string, params: Params, isGroup: (chatId: ChatId) => boolean): void {
    if (REACHES_USER.has(method) && Date.now() < this.floodUntil) {
      this.tooManyRequestsCount++;
      throw tooManyRequests(Math.ceil((this.floodUntil - Date.now()) / 1000));
    }
    const scripted = this.failures.get(method) ?? this.failures.get('*');
    const failure = scripted?.[0];
    if (scripted !== undefined && failure !== undefined) {
      failure.remaining--;
      if (failure.remaining <= 0) scripted.shift();
      const retryAfter = failure.retryAfter ?? (failure.errorCode === 429 ? 1 : undefined);
      const description =
        failure.description ??
        (failure.errorCode === 429
          ? `Too Many Requests: retry after ${retryAfter}`
          : defaultDescription(failure.errorCode));
      if (failure.errorCode === 429) this.tooManyRequestsCount++;
      if (failure.errorCode === 429 && failure.flood === true)
        this.floodUntil = Date.now() + (retryAfter ?? 1) * 1000;
      throw new BotApiError(failure.errorCode, description, retryAfter);
    }
    const chatId = params.chat_id;
    const chat = typeof chatId === 'number' || typeof chatId === 'string' ? chatKey(chatId) : undefined;
    if (chat !== undefined && REACHES_USER.has(method) && this.blocked.has(chat)) {
      throw new BotApiError(403, 'Forbidden: bot was blocked by the user');
    }
    const limit = this.rateLimit;
    if (limit === undefined || !(limit.methods ?? SENDING_METHODS).includes(method)) return;
    const now = Date.now();
    this.sends = this.sends.filter((s) => now - s.at < 60_000);
    const lastSecond = this.sends.filter((s) => now - s.at < 1000);
    const waits: number[] = [];
    if (limit.perSecond !== undefined && lastSecond.length >= limit.perSecond) {
      waits.push(windowWait(lastSecond, limit.perSecond, 1000, now));
    }
    const interval = limit.perChatPerSecond !== undefined ? 1000 / limit.perChatPerSecond : undefined;
    if (chat !== undefined && interval !== undefined && limit.perChatBurst !== undefined) {
      const allowedAt = (this.chatBuckets.get(chat) ?? -Infinity) - (limit.perChatBurst - 1) * interval;
      if (now < allowedAt) waits.push(allowedAt - now);
    } else if (chat !== undefined && limit.perChatPerSecond !== undefined) {
      const forChat = lastSecond.filter((s) => s.chat === chat);
      if (forChat.length >= limit.perChatPerSecond)
        waits.push(windowWait(forChat, limit.perChatPerSecond, 1000, now));
    }
    const edit = method.startsWith('edit');
    const group = chat !== undefined && typeof chatId !== 'undefined' && isGroup(chatId as ChatId);
    if (group && !edit && limit.perGroupPerMinute !== undefined) {
      const forGroup = this.sends.filter((s) => s.chat === chat && !s.edit);
      if (forGroup.length >= limit.perGroupPerMinute) {
        waits.push(windowWait(forGroup, limit.perGroupPerMinute, 60_000, now));
      }
    }
    if (waits.length > 0) {
      this.tooManyRequestsCount++;
      throw tooManyRequests(limit.retryAfter ?? Math.max(1, Math.ceil(Math.max(...waits) / 1000)));
    }
    this.sends.push({ at: now, chat: chat ?? '', group, edit });
    if (chat !== undefined && interval !== undefined && limit.perChatBurst !== undefined)
      this.chatBuckets.set(chat, Math.max(this.chatBuckets.get(chat) ?? -Infinity, now) + interval);
  }

  reset(): void {
    this.failures.clear();
    this.rateLimit = undefined;
    this.sends = [];
    this.chatBuckets.clear();
    this.endFlood();
    this.latencyAll = 0;
    this.latencyByMethod.clear();
    this.blocked.clear();
    this.tooManyRequestsCount = 0;
  }
}

/** Milliseconds until the window (sorted by time) holds fewer than `max` entries. */
function windowWait(entries: SendRecord[], max: number, windowMs: number, now: number): number {
  const oldestThatMustExpire = entries[entries.length - max];
  return oldestThatMustExpire === undefined ? 0 : oldestThatMustExpire.at + windowMs - now;
}
