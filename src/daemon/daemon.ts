/**
 * `botctl start`: wires the bot, the HTTP server and update intake, and owns the shutdown
 * order: stop intake -> let in-flight answers finish (bounded) -> close HTTP -> close the
 * cache and database -> flush logs. Refuses pending migrations unless told to migrate.
 */
import { randomUUID } from 'node:crypto';
import type { Bot } from 'grammy';
import type { RunnerHandle } from '@grammyjs/runner';
import { BotctlError } from '../domain/errors.js';
import { createBot, type CreateBotOptions } from '../bot/create-bot.js';
import { setCommandMenus } from '../bot/commands-menu.js';
import { adminUseCases, createHttpServer } from '../http/server.js';
import { adminBaseUrl, type Config } from '../config/config.js';
import { parseTrustProxy } from '../config/trust-proxy.js';
import { createApp, type Logger } from '../app/index.js';
import type { MigrationsService } from '../services/migrations/index.js';
import { createIntake } from './intake.js';
import { startPolling, ALLOWED_UPDATES } from './polling.js';
import { translateTelegramError } from '../adapters/telegram/errors.js';
import { createTelegramNetwork } from '../adapters/telegram/network.js';
import { createPacer } from '../adapters/telegram/pacer.js';
import { shareBotPace } from './pace-share.js';
import { createStopRelay } from './stop-relay.js';
import { MAX_HELD_FLOOD_WAIT_SECONDS } from '../domain/flood-wait.js';

/** How long cancelled handlers get to unwind (abort their model call, drop their draft) at shutdown. */
const CANCEL_GRACE_MS = 3000;

export interface DaemonOptions {
  config: Readonly<Config>;
  mode?: 'polling' | 'webhook';
  autoMigrate?: boolean;
  /** The passphrase for the backup --auto-migrate takes first (BOTCTL_BACKUP_PASSPHRASE[_FILE]); read only then. */
  backupPassphrase?: () => string | undefined;
  logger?: Logger;
  /** Pace messages below Telegram's flood limits (config telegramThrottle); default on. */
  pace?: boolean;
  timing?: CreateBotOptions['timing'];
  maxInFlight?: number;
  shutdownTimeoutMs?: number;
  /** Polling: no getUpdates round for this long makes /readyz 503. Default: the poll timeout + 60 s. */
  pollStallMs?: number;
  /** How long `start` tries to reach Telegram (getMe) before it gives up with one line. Default 20 s. */
  telegramStartTimeoutMs?: number;
  pollTimeoutSeconds?: number;
  /**
   * How often paid premium past its end goes back to the user role (users who write meanwhile
   * are settled at once, on identify). Default 10 minutes.
   */
  premiumSweepMs?: number;
  /**
   * Epoch ms for the flood gate and the intake's flood waits; default Date.now. Tests move it on
   * through a long flood wait instead of sitting it out.
   */
  clock?: () => number;
}

export interface Daemon {
  /** The HTTP port actually bound (useful with port 0). */
  readonly port: number;
  readonly bot: Bot;
  stop(reason?: string): Promise<void>;
  /** Settles when the daemon stopped itself on an error it cannot go on with (e.g. TELEGRAM_CONFLICT). */
  readonly failed: Promise<BotctlError>;
}

