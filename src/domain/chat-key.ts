/**
 * The chat key: which chat (and forum topic) an update belongs to, as one string. The bot
 * orders updates by it, /stop cancels by it, and the update inbox stores it, so a forgotten
 * user's private chat can be found again. Built and read only here:
 *
 *   "<chatId>"             a chat (a private chat's id is the user's Telegram id)
 *   "<chatId>:<threadId>"  a forum topic in that chat
 *   "user:<telegramId>"    an update with a sender but no chat (inline query, and the like)
 */

/** The key of a chat, or of one forum topic in it. */
export function chatKey(chatId: number, threadId?: number): string {
  return threadId === undefined ? String(chatId) : `${chatId}:${threadId}`;
}

/** The key of an update that has a sender but no chat. */
export function senderKey(telegramId: number): string {
  return `user:${telegramId}`;
}

/**
 * Every key a user's private chat can have: the exact keys, and the prefix of its topics'
 * keys. The inbox stores the key whole (its columns would need a migration to hold the parts),
 * so a query matches these instead of taking the key apart.
 */
export function privateChatKeys(telegramId: number): { exact: string[]; topicPrefix: string } {
  return { exact: [chatKey(telegramId), senderKey(telegramId)], topicPrefix: `${chatKey(telegramId)}:` };
}

/**
 * A /stop command: it never waits for its chat's turn (the answer it stops holds the turn),
 * neither in the bot's per-chat order nor in the inbox's across instances.
 */
export function isStopCommand(text: string | undefined): boolean {
  return /^\/stop(@\w+)?(\s|$)/.test(text ?? '');
}
