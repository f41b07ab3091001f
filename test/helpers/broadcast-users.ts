/** Users for broadcast tests and benchmarks: seeded through the real repositories. */
import type { Role, User, UserStatus } from '../../src/domain/entities.js';
import type { Repositories } from '../../src/domain/ports/index.js';

export interface SeedUser {
  telegramId: number;
  /** Telegram language_code and the user's language (default en). */
  language?: string;
  role?: Role;
  status?: UserStatus;
  /** Last seen this many days before now (default 0). */
  lastSeenDaysAgo?: number;
}

export async function seedUsers(
  repos: Repositories,
  seeds: readonly SeedUser[],
  now = Date.now(),
): Promise<User[]> {
  const out: User[] = [];
  for (const seed of seeds) {
    let user = await repos.users.upsertFromTelegram(
      {
        telegramId: seed.telegramId,
        username: null,
        firstName: `User ${seed.telegramId}`,
        lastName: null,
        languageCode: seed.language ?? 'en',
        language: seed.language ?? 'en',
      },
      new Date(now - (seed.lastSeenDaysAgo ?? 0) * 86_400_000),
    );
    if (seed.role !== undefined && seed.role !== 'user') user = await repos.users.setRole(user.id, seed.role);
    if (seed.status !== undefined && seed.status !== 'active')
      user = await repos.users.setStatus(user.id, seed.status);
    out.push(user);
  }
  return out;
}

/** n plain active users with telegram ids base+1 .. base+n. */
export function plainUsers(n: number, base: number): SeedUser[] {
  return Array.from({ length: n }, (_, i) => ({ telegramId: base + i + 1 }));
}

/** How many times each chat got a message (text or caption) from the bot. */
export function sendsPerChat(
  sent: ReadonlyArray<{ chatId: number | string; fromBot: boolean }>,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of sent) {
    if (!message.fromBot) continue;
    const key = String(message.chatId);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** A mixed audience: languages, roles, activity and the two statuses that are never sent to. */
export const MIXED_AUDIENCE: readonly SeedUser[] = [
  { telegramId: 9001, language: 'en' },
  { telegramId: 9002, language: 'en', lastSeenDaysAgo: 40 },
  { telegramId: 9003, language: 'ru' },
  { telegramId: 9004, language: 'ru', role: 'premium', lastSeenDaysAgo: 10 },
  { telegramId: 9005, language: 'en', role: 'admin' },
  { telegramId: 9006, language: 'ru', status: 'blocked' },
  { telegramId: 9007, language: 'en', status: 'banned' },
];
