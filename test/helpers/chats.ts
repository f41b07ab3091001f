/** A user and their private conversation, created through the repositories (as a first message would). */
import type { ConversationKey, Repositories } from '../../src/domain/ports/index.js';

export async function newPrivateChat(repos: Repositories, telegramId: number) {
  const user = await repos.users.upsertFromTelegram({
    telegramId,
    username: null,
    firstName: 'Ann',
    lastName: null,
    languageCode: 'en',
    language: 'en',
  });
  const key: ConversationKey = { userId: user.id, chatId: user.telegramId, threadId: null };
  return { user, key, conv: await repos.conversations.getOrStart(key) };
}
