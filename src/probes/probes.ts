/**
 * Probes: one-off looks at the outside world for `setup` and `doctor` (is this token valid,
 * which models does this key see, does the database answer). Part of the composition root,
 * so commands reach adapters through here; every adapter and SDK loads on first use, so a
 * probe nobody calls costs nothing.
 */
import fs from 'node:fs';
import type { Api } from 'grammy';
import { BotctlError } from '../domain/errors.js';
import type { ModelInfo } from '../domain/ports/index.js';
import type {
  BotIdentity,
  DoctorProbes,
  GeminiTarget,
  TelegramTarget,
  WebhookState,
} from '../services/doctor/index.js';
import type { Config } from '../config/config.js';
import { databaseReachable, instances, migrationStatus, postgresMajor } from './database.js';
import { nearestExisting } from '../adapters/system/dirs.js';
import { parseDatabaseUrl } from '../adapters/db/url.js';

/** grammY types its signal with the abort-controller polyfill's class; Node's is compatible at run time. */
type GrammySignal = Parameters<Api['getMe']>[0];

export interface Probes extends DoctorProbes {
  /** Sends a plain text message; throws the coded Telegram error when it is not delivered. */
  sendMessage(target: TelegramTarget, chatId: number, text: string): Promise<void>;
  /** Connects (PostgreSQL) and closes again; for SQLite only checks the path, creating nothing. */
  databaseReachable(url: string, dataDir?: string): Promise<void>;
}

/** Generous: a loaded machine or a slow link can take seconds; a dead one should not hold setup for long. */
const TELEGRAM_TIMEOUT_MS = 20_000;

/** config: needed only by lastBackupAt (the backup dir and dialect). */
export function createProbes(config?: Readonly<Config>): Probes {
  /** One Bot API call; errors translated at the boundary, and a timeout said as such. */
  const telegram = async <T>(
    target: TelegramTarget,
    signal: AbortSignal | undefined,
    call: (api: Api, signal: GrammySignal) => Promise<T>,
  ): Promise<T> => {
    const [{ Api }, { translateTelegramError }] = await Promise.all([
      import('grammy'),
      import('../adapters/telegram/errors.js'),
    ]);
    const deadline = AbortSignal.timeout(TELEGRAM_TIMEOUT_MS);
    const both = signal ? AbortSignal.any([signal, deadline]) : deadline;
    try {
      return await call(new Api(target.token, { apiRoot: target.apiRoot }), both as GrammySignal);
    } catch (error) {
      // grammY reports an aborted request as a network error; say that it did not answer.
      if (both.aborted) {
        throw new BotctlError(
          'TELEGRAM_ERROR',
          `Telegram did not answer within ${TELEGRAM_TIMEOUT_MS / 1000} s`,
          {
            hint: 'check the network and BOTCTL_TELEGRAM_API_ROOT',
            retryable: true,
          },
        );
      }
      throw translateTelegramError(error);
    }
  };

  return {
    async telegramBot(target, signal): Promise<BotIdentity> {
      const me = await telegram(target, signal, (api, s) => api.getMe(s));
      return { id: me.id, username: me.username };
    },
    async telegramWebhook(target, signal): Promise<WebhookState> {
      const info = await telegram(target, signal, (api, s) => api.getWebhookInfo(s));
      return {
        url: info.url ?? '',
        pendingUpdates: info.pending_update_count,
        lastError: info.last_error_message ?? null,
        lastErrorAt: info.last_error_date ? new Date(info.last_error_date * 1000) : null,
      };
    },
    async sendMessage(target, chatId, text) {
      await telegram(target, undefined, (api, s) => api.sendMessage(chatId, text, {}, s));
    },
    async geminiModels(target: GeminiTarget): Promise<ModelInfo[]> {
      const { createGeminiChatModel } = await import('../adapters/gemini/index.js');
      return createGeminiChatModel(target).listModels();
    },
    database: migrationStatus,
    databaseReachable,
    postgresMajor,
    instances,
    dialectOf: (url) => parseDatabaseUrl(url, process.cwd()).dialect,
    async redis(url, timeoutMs) {
      const { createCache } = await import('../adapters/cache/index.js');
      const cache = await createCache({
        url,
        namespace: 'botctl-probe',
        timeoutMs,
        onError: () => undefined,
      });
      try {
        return await cache.ping();
      } finally {
        await cache.close();
      }
    },
    async toolVersion(command, versionFlag, signal) {
      const { toolVersion } = await import('../adapters/system/tool-version.js');
      return toolVersion(command, versionFlag, signal);
    },
    async mode(target) {
      return fs.promises.stat(target).then(
        (stat) => stat.mode & 0o7777,
        () => null,
      );
    },
    async freeBytes(target) {
      const stats = await fs.promises.statfs(nearestExisting(target) ?? '/');
      return stats.bavail * stats.bsize;
    },
    async lastBackupAt() {
      if (!config) throw new BotctlError('INTERNAL', 'lastBackupAt needs the configuration');
      // The root's backup service opens no database: listing the backup dir is all this does.
      const { createApp } = await import('../app/index.js');
      const app = await createApp(config);
      try {
        const { backups: all } = await (await app.services.backups()).list();
        const newest = all.map((b) => Date.parse(b.createdAt)).sort((a, b) => b - a)[0];
        return newest === undefined ? null : new Date(newest);
      } finally {
        await app.close();
      }
    },
  };
}
