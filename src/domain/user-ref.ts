/**
 * How an operator names a user on the command line: a Telegram id ("123456789") or a username
 * ("@ann" or "ann"). One home for the syntax, so the CLI refuses a malformed one (exit 2,
 * USAGE) before anything opens the database, and the users service resolves the same forms.
 */
import { BotctlError } from './errors.js';

const TELEGRAM_ID = /^\d{1,16}$/;
const USERNAME = /^@?([A-Za-z][A-Za-z0-9_]{1,31})$/;

export type UserRef = { telegramId: number } | { username: string };

/** Parses a user reference; USAGE when it is neither form. */
export function parseUserRef(ref: string): UserRef {
  const text = ref.trim();
  if (TELEGRAM_ID.test(text) && Number(text) > 0) return { telegramId: Number(text) };
  const name = USERNAME.exec(text)?.[1];
  if (name) return { username: name };
  throw new BotctlError('USAGE', `"${ref}" is neither a Telegram id nor a @username`, {
    hint: 'e.g. 123456789 or @ann',
  });
}

/** Parses a Telegram user id (a positive integer); USAGE otherwise. */
export function parseTelegramId(ref: string): number {
  const text = ref.trim();
  if (TELEGRAM_ID.test(text) && Number(text) > 0) return Number(text);
  throw new BotctlError('USAGE', `"${ref}" is not a Telegram user id`, { hint: 'e.g. 123456789' });
}
