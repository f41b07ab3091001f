/**
 * Users who block the bot are marked "blocked", as broadcasts mark them, so stats count them and
 * broadcasts skip them: from my_chat_member in a private chat (kicked = blocked, member = back
 * again), and from a 403 Forbidden on any call to a private chat, which is how Telegram answers
 * a send to a user who blocked the bot. A group's 403 (the bot was removed) says nothing of a user.
 */
import { Composer, type Transformer } from 'grammy';
import type { Log } from '../../domain/telemetry.js';
import type { AccessService } from '../../services/access/index.js';
import type { BotContext } from '../context.js';

export function membershipFeature(access: Pick<AccessService, 'setBlocked'>): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on('my_chat_member', async (ctx) => {
    const { chat, from, new_chat_member: member } = ctx.myChatMember;
    if (chat.type !== 'private') return;
    if (member.status === 'kicked') await access.setBlocked(from.id, true);
    else if (member.status === 'member') await access.setBlocked(from.id, false);
  });
  return composer;
}

/** An API transformer: a 403 on a call to a private chat marks its user blocked. */
export function blockedOnForbidden(access: Pick<AccessService, 'setBlocked'>, log: Log): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    if (!result.ok && result.error_code === 403 && typeof chatId === 'number' && chatId > 0) {
      await access
        .setBlocked(chatId, true)
        .catch((error: unknown) => log.warn({ err: error, method }, 'could not mark a user blocked'));
    }
    return result;
  };
}
