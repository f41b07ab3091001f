/**
 * A ban, unban or role change made by `botctl users` (another process) reaches the bot's
 * access service within USER_RECHECK_MS, whatever the cache: the service re-reads a cached
 * user's row that often, and still upserts (refreshing last-seen) every 5 minutes.
 * Real databases, the real memory and Redis caches, a controlled clock.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCache } from '../../../src/adapters/cache/index.js';
import type { Dialect, Cache } from '../../../src/domain/ports/index.js';
import { DEFAULT_QUOTAS } from '../../../src/domain/quota.js';
import { createAccessService, USER_RECHECK_MS } from '../../../src/services/access/index.js';
import { runCli } from '../../helpers/cli.js';
import { openTestDatabase, type TestDatabase } from '../../helpers/db.js';

const profile = { telegramId: 8101, username: 'mia', firstName: 'Mia', lastName: null, languageCode: 'en' };
const T0 = Date.parse('2025-06-01T12:00:00Z');

let db: TestDatabase;
let cache: Cache;
afterEach(async () => {
  await cache?.close();
  await db?.cleanup();
});

const cases: [Dialect, 'memory' | 'redis'][] = [
  ['sqlite', 'memory'],
  ['postgres', 'redis'],
];

/** A fresh database and cache (into the file's `db` and `cache`) and the access service over them. */
async function openAccess(dialect: Dialect, kind: 'memory' | 'redis', clock: () => number) {
  db = await openTestDatabase(dialect);
  const namespace = `botctl-test-${randomBytes(4).toString('hex')}`;
  cache = await createCache({ url: kind === 'redis' ? 'redis://127.0.0.1:6379' : undefined, namespace });
  return createAccessService({
    users: db.repos.users,
    usage: db.repos.usage,
    cache,
    config: {
      access: 'open',
      allowlist: [],
      admins: [],
      rateLimit: { burst: 100, perMinute: 100 },
      quotas: DEFAULT_QUOTAS,
    },
    now: () => new Date(clock()),
  });
}

describe.each(cases)('access service re-reads cached users (%s, %s cache)', (dialect, kind) => {
  it('applies a CLI ban within the recheck interval, then a fresh notice after unban and a new ban', async () => {
    let now = T0;
    const access = await openAccess(dialect, kind, () => now);
    expect(cache.kind).toBe(kind);
    const decide = async () => access.admit(await access.identify(profile));
    expect(await decide()).toMatchObject({ allowed: true });

    const env = {
      BOTCTL_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-ban-')),
      BOTCTL_DATABASE_URL: db.url,
    };
    const ban = await runCli(['users', 'ban', '@mia'], env);
    expect(ban.exitCode, ban.stderr).toBe(0);

    now = T0 + USER_RECHECK_MS - 1;
    expect(await decide(), 'inside the interval the cached copy still answers').toMatchObject({
      allowed: true,
    });
    now = T0 + USER_RECHECK_MS;
    expect(await decide()).toMatchObject({ allowed: false, reason: 'banned', firstNotice: true });
    expect(await decide()).toMatchObject({ allowed: false, reason: 'banned', firstNotice: false });

    await db.repos.users.setStatus((await db.repos.users.getByTelegramId(8101))!.id, 'active');
    now += USER_RECHECK_MS;
    expect(await decide()).toMatchObject({ allowed: true });
    await db.repos.users.setStatus((await db.repos.users.getByTelegramId(8101))!.id, 'banned');
    now += USER_RECHECK_MS;
    expect(await decide(), 'a new ban gives a new notice').toMatchObject({
      reason: 'banned',
      firstNotice: true,
    });
  }, 120_000);

  it('picks up a role change, and still refreshes last-seen every 5 minutes', async () => {
    let now = T0;
    const access = await openAccess(dialect, kind, () => now);
    const first = await access.identify(profile);
    await db.repos.users.setRole(first.id, 'premium');
    now = T0 + USER_RECHECK_MS;
    expect((await access.identify(profile)).role).toBe('premium');
    now = T0 + 2 * USER_RECHECK_MS;
    expect((await access.identify(profile)).lastSeenAt, 'rechecks only read').toEqual(new Date(T0));
    now = T0 + 5 * 60_000;
    const refreshed = await access.identify(profile);
    expect(refreshed.lastSeenAt).toEqual(new Date(now));
    expect((await db.repos.users.getByTelegramId(8101))?.lastSeenAt).toEqual(new Date(now));
  }, 120_000);
});

describe.each(cases)("paid premium ends on the user's next message (%s, %s cache)", (dialect, kind) => {
  it('a cached premium user past the end is the user role at once, with the user quota; admins stay', async () => {
    let now = T0;
    const access = await openAccess(dialect, kind, () => now);
    const user = await access.identify(profile);
    await db.repos.users.setPremium(user.id, { role: 'premium', premiumUntil: new Date(T0 + 60_000) });
    await access.forget(profile.telegramId);
    now = T0 + 50_000;
    expect((await access.identify(profile)).role).toBe('premium');
    // Cached 11 s ago, well inside the recheck interval: the end passing still settles it, no sweep needed.
    now = T0 + 61_000;
    const after = await access.identify(profile);
    expect(after).toMatchObject({ role: 'user', premiumUntil: null });
    expect((await db.repos.users.getById(user.id))?.role).toBe('user');

    await db.repos.users.setPremium(user.id, { role: 'admin', premiumUntil: new Date(T0) });
    await access.forget(profile.telegramId);
    expect((await access.identify(profile)).role).toBe('admin');
  });
});
