import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { chatKeyOfUpdate, senderOfUpdate } from '../../src/daemon/intake.js';

// Updates as the Bot API sends them (trimmed to the fields Telegram always includes).
const ann = { id: 6_100_000_001, is_bot: false, first_name: 'Ann', language_code: 'en' };
const bob = { id: 6_100_000_002, is_bot: false, first_name: 'Bob' };
const botUser = { id: 7_000_000_001, is_bot: true, first_name: 'Botctl', username: 'botctl_bot' };
const privateChat = { id: ann.id, type: 'private' as const, first_name: 'Ann' };
const group = { id: -1_001_234_567_890, type: 'supergroup' as const, title: 'Team', is_forum: true as const };
const channel = { id: -1_009_876_543_210, type: 'channel' as const, title: 'News' };

const cases: [string, Update, number | null, string][] = [
  [
    'a private message',
    {
      update_id: 1,
      message: { message_id: 10, date: 1_750_000_000, chat: privateChat, from: ann, text: 'hi' },
    },
    ann.id,
    String(ann.id),
  ],
  [
    'a group message in a forum topic',
    {
      update_id: 2,
      message: {
        message_id: 11,
        message_thread_id: 7,
        is_topic_message: true,
        date: 1_750_000_000,
        chat: group,
        from: bob,
        text: '@botctl_bot hi',
      },
    },
    bob.id,
    `${group.id}:7`,
  ],
  [
    'an edited group message',
    {
      update_id: 3,
      edited_message: {
        message_id: 12,
        date: 1_750_000_000,
        edit_date: 1_750_000_060,
        chat: group,
        from: ann,
        text: 'fixed',
      },
    },
    ann.id,
    String(group.id),
  ],
  [
    "a button press under the bot's group message",
    {
      update_id: 4,
      callback_query: {
        id: '4382bfdwdsb323b2d9',
        from: bob,
        chat_instance: '-5678',
        data: 'settings:open',
        message: { message_id: 13, date: 1_750_000_000, chat: group, from: botUser, text: 'Settings' },
      },
    },
    bob.id,
    String(group.id),
  ],
  [
    'an inline query',
    {
      update_id: 5,
      inline_query: { id: '99', from: ann, query: 'weather', offset: '', chat_type: 'sender' },
    },
    ann.id,
    `user:${ann.id}`,
  ],
  [
    'the bot being added to a group',
    {
      update_id: 6,
      my_chat_member: {
        chat: group,
        from: ann,
        date: 1_750_000_000,
        old_chat_member: { status: 'left', user: botUser },
        new_chat_member: { status: 'member', user: botUser },
      },
    },
    ann.id,
    `user:${ann.id}`,
  ],
  [
    'a channel post (no sender user)',
    {
      update_id: 7,
      channel_post: {
        message_id: 14,
        date: 1_750_000_000,
        chat: channel,
        sender_chat: channel,
        text: 'news',
      },
    },
    null,
    String(channel.id),
  ],
  [
    'a reaction by a user',
    {
      update_id: 8,
      message_reaction: {
        chat: group,
        message_id: 11,
        user: ann,
        date: 1_750_000_000,
        old_reaction: [],
        new_reaction: [{ type: 'emoji', emoji: '👍' }],
      },
    },
    ann.id,
    'none',
  ],
];

describe('senderOfUpdate', () => {
  it.each(cases)('%s', (_name, update, sender, chatKey) => {
    expect(senderOfUpdate(update)).toBe(sender);
    expect(chatKeyOfUpdate(update)).toBe(chatKey);
  });

  it('is null for an update with no sender at all', () => {
    expect(senderOfUpdate({ update_id: 9 })).toBeNull();
  });
});
