import { describe, expect, it } from 'vitest';
import { chatKey, privateChatKeys, senderKey } from '../../src/domain/chat-key.js';

describe('chat keys', () => {
  it('names a chat, a forum topic in it, and a sender without a chat apart', () => {
    expect(chatKey(6_100_000_001)).toBe('6100000001');
    expect(chatKey(-1001234567890, 7)).toBe('-1001234567890:7');
    expect(senderKey(6_100_000_001)).toBe('user:6100000001');
  });

  it("lists every key a user's private chat can have, and no group's", () => {
    const keys = privateChatKeys(42);
    const isPrivate = (key: string) => keys.exact.includes(key) || key.startsWith(keys.topicPrefix);
    expect([chatKey(42), chatKey(42, 5), senderKey(42)].every(isPrivate)).toBe(true);
    expect([chatKey(420), chatKey(4, 2), chatKey(-42), senderKey(420), 'none'].some(isPrivate)).toBe(false);
  });
});
