// Update delivery, both ways Telegram does it: getUpdates long polling (offset confirms, a newer poll
// terminates an older one, a set webhook forbids polling) and webhook POSTs with the secret header,
// retried with backoff while the endpoint fails.
import { Agent, request, type ClientRequest } from 'node:http';
import type { Update } from 'grammy/types';
import { badRequest, BotApiError } from './errors.js';
import type { Params } from './body.js';

/** Update kinds Telegram only sends when explicitly listed in allowed_updates. */
const OPT_IN = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

export interface WebhookDelivery {
  updateId: number;
  /** 1 for the first POST of this update, 2 for the first retry, ... */
  attempt: number;
  url: string;
  /** The X-Telegram-Bot-Api-Secret-Token header sent, if any. */
  secretToken?: string;
  /** HTTP status of the endpoint's answer; absent when the connection failed. */
  status?: number;
  error?: string;
  /** Epoch ms when the POST started. */
  at: number;
  /** How long the endpoint took to answer (or fail). */
  durationMs: number;
}

export interface WebhookOptions {
  retryDelayMs: (attempt: number) => number;
  maxAttempts: number;
  timeoutMs: number;
  /** Deliver as the Bot API server does (see pump); false: one update at a time, a new connection each. */
  likeTelegram: boolean;
}

interface Webhook {
  url: string;
  secretToken?: string;
  maxConnections: number;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

interface Poller {
  limit: number;
  resolve: (updates: Update[]) => void;
  reject: (error: BotApiError) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export const updateType = (update: Update): string =>
  Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';

/**
 * The queue an update waits in for webhook delivery: its chat where it has one, else its user
 * (inline queries, payments), else its own.
 */
function queueOf(update: Update): string {
  const body = (update as unknown as Record<string, unknown>)[updateType(update)] as
    { chat?: { id: number }; message?: { chat?: { id: number } }; from?: { id: number } } | undefined;
  const chat = body?.chat?.id ?? body?.message?.chat?.id;
  if (chat !== undefined) return `chat:${chat}`;
  if (body?.from?.id !== undefined) return `user:${body.from.id}`;
  return `update:${update.update_id}`;
}

export class UpdateQueue {
  private nextUpdateId = 1;
  pending: Update[] = [];
  private allowed: string[] | undefined;
  private webhook: Webhook | undefined;
  private poller: Poller | undefined;
  private closed = false;
  /** Webhook POSTs in flight, destroyed on close so no socket or timer outlives the fake. */
  private readonly posting = new Set<ClientRequest>();
  /** Deliveries started and not yet answered (a POST's socket may close a moment later). */
  private delivering = 0;
  /** Chats (queues) with an update in flight. */
  private readonly busyQueues = new Set<string>();
  private readonly attempts = new Map<number, number>();
  /** When a failed update may be sent again (epoch ms), by update_id. */
  private readonly wakeups = new Map<number, number>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private agent: Agent | undefined;
  private agentUrl: string | undefined;
  readonly deliveries: WebhookDelivery[] = [];
  /** Updates dropped because allowed_updates excludes them, or after too many failed webhook attempts. */
  readonly dropped: Update[] = [];

  constructor(
    private readonly options: WebhookOptions,
    /** Runs a method the webhook endpoint returned in its response body (grammY's webhook reply). */
    private readonly onWebhookReply: (method: string, params: Params) => Promise<void>,
  ) {}

  push(input: Partial<Update>): Update {
    const update = { ...input } as Update;
    if (typeof update.update_id !== 'number') update.update_id = this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, update.update_id + 1);
    if (!this.isAllowed(update)) {
      this.dropped.push(update);
      return update;
    }
    this.pending.push(update);
    this.pending.sort((a, b) => a.update_id - b.update_id);
    if (this.webhook !== undefined) this.pump();
    else this.wakePoller();
    return update;
  }

  private isAllowed(update: Update): boolean {
    const type = updateType(update);
    if (this.allowed === undefined || this.allowed.length === 0) return !OPT_IN.has(type);
    return this.allowed.includes(type);
  }

  private setAllowed(value: unknown): void {
    if (Array.isArray(value)) this.allowed = value.map(String);
  }

  // ---- long polling ------------------------------------------------------------------------------------

