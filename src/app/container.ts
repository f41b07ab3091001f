/**
 * The composition root: the one module that opens adapters and builds every use case. Edges get
 * `{ config, logger, services, close }` (through app/index.ts) and never a repository or the
 * migrator. Nothing opens before a service needs it: the database with the first service over it
 * (so `backup restore` works over a damaged file and `backup list` needs none), the cache,
 * Telegram and the daemon's model stack on first use; heavy SDKs load with them. Each service is
 * built once per app; close() releases what was opened, in reverse order.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createDatabaseGuard } from '../adapters/db/guard.js';
import { openDatabase, type Database } from '../adapters/db/open.js';
import { apiKeySecrets } from '../adapters/system/api-key-secrets.js';
import { createFieldCipher } from '../adapters/system/cipher.js';
import { acquireLock, type ProcessLock } from '../adapters/system/lock.js';
import { botIdOf, createFloodGate, type FloodGate } from '../adapters/telegram/flood-gate.js';
import { parseEncryptionKeys } from '../domain/encryption-keys.js';
import { BotctlError } from '../domain/errors.js';
import type { Cache, DatabaseGuard, FieldCipher, Messenger } from '../domain/ports/index.js';
import { adminBaseUrl, secretValues, type Config } from '../config/config.js';
import {
  createAdminSessionsService,
  createApiKeysService,
  createAuditService,
  createConversationsService,
  type AdminSessionsService,
  type ApiKeysService,
  type AuditService,
  type ConversationsService,
} from '../services/admin-api/index.js';
import type { AlertService } from '../services/alerts/index.js';
import type { BackupService } from '../services/backup/index.js';
import { createBroadcastService, type BroadcastService } from '../services/broadcast/index.js';
import { createDbMoveService, type DbMoveService } from '../services/dbmove/index.js';
import { createMigrationsService, type MigrationsService } from '../services/migrations/index.js';
import { createPrivacyService, type PrivacyService } from '../services/privacy/index.js';
import { createStatsService, type StatsService } from '../services/stats/index.js';
import { createUsersService, type UsersService } from '../services/users/index.js';
import { createPremiumService, type PremiumService } from '../services/premium/index.js';
import { offerOf } from '../domain/premium.js';
import { createBackups } from './backups.js';
import { cacheNamespace } from './cache-namespace.js';
import { createLogger, type Logger } from './logger.js';
import { botctlVersion } from './version.js';
import type { DaemonServices } from './services.js';
import { createEventsService, type EventsService } from '../services/events/index.js';
import type { EventData, EventType } from '../domain/events.js';

export interface App {
  readonly config: Readonly<Config>;
  readonly logger: Logger;
  readonly services: Services;
  close(): Promise<void>;
}

/** Every use case, built on first use and once per app. */
export interface Services {
  users(): Promise<UsersService>;
  /** Export and erasure, over the shared cache so `users forget` clears what the daemon cached. */
  privacy(): Promise<PrivacyService>;
  stats(): Promise<StatsService>;
  /** Premium through Telegram Stars: payments, refunds (grammY loads with the first), the expiry sweep. */
  premium(): Promise<PremiumService>;
  /** Broadcasts; Telegram (grammY) loads with the first send. */
  broadcasts(): Promise<BroadcastService>;
  /** Backups of this database (`botctl backup`, the backup a migration takes first); opens no database. */
  backups(): Promise<BackupService>;
  /** Check, back up, migrate: `migrate`, `setup` and `start` alike. */
  migrations(): Promise<MigrationsService>;
  /** API keys (`botctl api-keys`, and the admin API's key check). */
  apiKeys(): Promise<ApiKeysService>;
  /** Sign-in links and panel sessions (`admin link`, /admin, the panel's cookie). */
  adminSessions(): Promise<AdminSessionsService>;
  /** The audit log as the admin API pages it. */
  audit(): Promise<AuditService>;
  /** Conversations as the admin API shows them (content only where the caller may read it). */
  conversations(): Promise<ConversationsService>;
  /** `botctl db move`: copies this database into another one; opens both on each move. */
  dbMove(): Promise<DbMoveService>;
  /** What `botctl start` runs on: the chat use cases, the model stack, metrics and readiness. */
  daemon(): Promise<DaemonServices>;
  /** Operator alerts to the admin chat and Slack (none configured: a service that sends nothing). */
  alerts(): Promise<AlertService>;
  /** Event webhooks as the operator sees them (`botctl events`), and events a command reports. */
  events(): Promise<EventsService & { publish(type: EventType, data: EventData): Promise<void> }>;
  /** A cron-safe lock under <data dir>/locks; throws LOCKED (exit 75) while another process holds it. */
  lock(name: string, what?: string): ProcessLock;
  /** Who uses this database: the daemon holds it shared for its life, a restore exclusively. */
  readonly guard: DatabaseGuard;
}

