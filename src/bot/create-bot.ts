/**
 * Builds the grammY bot: API transformers (429 accounting, shared flood gate, auto-retry,
 * the pacer of Telegram's flood limits; the last installed runs first), then middleware in order: error
 * boundary, metrics, per-chat ordering, i18n, identify, features, and `unhandled` last.
 * Nothing here talks to storage or the model directly: features call services.
 */
import type { AnswerDeps } from './features/answer.js';
import { fileURLToPath } from 'node:url';
import { Bot, BotError, GrammyError, type Transformer } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { autoRetry } from '@grammyjs/auto-retry';
import { I18n } from '@grammyjs/i18n';
import { sequentialize } from '@grammyjs/runner';
import { isStopCommand } from '../domain/chat-key.js';
import { toBotctlError } from '../domain/errors.js';
import { FloodDeferred, MAX_HELD_FLOOD_WAIT_SECONDS } from '../domain/flood-wait.js';
import { interfaceLanguageFor } from '../domain/settings-rules.js';
import type { Log, Metrics } from '../domain/telemetry.js';
import type { AccessService } from '../services/access/index.js';
import type { AdminSessionsService } from '../services/admin-api/index.js';
import type { ChatService, DeliveryService } from '../services/chat/index.js';
import type { ErrorCounter } from '../services/stats/index.js';
import type { PremiumService } from '../services/premium/index.js';
import { createInFlight, type InFlight } from './cancellation.js';
import { chatKeyOf, type BotContext } from './context.js';
import { accountFeatures, type AccountServices } from './features/account.js';
import { adminLinkFeature } from './features/admin-link.js';
import { unhandledCallbacks } from './features/callbacks.js';
import { chatFeature } from './features/chat.js';
import { editsFeature } from './features/edits.js';
import { sourcesFeature } from './features/sources.js';
import { premiumFeature } from './features/premium.js';
import { commandsFeature } from './features/commands.js';
import { inlineFeature } from './features/inline.js';
import { createInlineTracker } from './middleware/inline-tracker.js';
import { mediaFeatures, type MediaServices } from './features/media.js';
import { createCallbackSigner } from './callback-data.js';
import { createAnswerExtras } from './reply/answer-extras.js';
import { admitted, identify } from './middleware/access.js';
import { blockedOnForbidden, membershipFeature } from './middleware/blocked-users.js';
import { errorBoundary } from './middleware/error-boundary.js';
import { useEagerBranch } from './eager-branch.js';
import { useLeanUse } from './lean-use.js';

interface BotServices extends AccountServices, MediaServices {
  access: AccessService;
  chat: ChatService;
  delivery: DeliveryService;
  /** Counts the failures answered with an apology per day, beside the handler errors. */
  errors: ErrorCounter;
  /** /premium, pre-checkout queries and Stars payments. */
  premium: PremiumService;
  /** /admin's sign-in links; without it /admin is an unknown command. */
  adminSessions?: Pick<AdminSessionsService, 'linkForChat'>;
}

export interface CreateBotOptions {
  token: string;
  apiRoot: string;
  services: BotServices;
  log: Log;
  metrics: Metrics;
  /**
   * Paces messages below Telegram's flood limits (adapters/telegram/pacer.ts); none by default.
   * Installed outside auto-retry (a re-sent 429 is not paced again), inside the flood gate's `outer`.
   */
  pacer?: Transformer;
  /** Retries network failures with a short capped backoff and logs the outage (auto-retry leaves them alone). */
  network?: Transformer;
  timing?: Partial<AnswerDeps['timing']>;
  botInfo?: UserFromGetMe;
  /** Inline queries are answered once unchanged this long (ms); default 600. */
  inlineDebounceMs?: number;
  /** Called after every successful Bot API call (readiness: "last Telegram contact"). */
  onTelegramContact?: () => void;
  /**
   * Holds sends during a flood wait shared with other processes using the token, and records 429s;
   * none by default. grammY runs the last installed transformer first: `inner` is installed inside
   * auto-retry, so it sees every raw 429 before auto-retry re-sends; `outer` last, so sends held
   * through a wait pass the pacer after it, paced, instead of all at once when it ends. The daemon
   * passes the gate's `bounded` pair: a wait longer than a handler sits out is refused at once.
   */
  floodGate?: { inner: Transformer; outer: Transformer };
}

const LOCALES_DIR = fileURLToPath(new URL('../locales', import.meta.url));