  getUpdates(params: Params, onAbort: (cancel: () => void) => void): Promise<Update[]> {
    if (this.webhook !== undefined) {
      throw new BotApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    // Only one poller per bot: the newer request wins, the older one learns it was superseded.
    if (this.poller !== undefined) {
      const old = this.poller;
      this.poller = undefined;
      if (old.timer !== undefined) clearTimeout(old.timer);
      old.reject(
        new BotApiError(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        ),
      );
    }
    const offset = typeof params.offset === 'number' ? params.offset : 0;
    if (offset > 0) this.pending = this.pending.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.pending = this.pending.slice(offset);
    this.setAllowed(params.allowed_updates);
    const limit = Math.min(100, Math.max(1, typeof params.limit === 'number' ? params.limit : 100));
    const timeoutSeconds = typeof params.timeout === 'number' ? Math.max(0, params.timeout) : 0;
    if (this.pending.length > 0 || timeoutSeconds === 0 || this.closed) {
      return Promise.resolve(this.pending.slice(0, limit));
    }
    return new Promise<Update[]>((resolve, reject) => {
      const poller: Poller = { limit, resolve, reject, timer: undefined };
      poller.timer = setTimeout(() => {
        if (this.poller === poller) this.poller = undefined;
        resolve([]);
      }, timeoutSeconds * 1000);
      this.poller = poller;
      // A client that gives up (bot.stop() aborts its poll) must not keep the slot.
      onAbort(() => {
        if (this.poller !== poller) return;
        this.poller = undefined;
        clearTimeout(poller.timer);
      });
    });
  }

  private wakePoller(): void {
    const poller = this.poller;
    if (poller === undefined || this.pending.length === 0) return;
    this.poller = undefined;
    if (poller.timer !== undefined) clearTimeout(poller.timer);
    poller.resolve(this.pending.slice(0, poller.limit));
  }

  // ---- webhooks ----------------------------------------------------------------------------------------

  setWebhook(params: Params): true {
    const url = typeof params.url === 'string' ? params.url : '';
    if (url === '') return this.deleteWebhook(params);
    if (!/^https?:\/\//.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    const secret = params.secret_token;
    if (secret !== undefined && (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) {
      throw badRequest('secret token contains unallowed characters');
    }
    if (params.drop_pending_updates === true) this.pending = [];
    this.setAllowed(params.allowed_updates);
    const webhook: Webhook = {
      url,
      maxConnections: typeof params.max_connections === 'number' ? params.max_connections : 40,
    };
    if (typeof secret === 'string') webhook.secretToken = secret;
    this.webhook = webhook;
    // A poller still waiting is cut off, as Telegram does when a webhook appears.
    if (this.poller !== undefined) {
      const old = this.poller;
      this.poller = undefined;
      if (old.timer !== undefined) clearTimeout(old.timer);
      old.resolve([]);
    }
    this.pump();
    return true;
  }

  deleteWebhook(params: Params): true {
    this.webhook = undefined;
    if (params.drop_pending_updates === true) this.pending = [];
    return true;
  }

  webhookInfo(): Record<string, unknown> {
    const info: Record<string, unknown> = {
      url: this.webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.pending.length,
    };
    if (this.webhook !== undefined) {
      info.max_connections = this.webhook.maxConnections;
      info.ip_address = '127.0.0.1';
      if (this.allowed !== undefined && this.allowed.length > 0) info.allowed_updates = this.allowed;
      if (this.webhook.lastErrorDate !== undefined) {
        info.last_error_date = this.webhook.lastErrorDate;
        info.last_error_message = this.webhook.lastErrorMessage;
      }
    }
    return info;
  }

  /**
   * Delivers queued updates the way Telegram's Bot API server does (tdlib/telegram-bot-api,
   * WebhookActor): up to max_connections POSTs at once over kept-alive connections, at most one
   * update of a chat (its queue) in flight, the next one of that chat only after the endpoint
   * answered 2xx; a failed update is retried after a delay while other chats go on. Like the server,
   * it looks at no more than 2 x max_connections updates at a time. A test with one chat sees its
   * updates strictly one after the other, in order. Without `likeTelegram` (the default): one update
   * at a time in update_id order, each on a new connection, a failing one holding up all others.
   */
  private pump(): void {
    const webhook = this.webhook;
    if (this.closed || webhook === undefined) return;
    if (this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    const now = Date.now();
    let nextWakeup = Infinity;
    const { likeTelegram } = this.options;
    const connections = likeTelegram ? webhook.maxConnections : 1;
    const window = this.pending.slice(0, likeTelegram ? connections * 2 : 1);
    const seen = new Set<string>();
    for (const update of window) {
      const queue = queueOf(update);
      // A chat's first update in the window holds its queue: later ones wait behind it.
      if (seen.has(queue)) continue;
      seen.add(queue);
      if (this.busyQueues.has(queue)) continue;
      const wakeup = this.wakeups.get(update.update_id) ?? 0;
      if (wakeup > now) {
        nextWakeup = Math.min(nextWakeup, wakeup);
        continue;
      }
      // Every connection busy: the next delivery to finish pumps again. The loop goes on, so that a
      // retry waiting for its time still gets its timer.
      if (this.delivering >= connections) continue;
      void this.deliver(webhook, update, queue);
    }
    if (nextWakeup !== Infinity) {
      this.retryTimer = setTimeout(() => this.pump(), nextWakeup - now);
    }
  }

  private async deliver(webhook: Webhook, update: Update, queue: string): Promise<void> {
    const attempt = (this.attempts.get(update.update_id) ?? 0) + 1;
    this.attempts.set(update.update_id, attempt);
    this.busyQueues.add(queue);
    this.delivering += 1;
    const started = Date.now();
    const result = await postUpdate(
      webhook,
      update,
      this.options.timeoutMs,
      this.options.likeTelegram ? this.agentFor(webhook) : false,
      (req) => {
        this.posting.add(req);
        req.once('close', () => this.posting.delete(req));
      },
    );
    const delivery: WebhookDelivery = {
      updateId: update.update_id,
      attempt,
      url: webhook.url,
      at: started,
      durationMs: Date.now() - started,
    };
    if (webhook.secretToken !== undefined) delivery.secretToken = webhook.secretToken;
    if (result.status !== undefined) delivery.status = result.status;
    if (result.error !== undefined) delivery.error = result.error;
    this.deliveries.push(delivery);
    try {
      if (result.error === undefined) {
        this.forget(update);
        if (result.reply !== undefined) await this.runWebhookReply(result.reply);
      } else {
        webhook.lastErrorDate = Math.floor(Date.now() / 1000);
        webhook.lastErrorMessage = result.error;
        if (attempt >= this.options.maxAttempts) {
          if (this.forget(update)) this.dropped.push(update);
        } else {
          this.wakeups.set(update.update_id, Date.now() + this.options.retryDelayMs(attempt));
        }
      }
    } finally {
      // Released only now: the method a webhook reply carried has run before the chat's next update.
      this.busyQueues.delete(queue);
      this.delivering -= 1;
      this.pump();
    }
  }

  /** Takes a delivered (or given up) update off the queue; false if it was gone already. */
  private forget(update: Update): boolean {
    this.attempts.delete(update.update_id);
    this.wakeups.delete(update.update_id);
    const index = this.pending.indexOf(update);
    if (index === -1) return false;
    this.pending.splice(index, 1);
    return true;
  }

  /** One keep-alive pool per webhook URL, as Telegram keeps its connections to the endpoint open. */
  private agentFor(webhook: Webhook): Agent {
    if (this.agent === undefined || this.agentUrl !== webhook.url) {
      this.agent?.destroy();
      this.agent = new Agent({ keepAlive: true, maxSockets: webhook.maxConnections });
      this.agentUrl = webhook.url;
    }
    return this.agent;
  }

  private async runWebhookReply(body: string): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const { method, ...params } = parsed as Params;
    if (typeof method === 'string') await this.onWebhookReply(method, params);
  }

  reset(): void {
    this.pending = [];
    this.attempts.clear();
    this.wakeups.clear();
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.allowed = undefined;
    this.webhook = undefined;
    this.deliveries.length = 0;
    this.dropped.length = 0;
  }

  close(): void {
    this.closed = true;
    this.webhook = undefined;
    for (const req of this.posting) req.destroy();
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.agent?.destroy();
    if (this.poller?.timer !== undefined) clearTimeout(this.poller.timer);
    this.poller = undefined;
  }
}

interface PostResult {
  status?: number;
  error?: string;
  reply?: string;
}

/** One webhook POST, on the webhook's keep-alive pool (destroyed with the fake), or on a new connection. */
function postUpdate(
  webhook: Webhook,
  update: Update,
  timeoutMs: number,
  agent: Agent | false,
  track: (req: ClientRequest) => void,
): Promise<PostResult> {
  const body = JSON.stringify(update);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
  };
  if (webhook.secretToken !== undefined) headers['x-telegram-bot-api-secret-token'] = webhook.secretToken;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (result: PostResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = request(webhook.url, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => finish({ error: error.message }));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          const text = Buffer.concat(chunks).toString('utf8');
          finish(text.trim() === '' ? { status } : { status, reply: text });
        } else {
          finish({
            status,
            error: `Wrong response from the webhook: ${status} ${res.statusMessage ?? ''}`.trim(),
          });
        }
      });
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      finish({ error: 'Read timeout expired' });
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({ error: error.code === 'ECONNREFUSED' ? 'Connection refused' : error.message }),
    );
    track(req);
    req.end(body);
  });
}
