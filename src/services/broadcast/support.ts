/** Small helpers of the broadcast service: ids, an abortable sleep, skipped users. */
import type { UserStatus } from '../../domain/entities.js';
import type { UserRepository } from '../../domain/ports/index.js';

/** b-<UTC yyyymmdd-hhmmss>-<4 base-36 chars>: sortable by creation, readable in cron logs. */
export function newBroadcastId(at: number, random: () => number): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `b-${stamp}-${suffix}`;
}

/** setTimeout as a promise that an abort ends early (a 429 pause must not outlive Ctrl-C). */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Users who blocked the bot or were banned since the audience was taken: not sent to. */
export async function inactiveUsers(users: Pick<UserRepository, 'list'>): Promise<Map<number, UserStatus>> {
  const found = new Map<number, UserStatus>();
  for (const status of ['blocked', 'banned'] as const) {
    for (const user of await users.list({ status })) found.set(user.id, status);
  }
  return found;
}