export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const { config } = options;
  const mode = options.mode ?? config.mode;
  requireSecrets(config, mode);
  // --auto-migrate may start from nothing; without it a missing database is DATABASE_MISSING.
  const app = await createApp(config, {
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    createDatabase: options.autoMigrate === true,
  });
  const log = app.logger;
  const owner = randomUUID();
  const opening = async () => {
    // Opens the database; then held for the daemon's life: `backup restore` refuses while it is.
    const migrations = await app.services.migrations();
    const hold = await app.services.guard.holdShared();
    // Which instances may run together (one on SQLite, several only with Redis, one poller);
    // while held, the others know this instance's inbox leases are alive.
    const instance = await app.services.guard
      .holdInstance({ owner, polling: mode === 'polling', sharedLimits: Boolean(config.redisUrl) })
      .catch(async (error: unknown) => {
        await hold.release();
        throw error;
      });
    return { migrations, hold, instance };
  };
  const { migrations, hold, instance } = await opening().catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  let sharing: { stop(): void } | undefined;
  try {
    await ensureMigrated(migrations, options, log);
    const services = await app.services.daemon();
    let lastTelegramContact = 0;
    // A long poll ends every pollTimeout seconds even when idle; a minute more means it is stuck
    // (handlers that never finish hold the runner's backpressure shut).
    let lastPolledAt: number | null = null;
    const pollStallMs = options.pollStallMs ?? ((options.pollTimeoutSeconds ?? 30) + 60) * 1000;
    const network = createTelegramNetwork({ log });
    const floodGate = services.floodGate;
    const pacer = options.pace === false ? undefined : createPacer();
    // Instances sharing one token share Telegram's 30 a second: each paces to its share.
    if (pacer && instance.instances) sharing = shareBotPace(pacer, instance.instances.bind(instance), log);
    const { bot, inFlight, i18n, handle } = createBot({
      token: config.telegramToken!,
      apiRoot: config.telegramApiRoot,
      services: { ...services, adminSessions: await app.services.adminSessions() },
      log,
      metrics: services.metrics,
      ...(pacer ? { pacer: pacer.transformer } : {}),
      timing: options.timing,
      onTelegramContact: () => (lastTelegramContact = Date.now()),
      // A longer wait is not sat out by a handler: its update waits in the intake's line (intake.ts).
      floodGate: floodGate.bounded(MAX_HELD_FLOOD_WAIT_SECONDS * 1000),
      network: network.transformer,
    });
    // Several instances: a /stop reaches the answer wherever it runs (one instance: here only).
    if (services.cacheKind === 'redis')
      inFlight.reachOthers(
        createStopRelay({ bus: services.instanceBus, owner, cancelHere: inFlight.cancel, log }).stopElsewhere,
      );
    await bot
      .init(
        // grammY types its signal with an old shim; at run time it takes Node's AbortSignal.
        AbortSignal.timeout(options.telegramStartTimeoutMs ?? 20_000) as unknown as Parameters<
          typeof bot.init
        >[0],
      )
      .catch((error: unknown) =>
        Promise.reject(
          network.downSince() === null
            ? translateTelegramError(error)
            : new BotctlError('TELEGRAM_ERROR', `Telegram is not reachable at ${config.telegramApiRoot}`, {
                cause: error,
                hint: "check this server's network and DNS, and telegramApiRoot (BOTCTL_TELEGRAM_API_ROOT) if you set it",
              }),
        ),
      );
    // The "/" menu in each interface language; a failure costs the menu, not the daemon.
    // /premium only while premium is sold; no /sources when answers never search (it could only say "none").
    await setCommandMenus(bot.api, (locale, key) => i18n.t(locale, key), {
      premium: services.premium.offer !== null,
      search: config.searchGrounding !== 'off',
    }).catch((error: unknown) => log.warn({ err: error }, 'command menus not set'));
    const maxInFlight = options.maxInFlight ?? 200;
    const intake = createIntake({
      inbox: services.inbox,
      owner,
      // SQLite serves one instance (holdInstance), whose bot keeps each chat's order by itself.
      crossInstanceOrder: migrations.dialect === 'postgres',
      handle,
      log,
      metrics: services.metrics,
      maxInFlight,
      floodWaitMs: () => floodGate.waitMs(),
      onReceived: () => (lastTelegramContact = Date.now()),
      ...(options.clock ? { now: () => new Date(options.clock!()) } : {}),
    });
    let draining = false;
    const readiness = async () => {
      const report = await services.readiness({
        lastTelegramContact,
        maxContactAgeSeconds: mode === 'polling' ? 120 : null,
        telegramDownSince: network.downSince(),
        writesFailingSince: intake.writesFailingSince(),
        ...(mode === 'polling' ? { lastPolledAt, pollStallSeconds: pollStallMs / 1000 } : {}),
      });
      // Stopping: out of the load balancer at once, while the answers in flight finish.
      return draining
        ? { ready: false, checks: { ...report.checks, shutdown: { ok: false, detail: 'stopping' } } }
        : report;
    };
    const http = await createHttpServer({
      host: config.httpHost,
      port: config.httpPort,
      logger: log,
      trustProxy: parseTrustProxy(config.trustProxy) ?? false,
      readiness,
      metrics: async () => ({
        contentType: services.metrics.registry.contentType,
        body: await services.metrics.registry.metrics(),
      }),
      webhook:
        mode === 'webhook'
          ? {
              path: new URL(config.webhookUrl!).pathname,
              secret: config.webhookSecret!,
              intake,
            }
          : undefined,
      adminApi: config.adminApi
        ? {
            ...adminUseCases(app.services),
            httpsOnly: adminBaseUrl(config).startsWith('https:'),
            readiness,
            broadcastRate: config.broadcastRate,
            rateCounter: services.rateCounter,
            ...(options.backupPassphrase ? { backupPassphrase: options.backupPassphrase } : {}),
          }
        : undefined,
    });
    await http.listen({ host: config.httpHost, port: config.httpPort }).catch((error: unknown) => {
      throw portError(error, config.httpHost, config.httpPort);
    });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.httpPort;

    await intake.replayPending();
    // Event webhooks: what earlier runs (or commands) left in the outbox, then what comes.
    services.eventWorker.start();
    // The inbox service keeps answered updates a while (to spot Telegram re-sending them); prune hourly.
    const pruneInbox = () =>
      services.inbox
        .pruneAnswered()
        .then((count) => count > 0 && log.info({ count }, 'pruned answered updates'))
        .catch((error: unknown) => log.warn({ err: error }, 'pruning the update inbox failed'));
    void pruneInbox();
    const pruneTimer = setInterval(() => void pruneInbox(), 60 * 60_000);
    pruneTimer.unref();
    // Premium that ran out goes back to the user role even for users who do not write (their /usage,
    // `users list --role premium`, a broadcast's audience).
    const expirePremium = () =>
      services.premium
        .expire()
        .then((count) => count > 0 && log.info({ count }, 'premium ended'))
        .catch((error: unknown) => log.warn({ err: error }, 'the premium sweep failed'));
    void expirePremium();
    const premiumTimer = setInterval(() => void expirePremium(), options.premiumSweepMs ?? 10 * 60_000);
    premiumTimer.unref();
    let runner: RunnerHandle | undefined;
    let fail!: (error: BotctlError) => void;
    const failed = new Promise<BotctlError>((resolve) => (fail = resolve));
    if (mode === 'webhook') {
      await bot.api.setWebhook(config.webhookUrl!, {
        secret_token: config.webhookSecret!,
        allowed_updates: [...ALLOWED_UPDATES],
      });
    } else {
      // getUpdates answers 409 while a webhook is set; polling replaces it.
      await bot.api.deleteWebhook();
      runner = startPolling({
        bot,
        intake,
        log,
        concurrency: maxInFlight,
        pollTimeoutSeconds: options.pollTimeoutSeconds,
        onPolled: () => (lastPolledAt = Date.now()),
        onConflict: (error) => {
          log.error({ code: error.code, hint: error.hint }, error.message);
          void stop(error.code).then(() => fail(error));
        },
      });
    }
    log.info(
      { mode, port, bot: bot.botInfo.username, dialect: migrations.dialect, cache: services.cacheKind },
      'botctl started',
    );

    let stopping: Promise<void> | undefined;
    const stop = (reason = 'stop') =>
      (stopping ??= (async () => {
        log.info({ reason, inFlight: intake.inFlight(), waiting: intake.waiting() }, 'shutting down');
        clearInterval(pruneTimer);
        sharing?.stop();
        clearInterval(premiumTimer);
        draining = true;
        // Updates in line (behind a flood wait) stay pending for the next start; polling stops waiting for room.
        intake.close();
        if (runner?.isRunning()) await runner.stop().catch(() => undefined);
        const left = await intake.drain(options.shutdownTimeoutMs ?? 25_000);
        if (left > 0) {
          // Cancel what still runs before the database closes under it; it is replayed on next start.
          intake.abandon();
          const chats = inFlight.cancelAll(new Error('shutting down'));
          log.warn({ left, chats }, 'shutdown timeout: unfinished answers cancelled, replayed on next start');
          const still = await intake.drain(CANCEL_GRACE_MS);
          if (still > 0) log.warn({ left: still }, 'handlers still running as the database closes');
        }
        await http.close();
        await services.eventWorker.stop();
        log.info({}, 'botctl stopped');
        await app.close();
        await instance.release();
        await hold.release();
      })());
    return { port, bot: bot as unknown as Bot, stop, failed };
  } catch (error) {
    sharing?.stop();
    await app.close();
    await instance.release();
    await hold.release();
    throw error;
  }
}