export function createBot(options: CreateBotOptions): {
  bot: Bot<BotContext>;
  inFlight: InFlight;
  i18n: I18n<BotContext>;
  /**
   * Handles an update; `replay`: run before (after a crash, or deferred by a flood wait): not
   * charged again, finishes a preview. Resolves true when the update is already marked done (its
   * answer's delivery did it). Rejects with FloodDeferred when a long flood wait refused its reply
   * (run it again after the wait), with grammY's BotError for anything else.
   */
  handle: (update: Update, how: { replay: boolean }) => Promise<boolean>;
} {
  useEagerBranch();
  useLeanUse();
  const bot = new Bot<BotContext>(options.token, {
    client: { apiRoot: options.apiRoot },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  });
  bot.api.config.use(accounting(options.metrics, options.onTelegramContact));
  bot.api.config.use(blockedOnForbidden(options.services.access, options.log));
  if (options.floodGate) bot.api.config.use(options.floodGate.inner);
  if (options.network) bot.api.config.use(options.network);
  // Network failures are the `network` transformer's: auto-retry would wait up to an hour between tries.
  // A longer flood wait is not waited out here: the update is deferred (domain/flood-wait.ts).
  bot.api.config.use(
    autoRetry({
      maxRetryAttempts: 5,
      maxDelaySeconds: MAX_HELD_FLOOD_WAIT_SECONDS,
      rethrowHttpErrors: true,
    }),
  );
  if (options.pacer) bot.api.config.use(options.pacer);
  if (options.floodGate) bot.api.config.use(options.floodGate.outer);

  const i18n = new I18n<BotContext>({
    defaultLocale: 'en',
    directory: LOCALES_DIR,
    useSession: false,
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => interfaceLanguageFor(ctx.state?.user?.language ?? ctx.from?.language_code),
  });
  const inFlight = createInFlight();
  const { access, chat, delivery } = options.services;
  const timing = {
    draftIntervalMs: 600,
    editIntervalMs: 1100,
    // Below what a reader notices (see reply/stream-reply.ts); a real model takes longer.
    typingDelayMs: 250,
    typingIntervalMs: 4500,
    ...options.timing,
  };
  const signer = createCallbackSigner(options.token);
  // A request that failed but was answered (an apology, or the text without its spoken copy): it
  // never reaches the error boundary, so it is logged and counted per day here.
  const failed = (error: unknown) => {
    const { code } = toBotctlError(error);
    options.log.warn({ err: error, code }, 'request failed; the user was told');
    options.services.errors.record(code);
  };
  const premiumOffered = options.services.premium.offer !== null;
  const answerDeps = {
    chat,
    delivery,
    inFlight,
    timing,
    admitted: admitted(access, { premiumOffered }),
    // Asked before or counted on a quota of its own: an edit, /retry, /image (middleware/access.ts).
    admittedAgain: admitted(access, { question: false, premiumOffered }),
    // A typing action or draft refused by a flood wait is no problem: the wait is logged once.
    onError: (error: unknown) => {
      if (!isFloodRefusal(error)) options.log.warn({ err: error }, 'answer delivery problem');
    },
    failed,
    extras: createAnswerExtras({ ...options.services, signer, failed }),
  };
  const inline = createInlineTracker();

  // grammY hands the update object itself to the context, so a replay is known by identity.
  const replays = new WeakSet<Update>();
  const settled = new WeakSet<Update>();
  bot.use(async (ctx, next) => {
    ctx.state = replays.has(ctx.update) ? { replayed: true } : {};
    await next();
    if (ctx.state.settled) settled.add(ctx.update);
  });
  bot.use(errorBoundary({ log: options.log, metrics: options.metrics }));
  bot.use(measure(options.metrics));
  bot.use(inline.track);
  // Ordered within a chat/topic, concurrent across chats; /stop must overtake the answer it stops.
  bot.use(sequentialize((ctx: BotContext) => (isStop(ctx) ? undefined : chatKeyOf(ctx))));
  bot.use(i18n);
  bot.use(identify(access));
  bot.use(membershipFeature(access));
  bot.use(accountFeatures(options.services));
  bot.use(premiumFeature(options.services));
  if (options.services.adminSessions) {
    bot.use(adminLinkFeature({ adminSessions: options.services.adminSessions }));
  }
  bot.use(mediaFeatures({ ...answerDeps, services: options.services, signer }));
  bot.use(
    inlineFeature({
      inline: options.services.inline,
      tracker: inline,
      debounceMs: options.inlineDebounceMs ?? 600,
    }),
  );
  bot.use(commandsFeature(answerDeps));
  bot.use(sourcesFeature(answerDeps));
  bot.use(chatFeature(answerDeps));
  bot.use(editsFeature(answerDeps));
  bot.use(unhandledCallbacks());
  const handle = async (update: Update, how: { replay: boolean }) => {
    if (how.replay) replays.add(update);
    try {
      await bot.handleUpdate(update);
      return settled.has(update);
    } catch (error) {
      throw error instanceof BotError && error.error instanceof FloodDeferred ? error.error : error;
    }
  };
  return { bot, inFlight, i18n, handle };
}

function isFloodRefusal(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 429;
}

function isStop(ctx: BotContext): boolean {
  return isStopCommand(ctx.msg?.text);
}

function measure(metrics: Metrics) {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    const type = Object.keys(ctx.update).find((key) => key !== 'update_id') ?? 'unknown';
    metrics.updateReceived(type);
    const started = performance.now();
    try {
      await next();
    } finally {
      metrics.updateHandled(type, (performance.now() - started) / 1000);
    }
  };
}

/** Innermost transformer: sees every raw attempt, so each 429 is counted even when retried. */
function accounting(metrics: Metrics, onContact?: () => void): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (!result.ok && result.error_code === 429) metrics.telegramRateLimited();
    if (result.ok) onContact?.();
    return result;
  };
}
