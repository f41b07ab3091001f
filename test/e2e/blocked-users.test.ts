/**
 * Users who block the bot are marked blocked by the daemon, as a broadcast marks them: from
 * my_chat_member (kicked; member again clears it) and from a 403 on an answer. Stats count them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { chatter, handled } from '../helpers/chat-ui.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const statusOf = async (telegramId: number) => (await h.db.repos.users.getByTelegramId(telegramId))?.status;

function membership(userId: number, from: string, to: string) {
  const user = { id: userId, is_bot: false, first_name: 'Blocker' };
  return {
    my_chat_member: {
      chat: { id: userId, type: 'private' as const, first_name: 'Blocker' },
      from: user,
      date: Math.floor(Date.now() / 1000),
      old_chat_member: { status: from, user: h.telegram.botInfo },
      new_chat_member: { status: to, user: h.telegram.botInfo },
    },
  } as never;
}

describe('users who block the bot', () => {
  it('are marked blocked by my_chat_member "kicked", and active again by "member"', async () => {
    const c = chatter(h, 8_101);
    await c.say('hello');
    expect(await statusOf(8_101)).toBe('active');
    const blocked = h.telegram.pushUpdate(membership(8_101, 'member', 'kicked'));
    await handled(h, blocked.update_id);
    expect(await statusOf(8_101)).toBe('blocked');
    const back = h.telegram.pushUpdate(membership(8_101, 'kicked', 'member'));
    await handled(h, back.update_id);
    expect(await statusOf(8_101)).toBe('active');
  });

  it('are marked blocked when an answer to them gets 403 "bot was blocked by the user"', async () => {
    const c = chatter(h, 8_102);
    await c.say('first');
    h.telegram.blockUser(8_102);
    await c.say('second');
    expect(await statusOf(8_102)).toBe('blocked');
    expect(h.telegram.sentMessages(8_102)).toEqual(['Echo: first']);
  });

  it('leave a banned user banned', async () => {
    const c = chatter(h, 8_103);
    await c.say('hi');
    const user = await h.db.repos.users.getByTelegramId(8_103);
    await h.db.repos.users.setStatus(user!.id, 'banned');
    await handled(h, h.telegram.pushUpdate(membership(8_103, 'member', 'kicked')).update_id);
    expect(await statusOf(8_103)).toBe('banned');
  });
});
