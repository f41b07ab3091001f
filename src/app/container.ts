/**
 * The composition root: the only module that imports adapters. createApp(config) wires
 * the database, cipher and logger into the services; close() releases them in reverse order.
 * Heavy SDKs are imported lazily by the parts that need them.
 */
import path from 'node:path';
import { createDatabaseGuard } from '../adapters/db/guard.js';
import { openDatabase } from '../adapters/db/open.js';
import { createFieldCipher } from '../adapters/system/cipher.js';
import { parseEncryptionKeys } from '../domain/encryption-keys.js';
import type {
  Cache,
  DatabaseGuard,
  Dialect,
  Messenger,
  Migrator,
  Repositories,
} from '../domain/ports/index.js';
import { BotctlError } from '../domain/errors.js';
import { acquireLock, type ProcessLock } from '../adapters/system/lock.js';
import { botIdOf, createFloodGate, type FloodGate } from '../adapters/telegram/flood-gate.js';
import { defaultBackupDir, secretValues, type Config } from '../config/config.js';
import { createLogger, type Logger } from './logger.js';
import { cacheNamespace } from './cache-namespace.js';
import type { BackupService } from '../services/backup/index.js';

export interface App {
  readonly config: Readonly<Config>;
  readonly logger: Logger;
  readonly dialect: Dialect;
  readonly repos: Repositories;
  readonly migrator: Migrator;
  /** Outbound Telegram sends (broadcasts); created on first use. Throws CONFIG_MISSING without a token. */
  messenger(): Promise<Messenger>;
  /**
   * Telegram's flood wait for this bot, shared through the database with every process using the
   * token; the daemon's Api and the messenger both go through it. Throws CONFIG_MISSING without a token.
   */
  floodGate(): FloodGate;
  /** A cron-safe process lock under <data dir>/locks; throws LOCKED (exit 75) while another process holds it. */
  lock(name: string, what?: string): ProcessLock;
  /** Who uses this database: the daemon holds it shared for its life, a restore exclusively. */
  readonly guard: DatabaseGuard;
  /** Backups of this database (`botctl backup`, the backup `migrate up` takes first); built on first use. */
  backups(): Promise<BackupService>;
  /** The shared cache (Redis when configured, else this process's memory), opened on first use. */
  cache(): Promise<Cache>;
  close(): Promise<void>;
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

export async function createApp(config: Readonly<Config>, options: CreateAppOptions = {}): Promise<App> {
  const logger =
    options.logger ??
    createLogger({
      level: options.logLevel ?? config.logLevel,
      secrets: secretValues(config),
      pretty: process.stdout.isTTY === true,
    });
  const cipher = createFieldCipher(config.encryptionKeys ? parseEncryptionKeys(config.encryptionKeys) : []);
  let messenger: Messenger | undefined;
  let floodGate: FloodGate | undefined;
  let backups: Promise<BackupService> | undefined;
  let cache: Promise<Cache> | undefined;
  let lastWarningAt = 0;
  const db = await openDatabase({
    url: config.databaseUrl,
    create: options.createDatabase === true,
    cipher,
    onNotice: (message) => logger.debug({ notice: message }, 'database notice'),
  });
  const gate = () =>
    (floodGate ??= createFloodGate({
      botId: botIdOf(requireToken(config)),
      store: db.repos.flood,
      log: logger,
      ...(options.clock ? { now: options.clock } : {}),
    }));
  return {
    config,
    logger,
    dialect: db.dialect,
    repos: db.repos,
    migrator: db.migrator,
    async messenger() {
      const token = requireToken(config);
      // grammY loads only for commands that send.
      const { createTelegramMessenger } = await import('../adapters/telegram/messenger.js');
      messenger ??= createTelegramMessenger({
        token,
        apiRoot: config.telegramApiRoot,
        floodGate: gate(),
      });
      return messenger;
    },
    floodGate: gate,
    lock(name, what) {
      return acquireLock(path.join(config.dataDir, 'locks'), name, what);
    },
    guard: createDatabaseGuard(config.databaseUrl),
    backups() {
      return (backups ??= createBackups(config));
    },
    cache() {
      return (cache ??= import('../adapters/cache/index.js').then(({ createCache }) =>
        createCache({
          url: config.redisUrl,
          namespace: cacheNamespace(config.telegramToken ?? '', config.databaseUrl),
          cipher,
          // An outage fails every request; one warning a minute says it without flooding.
          onError: (error) => {
            if (Date.now() - lastWarningAt < 60_000) return;
            lastWarningAt = Date.now();
            logger.warn({ err: error }, 'cache unavailable, continuing without it');
          },
        }),
      ));
    },
    async close() {
      floodGate?.close();
      await cache?.then((c) => c.close()).catch(() => undefined);
      if (backups) await (await backups).close();
      await db.close();
      logger.flush();
    },
  };
}

function requireToken(config: Readonly<Config>): string {
  if (!config.telegramToken) {
    throw new BotctlError('CONFIG_MISSING', 'telegramToken (BOTCTL_TELEGRAM_TOKEN) is not set', {
      hint: 'set BOTCTL_TELEGRAM_TOKEN to the token from @BotFather',
    });
  }
  return config.telegramToken;
}

/**
 * The backup service alone, opening no database until an operation needs one: `backup
 * restore` must work when the database file is damaged or missing, `list` and `verify` need
 * no database at all. Adapters load on first use (better-sqlite3, execa).
 */
export async function createBackups(config: Readonly<Config>): Promise<BackupService> {
  const [{ randomBytes }, { readFileSync }, archive, snapshot, pgTools, migrations, { createBackupService }] =
    await Promise.all([
      import('node:crypto'),
      import('node:fs'),
      import('../adapters/system/archive.js'),
      import('../adapters/db/snapshot.js'),
      import('../adapters/system/pg-tools.js'),
      import('../adapters/db/migration-files.js'),
      import('../services/backup/index.js'),
    ]);
  const tools = pgTools.createPgTools();
  const packageJson = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const pkg = JSON.parse(packageJson) as { version: string };
  return createBackupService({
    store: archive.createBackupStore(config.backupDir ?? defaultBackupDir(config.dataDir)),
    snapshotter: () => snapshot.createSnapshotter(config.databaseUrl, tools),
    checker: snapshot.createSnapshotChecker(tools),
    guard: () => createDatabaseGuard(config.databaseUrl),
    codeSchema: (dialect) => {
      const last = migrations.loadMigrations(migrations.locateMigrations(dialect)).at(-1);
      return last ? { id: last.id, tag: last.tag } : null;
    },
    botctlVersion: pkg.version,
    now: () => new Date(),
    randomSuffix: () => randomBytes(2).toString('hex'),
  });
}
