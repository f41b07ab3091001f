/**
 * The settings, history and privacy services on a real SQLite database and cache: the
 * refusals the bot's buttons rarely reach (bad values, foreign ids, stale tokens).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache } from '../../../src/adapters/cache/index.js';
import { zonesAt } from '../../../src/adapters/geo/zone-lookup.js';
import type { User } from '../../../src/domain/entities.js';
import type { Cache } from '../../../src/domain/ports/index.js';
import { createHistoryService } from '../../../src/services/history/index.js';
import { createPrivacyService } from '../../../src/services/privacy/index.js';
import { createSettingsService } from '../../../src/services/settings/index.js';
import { openTestDatabase, type TestDatabase } from '../../helpers/db.js';
import { waitFor } from '../../helpers/ports.js';

let db: TestDatabase;
let cache: Cache;
let nextId = 500;
const forgotten: number[] = [];
let titleCalls = 0;
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => silent };

beforeAll(async () => {
  db = await openTestDatabase('sqlite');
  cache = await createCache({ namespace: 'account-test' });
});
afterAll(async () => {
  await cache?.close();
  await db?.cleanup();
});

const newUser = () =>
  db.repos.users.upsertFromTelegram({
    telegramId: nextId++,
    username: null,
    firstName: 'T',
    lastName: null,
    languageCode: 'en',
    language: 'en',
  });
const settings = () =>
  createSettingsService({
    users: db.repos.users,
    access: { forget: async (id) => void forgotten.push(id) },
    cache,
    config: { model: 'gemini-flash-latest', models: ['gemini-2.5-pro'], personas: { pirate: 'Arr.' } },
    zonesAt,
  });

describe('settings service', () => {
  it('refuses values outside the lists and stores valid ones, dropping the cached user', async () => {
    const s = settings();
    const user = await newUser();
    expect(await s.setPersona(user, 'toString')).toBeNull();
    expect(await s.setDetailLevel(user, 'verbose')).toBeNull();
    expect(await s.setVoiceReplies(user, 'sometimes')).toBeNull();
    expect(await s.setModel(user, 'gemini-ultra')).toBeNull();
    expect(await s.setLanguage(user, 'de')).toBeNull();
    expect(await s.setTimezone(user, 'Nowhere/City')).toBeNull();
    expect(forgotten).not.toContain(user.telegramId);

    const changed = (await s.setModel(user, 'gemini-2.5-pro'))!;
    expect(changed.settings.model).toBe('gemini-2.5-pro');
    expect((await s.setModel(changed, 'gemini-flash-latest'))!.settings.model).toBeNull();
    expect((await s.setPersona(user, 'pirate'))!.settings.persona).toBe('pirate');
    expect(s.isBuiltinPersona('pirate')).toBe(false);
    expect(s.isBuiltinPersona('coder')).toBe(true);
    expect(forgotten).toContain(user.telegramId);
  });

  it('checks the prompt length and sets the zone from a location only when asked', async () => {
    const s = settings();
    const user = await newUser();
    expect(await s.setPrompt(user, '   ')).toEqual({ ok: false, reason: 'empty', length: 0 });
    expect(await s.setPrompt(user, 'x'.repeat(2001))).toEqual({
      ok: false,
      reason: 'too-long',
      length: 2001,
    });
    const set = await s.setPrompt(user, ` ${'y'.repeat(2000)} `);
    expect(set.ok && set.user.settings.customPrompt).toBe('y'.repeat(2000));

    expect(await s.locationShared(user, 48.85, 2.35)).toBeNull();
    await s.awaitLocation(user);
    expect((await s.locationShared(user, 48.85, 2.35))!.settings.timezone).toBe('Europe/Paris');
    expect(await s.locationShared(user, 48.85, 2.35)).toBeNull();
  });
});

describe('history and privacy services', () => {
  const history = () =>
    createHistoryService({
      conversations: db.repos.conversations,
      caller: {
        generate: async () => {
          titleCalls += 1;
          return { text: '', tokensIn: 0, tokensOut: 0, finishReason: null, model: 'm' };
        },
      },
      cache,
      log: silent,
      defaultModel: 'gemini-flash-latest',
      now: () => new Date(),
    });
  const keyOf = (user: User) => ({ userId: user.id, chatId: user.telegramId, threadId: null });

  it('touches only the owner conversations, and a rename waits per chat', async () => {
    const h = history();
    const owner = await newUser();
    const other = await newUser();
    const conv = await db.repos.conversations.getOrStart(keyOf(owner));
    expect(await h.details(other, conv.id)).toBeNull();
    expect(await h.remove(other, conv.id)).toBe(false);
    expect(await h.beginRename(other, other.telegramId, conv.id)).toBe(false);
    expect(await h.continueIn(other, keyOf(other), conv.id)).toBeNull();

    expect(await h.beginRename(owner, owner.telegramId, conv.id)).toBe(true);
    expect(await h.pendingRename(owner, 12345)).toBeNull();
    expect(await h.pendingRename(owner, owner.telegramId)).toBe(conv.id);
    expect(await h.rename(owner, conv.id, '  \n ')).toBeNull();
    expect(await h.pendingRename(owner, owner.telegramId)).toBeNull();
    expect(await h.rename(owner, conv.id, 'Trip')).toBe('Trip');

    // An empty model title leaves the conversation untitled.
    const next = await db.repos.conversations.start(keyOf(owner));
    await db.repos.conversations.appendMessage({ conversationId: next.id, role: 'user', content: 'q' });
    await db.repos.conversations.appendMessage({ conversationId: next.id, role: 'model', content: 'a' });
    h.titleAfterAnswer({ user: owner, conversationId: next.id, untitled: true });
    await waitFor(() => expect(titleCalls).toBe(1));
    h.titleAfterAnswer({ user: owner, conversationId: next.id, untitled: true }); // tried once already: no second call
    expect((await db.repos.conversations.getById(next.id))!.title).toBeNull();
    expect((await h.page(owner, keyOf(owner), -3)).page).toBe(0);
    expect(titleCalls).toBe(1);
  });

  it('confirms a forget only with the last token, and names a missing user', async () => {
    const privacy = createPrivacyService({ repos: db.repos, cache, now: () => new Date(), encrypted: false });
    const user = await newUser();
    const first = await privacy.requestForget(user);
    const second = await privacy.requestForget(user);
    expect(first).not.toBe(second);
    expect(await privacy.confirmForget(user, first)).toBeNull();
    await privacy.cancelForget(user);
    expect(await privacy.confirmForget(user, second)).toBeNull();
    const third = await privacy.requestForget(user);
    expect(await privacy.confirmForget(user, third)).toEqual({
      telegramId: user.telegramId,
      conversations: 0,
      messages: 0,
      usageDays: 0,
      payments: 0,
    });
    await expect(privacy.byTelegramId(user.telegramId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