export interface CreateAppOptions {
  logLevel?: string;
  logger?: Logger;
  /**
   * Create a missing SQLite database (0600, in a 0700 directory). Only `migrate up`, `setup` and
   * `start --auto-migrate` do; every other command fails with DATABASE_MISSING instead.
   */
  createDatabase?: boolean;
  /** Epoch ms for the flood gate; default Date.now (tests move it on through a long flood wait). */
  clock?: () => number;
}

/** Made on the first call and kept, a rejected promise too: a command that failed to open does not retry. */
const once = <T>(make: () => T): (() => T) => {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
};

export async function createApp(config: Readonly<Config>, options: CreateAppOptions = {}): Promise<App> {
  const logger =
    options.logger ??
    createLogger({
      level: options.logLevel ?? config.logLevel,
      secrets: secretValues(config),
      pretty: process.stdout.isTTY === true,
    });
  const cipher = once(() =>
    createFieldCipher(config.encryptionKeys ? parseEncryptionKeys(config.encryptionKeys) : []),
  );
  let db: Promise<Database> | undefined;
  const database = () =>
    (db ??= openDatabase({
      url: config.databaseUrl,
      create: options.createDatabase === true,
      cipher: cipher(),
      poolSize: config.databasePoolSize,
      onNotice: (message) => logger.debug({ notice: message }, 'database notice'),
    }));
  let floodGate: FloodGate | undefined;
  const gate = async () =>
    (floodGate ??= createFloodGate({
      botId: botIdOf(requireToken(config)),
      store: (await database()).repos.flood,
      log: logger,
      ...(options.clock ? { now: options.clock } : {}),
    }));
  let messenger: Messenger | undefined;
  const send = async () => {
    const token = requireToken(config);
    // grammY loads only for commands that send.
    const { createTelegramMessenger } = await import('../adapters/telegram/messenger.js');
    const floodGate = await gate();
    return (messenger ??= createTelegramMessenger({ token, apiRoot: config.telegramApiRoot, floodGate }));
  };
  let cache: Promise<Cache> | undefined;
  const shared = () => (cache ??= openCache(config, cipher(), logger));
  let backups: Promise<BackupService> | undefined;
  let alerts: Promise<AlertService> | undefined;
  const now = () => new Date();
  const guard = createDatabaseGuard(config.databaseUrl);

  const services: Services = {
    users: once(async () => {
      const { users, usage, stats, audit } = (await database()).repos;
      const { createPublisher } = await import('./events.js');
      return createUsersService({
        users,
        usage,
        stats,
        audit,
        quotas: config.quotas,
        now,
        cache: shared,
        events: createPublisher(config),
      });
    }),
    privacy: once(async () => {
      const { repos } = await database();
      const encrypted = Boolean(config.encryptionKeys);
      return createPrivacyService({ repos, cache: await shared(), now, encrypted });
    }),
    stats: once(async () => {
      const { stats, payments } = (await database()).repos;
      return createStatsService({
        stats,
        payments,
        prices: config.prices,
        searchPricePerThousand: config.searchPricePerThousand,
      });
    }),
    premium: once(async () => {
      const { users, payments, audit } = (await database()).repos;
      return createPremiumService({
        users,
        payments,
        audit,
        offer: offerOf(config.premium),
        quotas: config.quotas,
        now,
        cache: shared,
        refunds: async () => {
          const token = requireToken(config);
          const { createStarRefunds } = await import('../adapters/telegram/refunds.js');
          return createStarRefunds({ token, apiRoot: config.telegramApiRoot });
        },
      });
    }),
    broadcasts: once(async () => {
      const { users, broadcasts } = (await database()).repos;
      return createBroadcastService({ users, broadcasts, messenger: send });
    }),
    backups: () => (backups ??= createBackups(config)),
    migrations: once(async () => {
      const { dialect, migrator } = await database();
      return createMigrationsService({ dialect, migrator, backups: services.backups, guard });
    }),
    dbMove: once(async () => {
      const { openMoveDatabase } = await import('../adapters/db/move/open.js');
      return createDbMoveService({
        openSource: () => openMoveDatabase(config.databaseUrl, { create: false, baseDir: config.dataDir }),
        // A path on the command line means what the shell means: relative to the working directory.
        openTarget: (to) => openMoveDatabase(to, { create: true, flag: '--to', baseDir: process.cwd() }),
        now: Date.now,
      });
    }),
    daemon: once(async () => {
      const [{ createDaemonServices }, { repos }] = await Promise.all([import('./services.js'), database()]);
      return createDaemonServices({
        config,
        logger,
        repos,
        cache: await shared(),
        privacy: await services.privacy(),
        floodGate: await gate(),
        lastBackupAt: async () => {
          const [newest] = (await (await services.backups()).list()).backups;
          return newest ? new Date(newest.createdAt) : null;
        },
        version: botctlVersion(),
        alerts: await services.alerts(),
        premium: await services.premium(),
      });
    }),
    apiKeys: once(async () => {
      const { apiKeys: keys, audit } = (await database()).repos;
      return createApiKeysService({ keys, audit, secrets: apiKeySecrets, now });
    }),
    adminSessions: once(async () => {
      const { adminSessions: sessions, audit } = (await database()).repos;
      return createAdminSessionsService({
        sessions,
        audit,
        secrets: apiKeySecrets,
        now,
        baseUrl: adminBaseUrl(config),
        admins: config.admins,
      });
    }),
    audit: once(async () => createAuditService({ audit: (await database()).repos.audit })),
    conversations: once(async () => {
      const { users, conversations } = (await database()).repos;
      return createConversationsService({ users, conversations });
    }),
    // grammY and i18n load with the first alert service, not with every command.
    alerts: () => (alerts ??= import('./alerts.js').then((root) => root.createAlerts(config, logger))),
    events: once(async () => {
      const [{ createPublisher, createSender, eventEndpoints }, { repos }] = await Promise.all([
        import('./events.js'),
        database(),
      ]);
      const publisher = createPublisher(config);
      const service = createEventsService({
        outbox: repos.outbox,
        sender: createSender(config, botctlVersion()),
        endpoints: eventEndpoints(config),
        newId: randomUUID,
        now,
      });
      return {
        ...service,
        // Stored for the daemon to deliver: a command never waits on a receiver.
        publish: (type: EventType, data: EventData) => repos.outbox.enqueue(publisher.rows(type, data)),
      };
    }),
    lock: (name, what) => acquireLock(path.join(config.dataDir, 'locks'), name, what),
    guard,
  };

  return {
    config,
    logger,
    services,
    async close() {
      floodGate?.close();
      await alerts?.then((a) => a.close()).catch(() => undefined);
      await cache?.then((c) => c.close()).catch(() => undefined);
      if (backups) await (await backups).close();
      // A database that never opened has nothing to close (its error was the caller's already).
      const opened = await db?.catch(() => undefined);
      await opened?.close();
      logger.flush();
    },
  };
}

/** The shared cache (Redis when configured, else this process's memory). */
async function openCache(config: Readonly<Config>, cipher: FieldCipher, logger: Logger): Promise<Cache> {
  const { createCache } = await import('../adapters/cache/index.js');
  let lastWarningAt = 0;
  return createCache({
    url: config.redisUrl,
    namespace: cacheNamespace(config.telegramToken ?? '', config.databaseUrl),
    cipher,
    // An outage fails every request; one warning a minute says it without flooding.
    onError: (error) => {
      if (Date.now() - lastWarningAt < 60_000) return;
      lastWarningAt = Date.now();
      logger.warn({ err: error }, 'cache unavailable, continuing without it');
    },
  });
}

function requireToken(config: Readonly<Config>): string {
  if (!config.telegramToken) {
    throw new BotctlError('CONFIG_MISSING', 'telegramToken (BOTCTL_TELEGRAM_TOKEN) is not set', {
      hint: 'set BOTCTL_TELEGRAM_TOKEN to the token from @BotFather',
    });
  }
  return config.telegramToken;
}