/** A taken port is the operator's to fix: say which one and where it is set. */
function portError(error: unknown, host: string, port: number): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') return error;
  return new BotctlError('PORT_IN_USE', `Port ${port} on ${host} is already in use`, {
    cause: error,
    params: { port },
    hint:
      'stop what listens there (another `botctl start`?), or choose another port: ' +
      '`botctl config set httpPort <port>` or BOTCTL_HTTP_PORT',
  });
}

function requireSecrets(config: Readonly<Config>, mode: string): void {
  const missing = [
    !config.telegramToken && 'telegramToken (BOTCTL_TELEGRAM_TOKEN)',
    !config.geminiApiKey && 'geminiApiKey (BOTCTL_GEMINI_API_KEY)',
    mode === 'webhook' && !config.webhookUrl && 'webhookUrl (BOTCTL_WEBHOOK_URL)',
    mode === 'webhook' && !config.webhookSecret && 'webhookSecret (BOTCTL_WEBHOOK_SECRET)',
  ].filter(Boolean);
  if (missing.length) {
    throw new BotctlError('CONFIG_MISSING', `Missing configuration: ${missing.join(', ')}`, {
      hint: 'run `botctl setup`, or set the environment variables named',
    });
  }
}

/** Pending migrations stop the start unless told to migrate, which backs up first like `migrate up`. */
async function ensureMigrated(migrations: MigrationsService, options: DaemonOptions, log: Logger) {
  const result = await migrations.beforeStart({
    autoMigrate: options.autoMigrate === true,
    passphrase: options.backupPassphrase,
    withoutBackup: 'run `botctl migrate up --no-backup`, then start',
    onBackup: (backup) => log.info({ backup: backup.id, path: backup.path }, 'backed up before migrating'),
  });
  if (result) log.info({ applied: result.applied }, 'migrations applied');
}
