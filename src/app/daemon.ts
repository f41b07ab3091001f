/**
 * `botctl start`: wires the bot, the HTTP server and update intake, and owns the shutdown
 * order: stop intake -> let in-flight answers finish (bounded) -> close HTTP -> close the
 * cache and database -> flush logs. Refuses pending migrations unless told to migrate.
 */
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { RunnerHandle } from '@grammyjs/runner';
import { BotctlError } from '../domain/errors.js';
import type { Migrator } from '../domain/ports.js';
import { createBot } from '../bot/create-bot.js';
import { setCommandMenus } from '../bot/commands-menu.js';
import { createHttpServer } from '../http/server.js';
import type { Config } from './config.js';
import { createApp } from './container.js';
import { createIntake } from './intake.js';
import { startPolling, ALLOWED_UPDATES } from './polling.js';
import { createServices } from './services.js';
import { translateTelegramError } from '../adapters/telegram/errors.js';
import type { Logger } from './logger.js';

const INBOX_RETENTION_MS = 7 * 24 * 60 * 60_000;

export interface DaemonOptions {
  config: Readonly<Config>;
  mode?: 'polling' | 'webhook';
  autoMigrate?: boolean;
  logger?: Logger;
  /** Off in tests: the throttler adds ~1 s to repeated calls to one chat. */
  throttle?: boolean;
  timing?: { draftIntervalMs?: number; editIntervalMs?: number; typingIntervalMs?: number };
  maxInFlight?: number;
  shutdownTimeoutMs?: number;
  pollTimeoutSeconds?: number;
}

export interface Daemon {
  /** The HTTP port actually bound (useful with port 0). */
  readonly port: number;
  readonly bot: Bot;
  stop(reason?: string): Promise<void>;
}

export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const { config } = options;
  const mode = options.mode ?? config.mode;
  requireSecrets(config, mode);
  const app = await createApp(config, options.logger ? { logger: options.logger } : {});
  const log = app.logger;
  try {
    await ensureMigrated(app.migrator, options.autoMigrate === true, log);
    const services = await createServices(app);
    let lastTelegramContact = 0;
    const { bot, inFlight, i18n, handleReplay } = createBot({
      token: config.telegramToken!,
      apiRoot: config.telegramApiRoot,
      services,
      log,
      metrics: services.metrics,
      throttle: options.throttle ?? true,
      timing: options.timing,
      onTelegramContact: () => (lastTelegramContact = Date.now()),
      floodGate: app.floodGate(),
    });
    await bot.init().catch((error: unknown) => Promise.reject(translateTelegramError(error)));
    // The "/" menu in each interface language; a failure costs the menu, not the daemon.
    await setCommandMenus(bot.api, (locale, key) => i18n.t(locale, key)).catch((error: unknown) =>
      log.warn({ err: error }, 'command menus not set'),
    );
    const maxInFlight = options.maxInFlight ?? 200;
    const intake = createIntake({
      inbox: app.repos.updates,
      handle: (update: Update, how) => (how.replay ? handleReplay(update) : bot.handleUpdate(update)),
      log,
      maxInFlight,
    });
    const http = await createHttpServer({
      host: config.httpHost,
      port: config.httpPort,
      logger: log,
      readiness: () => services.readiness(lastTelegramContact, mode === 'polling' ? 120 : null),
      metrics: async () => ({
        contentType: services.metrics.registry.contentType,
        body: await services.metrics.registry.metrics(),
      }),
      webhook:
        mode === 'webhook'
          ? {
              path: new URL(config.webhookUrl!).pathname,
              secret: config.webhookSecret!,
              accept: (u) => ((lastTelegramContact = Date.now()), intake.accept(u as Update)),
            }
          : undefined,
    });
    await http.listen({ host: config.httpHost, port: config.httpPort });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.httpPort;

    await intake.replayPending();
    // Done updates are only needed to spot Telegram re-sending them; keep a week, prune hourly.
    const pruneInbox = () =>
      app.repos.updates
        .pruneDone(new Date(Date.now() - INBOX_RETENTION_MS))
        .then((count) => count > 0 && log.info({ count }, 'pruned answered updates'))
        .catch((error: unknown) => log.warn({ err: error }, 'pruning the update inbox failed'));
    void pruneInbox();
    const pruneTimer = setInterval(() => void pruneInbox(), 60 * 60_000);
    pruneTimer.unref();
    let runner: RunnerHandle | undefined;
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
      });
    }
    log.info(
      { mode, port, bot: bot.botInfo.username, dialect: app.dialect, cache: services.cacheKind },
      'botctl started',
    );

    let stopping: Promise<void> | undefined;
    const stop = (reason = 'stop') =>
      (stopping ??= (async () => {
        log.info({ reason, inFlight: intake.inFlight() }, 'shutting down');
        clearInterval(pruneTimer);
        if (runner?.isRunning()) await runner.stop().catch(() => undefined);
        const left = await intake.drain(options.shutdownTimeoutMs ?? 25_000);
        if (left > 0)
          log.warn(
            { left, chats: inFlight.size() },
            'shutdown timeout: unfinished answers will be replayed on next start',
          );
        await http.close();
        log.info({}, 'botctl stopped');
        await app.close();
      })());
    return { port, bot: bot as unknown as Bot, stop };
  } catch (error) {
    await app.close();
    throw error;
  }
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

async function ensureMigrated(migrator: Migrator, auto: boolean, log: Logger) {
  const status = await migrator.status();
  if (status.current > status.latest) {
    throw new BotctlError(
      'SCHEMA_NEWER',
      `The database is at migration ${status.current}, newer than this botctl knows (${status.latest})`,
      {
        hint: 'upgrade botctl, or restore a backup taken before the upgrade',
      },
    );
  }
  if (status.pending === 0) return;
  if (!auto) {
    throw new BotctlError('MIGRATIONS_PENDING', `${status.pending} database migration(s) pending`, {
      hint: 'run `botctl migrate up` (it backs up first), or start with --auto-migrate',
    });
  }
  const applied = await migrator.up();
  log.info({ applied }, 'migrations applied');
}
