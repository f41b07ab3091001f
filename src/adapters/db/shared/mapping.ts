/**
 * Row -> entity mapping shared by both dialects. Drizzle already turns timestamps into Date
 * and JSON columns into values on both, so the row shapes below fit either schema; the
 * field cipher is applied here and nowhere else on the read path.
 */
import {
  DELIVERY_STATUSES,
  type ApiKey,
  type Conversation,
  type DailyUsage,
  type DeliveryStatus,
  type Message,
  type NewMessage,
  type StoredUpdate,
  type User,
} from '../../../domain/entities.js';
import { BotctlError } from '../../../domain/errors.js';
import type { FieldCipher } from '../../../domain/ports/index.js';
import type { Source } from '../../../domain/grounding.js';
import { readSettings } from './settings.js';

export type UserRow = Omit<User, 'settings'> & { settings: string };
export type ConversationRow = Conversation;
export type MessageRow = Omit<Message, 'sentMessageIds' | 'sources'> & {
  sentMessageIds: string | null;
  sources: string | null;
};
export type ApiKeyRow = ApiKey;
export interface InboxRow extends StoredUpdate {
  status: 'pending' | 'done' | 'rejected';
  doneAt: Date | null;
}

export function toUser(row: UserRow, cipher: FieldCipher): User {
  return { ...row, settings: readSettings(row.settings, cipher) };
}

export function toConversation(row: ConversationRow, cipher: FieldCipher): Conversation {
  return {
    ...row,
    // Titles are written by the model from the first messages, so they are sealed like them.
    title: row.title === null ? null : cipher.open(row.title),
    summary: row.summary === null ? null : cipher.open(row.summary),
  };
}

export function toMessage(row: MessageRow, cipher: FieldCipher): Message {
  return {
    ...row,
    content: cipher.open(row.content),
    sentMessageIds: readSentIds(row.sentMessageIds),
    sources: row.sources === null ? null : readSources(cipher.open(row.sources)),
  };
}

/** Stored sources (JSON of { title, uri }); anything else reads as none. */
function readSources(value: string): Source[] | null {
  try {
    const sources: unknown = JSON.parse(value);
    if (!Array.isArray(sources)) return null;
    return sources.filter(
      (s): s is Source =>
        typeof s === 'object' && s !== null && typeof s.title === 'string' && typeof s.uri === 'string',
    );
  } catch {
    return null;
  }
}

/** The columns markDelivered writes for an answer's Telegram messages (none: both null). */
export function sentValues(sent: readonly number[] | undefined) {
  const ids = sent && sent.length > 0 ? sent : undefined;
  return { first: ids ? ids[0]! : null, sent: ids ? JSON.stringify(ids) : null };
}

/** The Telegram ids of a delivered answer as stored (a JSON array; anything else reads as none). */
function readSentIds(value: string | null): number[] | null {
  if (value === null) return null;
  try {
    const ids: unknown = JSON.parse(value);
    return Array.isArray(ids) && ids.every(Number.isSafeInteger) ? (ids as number[]) : null;
  } catch {
    return null;
  }
}

/** The values to insert for a new message, content sealed. */
export type MessageValues = ReturnType<typeof messageValues>;

export function messageValues(message: NewMessage, cipher: FieldCipher, now: Date) {
  return {
    conversationId: message.conversationId,
    role: message.role,
    content: cipher.seal(message.content),
    tokensIn: message.tokensIn ?? 0,
    tokensOut: message.tokensOut ?? 0,
    model: message.model ?? null,
    latencyMs: message.latencyMs ?? null,
    telegramMessageId: message.telegramMessageId ?? null,
    createdAt: message.createdAt ?? now,
    sources: message.sources ? cipher.seal(JSON.stringify(message.sources)) : null,
  };
}

/**
 * The message an insert stored, from what was inserted and the id it got: what reading the row back
 * would return (toMessage), without reading it back. A new turn is never delivered yet.
 */
export function storedMessage(message: NewMessage, values: MessageValues, id: number): Message {
  return {
    id,
    conversationId: values.conversationId,
    role: values.role,
    content: message.content,
    tokensIn: values.tokensIn,
    tokensOut: values.tokensOut,
    model: values.model,
    latencyMs: values.latencyMs,
    telegramMessageId: values.telegramMessageId,
    createdAt: values.createdAt,
    deliveredAt: null,
    sentMessageIds: null,
    sources: message.sources ?? null,
  };
}

export function toStoredUpdate(row: InboxRow, cipher: FieldCipher): StoredUpdate {
  return {
    updateId: row.updateId,
    chatKey: row.chatKey,
    fromId: row.fromId,
    payload: cipher.open(row.payload),
    receivedAt: row.receivedAt,
  };
}

export function zeroUsage(userId: number, day: string): DailyUsage {
  return { userId, day, messages: 0, tokensIn: 0, tokensOut: 0, audioSeconds: 0, images: 0, searches: 0 };
}

export function deliveryCounts(rows: Array<{ status: string; n: number }>): Record<DeliveryStatus, number> {
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
  for (const { status, n } of rows) {
    if (status in counts) counts[status as DeliveryStatus] = Number(n);
  }
  return counts;
}

/** Splits a list into chunks so one statement stays under the driver's parameter limit. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function notFound(what: string, id: number | string): never {
  throw new BotctlError('NOT_FOUND', `${what} ${id} does not exist`, { params: { id } });
}
