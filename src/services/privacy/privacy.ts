/**
 * Data rights, shared by the bot (/export, /forget) and the CLI (`botctl users export|forget`):
 * everything stored about one user as one document, and its complete removal (database rows
 * through deleteCascade, then every cache key kept about them). /forget asks first; the
 * confirmation carries a short-lived token so an old button cannot delete anything later.
 */
import type { User } from '../../domain/entities.js';
import { BotctlError } from '../../domain/errors.js';
import type { Cache, Repositories } from '../../domain/ports/index.js';
import {
  exportedAudio,
  exportedConversation,
  exportedDelivery,
  exportedPayment,
  type ExportedConversation,
  type UserExport,
} from '../../domain/transcript.js';
import { accessCacheKeys } from '../access/index.js';
import { historyCacheKeys } from '../history/index.js';
import { settingsCacheKeys } from '../settings/index.js';

export interface ForgetReport {
  telegramId: number;
  conversations: number;
  messages: number;
  usageDays: number;
  /** Stars payments deleted with the user: botctl can no longer refund them (README, Premium). */
  payments: number;
}

const PAGE = 500;
const CONFIRM_WAIT_MS = 10 * 60_000;
const confirmKey = (telegramId: number) => `forget-confirm:${telegramId}`;

export function createPrivacyService(deps: {
  repos: Pick<Repositories, 'users' | 'conversations' | 'usage' | 'broadcasts' | 'audioFiles' | 'payments'>;
  cache: Cache;
  now: () => Date;
  /** Whether message content, summaries and own prompts are sealed at rest (config encryptionKeys). */
  encrypted: boolean;
  randomToken?: () => string;
}) {
  const { repos, cache, now } = deps;
  const randomToken = deps.randomToken ?? (() => Math.random().toString(36).slice(2, 10));

  async function conversationsOf(userId: number): Promise<ExportedConversation[]> {
    const out: ExportedConversation[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await repos.conversations.listByUser(userId, { limit: PAGE, offset });
      for (const conversation of page) {
        const messages = [];
        for (let after = 0; ;) {
          const batch = await repos.conversations.messagesAfter(conversation.id, after, PAGE);
          messages.push(...batch);
          if (batch.length < PAGE) break;
          after = batch.at(-1)!.id;
        }
        out.push(exportedConversation(conversation, messages));
      }
      if (page.length < PAGE) return out.reverse(); // oldest first reads like a diary
    }
  }

  async function collect(user: User): Promise<UserExport> {
    const { id: _id, settings, createdAt, lastSeenAt, premiumUntil, ...profile } = user;
    const usage = await repos.usage.listByUser(user.id);
    const deliveries = await repos.broadcasts.deliveriesToUser(user.id);
    const audio = await repos.audioFiles.listByUser(user.id);
    const payments = await repos.payments.list({ userId: user.id });
    return {
      format: 1,
      exportedAt: now().toISOString(),
      profile: {
        ...profile,
        createdAt: createdAt.toISOString(),
        lastSeenAt: lastSeenAt.toISOString(),
        premiumUntil: premiumUntil?.toISOString() ?? null,
      },
      settings,
      conversations: await conversationsOf(user.id),
      usage: usage.map(({ userId: _u, ...day }) => day),
      deliveries: deliveries.map(exportedDelivery),
      audio: audio.map(exportedAudio),
      // Oldest first, like the rest of the document.
      payments: payments.reverse().map(exportedPayment),
    };
  }

  async function byTelegramId(telegramId: number): Promise<User> {
    const user = await repos.users.getByTelegramId(telegramId);
    if (!user) {
      throw new BotctlError('NOT_FOUND', `No user with Telegram id ${telegramId}`, {
        hint: 'the id is the number Telegram shows for the account; the user must have written to the bot',
      });
    }
    return user;
  }

  async function forget(user: User): Promise<ForgetReport> {
    const data = await collect(user);
    await repos.users.deleteCascade(user.id);
    const keys = [
      ...accessCacheKeys(user.telegramId),
      ...settingsCacheKeys(user.telegramId),
      ...historyCacheKeys(user.telegramId),
      confirmKey(user.telegramId),
      ...data.conversations.map((c) => `title-attempt:${c.id}`),
    ];
    await Promise.all(keys.map((key) => cache.delete(key)));
    return {
      telegramId: user.telegramId,
      conversations: data.conversations.length,
      messages: data.conversations.reduce((sum, c) => sum + c.messages.length, 0),
      usageDays: data.usage.length,
      payments: data.payments.length,
    };
  }

  return {
    encrypted: deps.encrypted,
    collect,
    byTelegramId,
    forget,

    /** A token the confirmation button must carry; valid for a few minutes. */
    async requestForget(user: User): Promise<string> {
      const token = randomToken();
      await cache.set(confirmKey(user.telegramId), token, CONFIRM_WAIT_MS);
      return token;
    },

    /** Deletes everything if the token is the one last issued; null when it is stale or forged. */
    async confirmForget(user: User, token: string): Promise<ForgetReport | null> {
      const expected = await cache.get<string>(confirmKey(user.telegramId));
      if (expected === undefined || expected !== token) return null;
      return forget(user);
    },

    cancelForget: (user: User) => cache.delete(confirmKey(user.telegramId)),
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
