/**
 * The composition root: the only module that imports adapters. createApp(config) wires
 * the database, cipher and logger into the services; close() releases them in reverse order.
 * Heavy SDKs are imported lazily by the parts that need them.
 */
import { openDatabase } from '../adapters/db/open.js';
import { createFieldCipher, parseEncryptionKeys } from '../adapters/system/cipher.js';
import type { Dialect, Migrator, Repositories } from '../domain/ports.js';
import { secretValues, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';

export interface App {
  readonly config: Readonly<Config>;
  readonly logger: Logger;
  readonly dialect: Dialect;
  readonly repos: Repositories;
  readonly migrator: Migrator;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  logLevel?: string;
  logger?: Logger;
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
  const db = await openDatabase({
    url: config.databaseUrl,
    cipher,
    onNotice: (message) => logger.debug({ notice: message }, 'database notice'),
  });
  return {
    config,
    logger,
    dialect: db.dialect,
    repos: db.repos,
    migrator: db.migrator,
    async close() {
      await db.close();
      logger.flush();
    },
  };
}
