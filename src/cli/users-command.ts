/** What the `botctl users` commands share: the service, the shared arg and flag, and how users and quotas print. */
import { Args } from '@oclif/core';
import { parseTelegramId, parseUserRef } from '../domain/user-ref.js';
import type { QuotaReport, UserChange, UserSummary } from '../services/users/index.js';
import type { JsonShape } from './json-shape.js';

/** `<user>`: checked as it is parsed, so a malformed one is a usage error (exit 2) before the database opens. */
export const userArg = Args.custom<string>({
  description: 'Telegram user id, or @username',
  parse: async (input) => (parseUserRef(input), input),
})({ required: true });

/** `<telegramId>` of export and forget: a positive integer, or a usage error (exit 2). */
export const telegramIdArg = Args.custom<number>({
  description: 'the Telegram user id',
  parse: async (input) => parseTelegramId(input),
})({ required: true });

export const USER_SHAPE: JsonShape = {
  telegramId: 'number',
  username: 'string|null',
  firstName: 'string|null',
  lastName: 'string|null',
  language: 'string',
  role: 'string',
  status: 'string',
  createdAt: 'string',
  lastSeenAt: 'string',
  premiumUntil: 'string|null',
};

const line = { used: 'number', limit: 'number|null' };
export const QUOTA_SHAPE: JsonShape = {
  day: 'string',
  role: 'string',
  messages: line,
  tokens: line,
  images: line,
  audioSeconds: line,
  searches: line,
  exceeded: 'string|null',
  // The user's own limits ({messagesPerDay?, ...}) or null: the grammar has no nullable objects.
  overrides: 'unknown',
};

export const changeShape = (value: string): JsonShape => ({
  user: USER_SHAPE,
  changed: 'boolean',
  from: value,
  to: value,
});

/** "@ann (123456)", or the id alone. */
export const who = (u: Pick<UserSummary, 'telegramId' | 'username'>) =>
  u.username ? `@${u.username} (${u.telegramId})` : String(u.telegramId);

export function userRow(u: UserSummary): string {
  const name = [u.firstName, u.lastName].filter(Boolean).join(' ') || '-';
  return [
    String(u.telegramId).padEnd(12),
    (u.username ? `@${u.username}` : '-').padEnd(20),
    name.slice(0, 24).padEnd(24),
    u.role.padEnd(8),
    u.status.padEnd(8),
    u.language.padEnd(3),
    u.lastSeenAt.slice(0, 10),
  ].join(' ');
}

export function quotaLines(q: QuotaReport): string[] {
  const own = q.overrides ?? {};
  const row = (label: string, l: QuotaReport['messages'], key: keyof typeof own) =>
    `  ${label.padEnd(14)} ${String(l.used).padStart(9)} / ${l.limit === null ? 'unlimited' : l.limit}` +
    (own[key] === undefined ? '' : ' (this user)');
  return [
    `Today (${q.day} UTC), ${q.role} quota${q.overrides ? ' with limits of their own' : ''}:`,
    row('messages', q.messages, 'messagesPerDay'),
    row('tokens', q.tokens, 'tokensPerDay'),
    row('images', q.images, 'imagesPerDay'),
    row('audio seconds', q.audioSeconds, 'audioSecondsPerDay'),
    row('web searches', q.searches, 'searchesPerDay'),
    q.exceeded === null
      ? '  within quota'
      : `  over the ${q.exceeded} quota: the bot refuses until midnight UTC`,
  ];
}

export function changeLine<T>(result: UserChange<T>, key: string): string {
  return result.changed
    ? `${who(result.user)}: ${key} ${String(result.from)} -> ${String(result.to)}`
    : `${who(result.user)}: ${key} stays ${String(result.from)} (nothing changed)`;
}
