/**
 * Data rights on SQLite and PostgreSQL, in English and Russian: /privacy, /export (exactly
 * one user's data, as JSON and Markdown), /forget (confirmation, expiry, then no row of the
 * user left in any table, their group messages in the update inbox included), /usage, and the operator's `botctl users export|forget` as processes.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFieldCipher } from '../../src/adapters/system/cipher.js';
import { parseEncryptionKeys } from '../../src/domain/encryption-keys.js';
import { USERS_EXPORT_SHAPE, USERS_FORGET_SHAPE } from '../../src/cli/export-shape.js';
import { shapeErrors } from '../../src/cli/json-shape.js';
import type { Repositories } from '../../src/domain/ports/index.js';
import { formatInZone } from '../../src/domain/quota.js';
import type { UserExport } from '../../src/domain/transcript.js';
import { createCache } from '../../src/adapters/cache/index.js';
import { cacheNamespace } from '../../src/app/cache-namespace.js';
import { accessCacheKeys } from '../../src/services/access/index.js';
import { startHarness, TEST_TOKEN, type Harness } from '../helpers/bot-harness.js';
import { buttonsOf, chatter, handled, type Chatter } from '../helpers/chat-ui.js';
import { parseEnvelope, runCli } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';

let nextChat = 92_000;
const REDIS_URL = 'redis://127.0.0.1:6379';

describe.each(DIALECTS)('data rights on %s', (dialect) => {
  let h: Harness;
  /** The database as the daemon sees it: with the keys when they are set. */
  let repos: Repositories;
  const encryptionKeys = dialect === 'postgres' ? `k1:${randomBytes(32).toString('base64')}` : undefined;

  beforeAll(async () => {
    h = await startHarness({
      dialect,
      env: {
        BOTCTL_RATE_LIMIT: '{"burst":100,"perMinute":1000}',
        BOTCTL_QUOTAS: '{"user":{"messagesPerDay":50,"tokensPerDay":0}}',
        BOTCTL_REDIS_URL: REDIS_URL,
        // Events about users (user.created, message.answered) are theirs too: /forget deletes them.
        // Nothing listens on the discard port: the events stay in the outbox.
        BOTCTL_EVENT_WEBHOOKS: '[{"url":"http://127.0.0.1:9/hook","secret":"privacy-test-secret-0123"}]',
        ...(encryptionKeys ? { BOTCTL_ENCRYPTION_KEYS: encryptionKeys } : {}),
      },
    });
    repos = encryptionKeys
      ? (await h.db.reopen(createFieldCipher(parseEncryptionKeys(encryptionKeys)))).repos
      : h.db.repos;
  });
  afterAll(async () => h?.close());

  const userOf = async (c: Chatter) => repos.users.getByTelegramId(c.chatId);
  async function documents(c: Chatter): Promise<{ name: string; text: string }[]> {
    return h.telegram
      .messages(c.chatId)
      .filter((m) => m.fromBot && 'document' in m.message)
      .map((m) => {
        const doc = (m.message as { document: { file_id: string; file_name?: string } }).document;
        return { name: doc.file_name ?? '', text: h.telegram.file(doc.file_id)!.bytes.toString('utf8') };
      });
  }

  it('/privacy says what is stored and whether it is encrypted, in both languages', async () => {
    const en = chatter(h, nextChat++, 'en');
    const ru = chatter(h, nextChat++, 'ru');
    await en.command('privacy');
    await ru.command('privacy');
    expect(en.lastText()).toContain('Google Gemini');
    expect(ru.lastText()).toContain('Google Gemini');
    if (encryptionKeys) {
      expect(en.lastText()).toContain('stored encrypted (AES-256-GCM)');
      expect(ru.lastText()).toContain('хранятся зашифрованными');
    } else {
      expect(en.lastText()).toContain('stored unencrypted');
      expect(ru.lastText()).toContain('хранятся незашифрованными');
    }
  });

  it('/usage shows today against the quota and the reset in the user time zone', async () => {
    const c = chatter(h, nextChat++, 'ru');
    await c.command('timezone', 'Asia/Tokyo');
    await c.say('раз');
    await c.say('два');
    await c.command('usage');
    expect(c.lastText()).toMatch(/Сообщения: 2 из 50/);
    expect(c.lastText()).toMatch(/Токены: \d+ \(без лимита\)/);
    expect(c.lastText()).toContain('(Asia/Tokyo)');
    expect(c.lastText()).toContain('09:00');
  });

  it('/export sends exactly this user data as JSON and a Markdown transcript', async () => {
    const ann = chatter(h, nextChat++, 'en');
    const boris = chatter(h, nextChat++, 'ru');
    await ann.command('prompt', 'set Call me Ann.');
    await ann.say('ann-secret-apple');
    await boris.say('boris-secret-pear');
    await ann.command('new');
    await ann.say('ann second topic');
    const annRows = await seedExportRows(repos, ann, 'ann');
    const borisRows = await seedExportRows(repos, boris, 'boris');
    await ann.command('export');
    await boris.command('export');

    const [json, markdown] = await documents(ann);
    expect(json!.name).toBe(`botctl-export-${ann.chatId}.json`);
    const data = JSON.parse(json!.text) as UserExport;
    expect(data.profile.telegramId).toBe(ann.chatId);
    expect(data.settings.customPrompt).toBe('Call me Ann.');
    expect(data.conversations).toHaveLength(2);
    expect(data.conversations.flatMap((c) => c.messages.map((m) => m.content))).toEqual([
      'ann-secret-apple',
      'Echo: ann-secret-apple',
      'ann second topic',
      'Echo: ann second topic',
    ]);
    expect(data.usage[0]!.messages).toBe(2);
    expect(data.deliveries).toEqual(annRows.deliveries);
    expect(data.audio).toEqual(annRows.audio);
    // Telegram's file handles and the server's path stay out; nothing of Boris gets in.
    for (const handle of ['file-ann', 'unique-ann', 'audio/ann']) expect(json!.text).not.toContain(handle);
    expect(json!.text).not.toContain('boris');
    expect(markdown!.name).toBe(`botctl-export-${ann.chatId}.md`);
    expect(markdown!.text).toContain('# Your data');
    expect(markdown!.text).toMatch(/\*\*You\*\* \([^)]+\):\n\nann-secret-apple/);
    const inUtc = (iso: string, language: string) => formatInZone(new Date(iso), 'UTC', language);
    expect(markdown!.text).toContain(transcriptSections(annRows, 'en', (iso) => inUtc(iso, 'en')));
    expect(markdown!.text).not.toContain('boris');

    const [borisJson, borisMarkdown] = await documents(boris);
    expect(borisJson!.text).toContain('boris-secret-pear');
    expect(borisJson!.text).not.toContain('ann-secret');
    const borisData = JSON.parse(borisJson!.text) as UserExport;
    expect(borisData.deliveries).toEqual(borisRows.deliveries);
    expect(borisData.audio).toEqual(borisRows.audio);
    expect(borisJson!.text).not.toContain('-ann-');
    expect(borisMarkdown!.text).toContain('# Ваши данные');
    expect(borisMarkdown!.text).toContain('**Вы**');
    expect(borisMarkdown!.text).toContain(transcriptSections(borisRows, 'ru', (iso) => inUtc(iso, 'ru')));
  });

  it('/forget asks first, honours cancel and expiry, then leaves no row of the user in any table', async () => {
    // Russian on one database, English on the other.
    const t = dialect === 'sqlite' ? FORGET.ru : FORGET.en;
    const gone = chatter(h, nextChat++, t.lang);
    const kept = chatter(h, nextChat++, 'en');
    for (const c of [gone, kept]) await c.say(`hello from ${c.chatId}`);
    // Both also talk in a group (the bot stays quiet there, but the inbox records every update).
    const group = -100_000 - nextChat++;
    const inGroup = async (c: Chatter, text: string, threadId?: number) => {
      const input = { chatId: group, chatType: 'supergroup' as const, userId: c.chatId, text };
      const update = h.telegram.pushUpdate(
        h.telegram.updates.text(threadId ? { ...input, threadId } : input),
      );
      await handled(h, update.update_id);
    };
    await inGroup(gone, 'my secret group message');
    await inGroup(gone, 'and one in a topic', 7);
    await inGroup(kept, 'hello group');
    const groupInbox = async () =>
      (
        await h.db.raw(
          'select chat_key, from_id from update_inbox where chat_key like ? order by update_id',
          [`${group}%`],
        )
      ).map((r) => [String(r.chat_key), Number(r.from_id)]);
    expect(await groupInbox()).toEqual([
      [String(group), gone.chatId],
      [`${group}:7`, gone.chatId],
      [String(group), kept.chatId],
    ]);
    const seeded = { gone: await seedExtras(h, repos, gone), kept: await seedExtras(h, repos, kept) };
    expect(Object.values(await rowsOf(h, seeded.gone)).every((n) => n > 0)).toBe(true);

    await gone.command('forget');
    expect(gone.lastText()).toContain('/export');
    await gone.press(t.cancel);
    expect(gone.lastText()).toBe(t.cancelled);
    await gone.command('forget');
    const first = gone.keyboardMessage();
    await gone.command('forget');
    const yes = buttonsOf(first).find((b) => b.text === t.yes)!;
    expect((await gone.callback(yes.callback_data, first.messageId)).notice).toMatch(t.expired);
    expect((await gone.callback('forget:yes:NOPE!', first.messageId)).notice).toMatch(t.stale);
    expect(await userOf(gone)).not.toBeNull();

    await gone.press(t.yes);
    expect(gone.lastText()).toMatch(t.done);
    expect(await rowsOf(h, seeded.gone)).toEqual(
      Object.fromEntries(Object.keys(await rowsOf(h, seeded.gone)).map((k) => [k, 0])),
    );
    expect(Object.values(await rowsOf(h, seeded.kept)).every((n) => n > 0)).toBe(true);
    expect(await groupInbox(), "the other member's group message stays").toEqual([
      [String(group), kept.chatId],
    ]);

    // Writing again starts afresh, as a new user.
    await gone.say('I am back');
    expect((await repos.conversations.listByUser((await userOf(gone))!.id)).length).toBe(1);
  });

  // CLI processes: generous under a loaded CI machine.
  it(
    'botctl users export and forget work as processes against the live database',
    { timeout: 180_000 },
    async () => {
      const c = chatter(h, nextChat++, 'en');
      await c.say('cli-visible-question');
      const rows = await seedExportRows(repos, c, 'cli');
      const dataDir = fs.mkdtempSync(path.join(h.dataDir, 'cli-'));
      const env = {
        BOTCTL_DATA_DIR: dataDir,
        BOTCTL_DATABASE_URL: h.db.url,
        BOTCTL_TELEGRAM_TOKEN: TEST_TOKEN,
        BOTCTL_REDIS_URL: REDIS_URL,
        // Events about users (user.created, message.answered) are theirs too: /forget deletes them.
        // Nothing listens on the discard port: the events stay in the outbox.
        BOTCTL_EVENT_WEBHOOKS: '[{"url":"http://127.0.0.1:9/hook","secret":"privacy-test-secret-0123"}]',
        ...(encryptionKeys ? { BOTCTL_ENCRYPTION_KEYS: encryptionKeys } : {}),
      };
      const tid = String(c.chatId);

      // Read-only runs side by side: the machine's load, not botctl, sets their pace.
      const file = path.join(dataDir, 'user.md');
      const [json, md, refused] = await Promise.all([
        runCli(['users', 'export', tid, '--json'], env),
        runCli(['users', 'export', tid, '--markdown', '--output', file], env),
        runCli(['users', 'forget', tid, '--json'], env),
      ]);
      expect(json.exitCode, json.stdout + json.stderr).toBe(0);
      const result = parseEnvelope(json.stdout).result as { messages: number; data: UserExport };
      expect(shapeErrors(result, USERS_EXPORT_SHAPE)).toEqual([]);
      expect(result.messages).toBe(2);
      expect(result.data.conversations[0]!.messages[0]!.content).toBe('cli-visible-question');
      expect(result.data.deliveries).toEqual(rows.deliveries);
      expect(result.data.audio).toEqual(rows.audio);

      expect(md.exitCode, md.stderr).toBe(0);
      expect(md.stdout).toContain(`Wrote 1 conversations and 2 messages of user ${tid} to ${file}`);
      expect(fs.readFileSync(file, 'utf8')).toContain('cli-visible-question');
      // English labels from en.ftl, instants as ISO.
      expect(fs.readFileSync(file, 'utf8')).toContain(transcriptSections(rows, 'en', (iso) => iso));
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);

      expect(refused.exitCode).toBe(2);
      expect(parseEnvelope(refused.stdout).error?.code).toBe('USAGE');
      expect(await userOf(c)).not.toBeNull();

      // The daemon's shared cache holds the user; forgetting must clear the daemon's keys.
      const daemonCache = await createCache({
        url: REDIS_URL,
        namespace: cacheNamespace(TEST_TOKEN, h.db.url),
        cipher: createFieldCipher(encryptionKeys ? parseEncryptionKeys(encryptionKeys) : []),
      });
      const [userKey] = accessCacheKeys(c.chatId);
      expect(await daemonCache.get(userKey!)).toBeDefined();

      const forgot = await runCli(['users', 'forget', tid, '--yes', '--json'], env);
      expect(forgot.exitCode, forgot.stdout + forgot.stderr).toBe(0);
      const report = parseEnvelope(forgot.stdout).result;
      expect(shapeErrors(report, USERS_FORGET_SHAPE)).toEqual([]);
      expect(report).toEqual({
        telegramId: c.chatId,
        conversations: 1,
        messages: 2,
        usageDays: 1,
        payments: 0,
      });
      expect(await userOf(c)).toBeNull();
      expect(await daemonCache.get(userKey!)).toBeUndefined();
      await daemonCache.close();

      const missing = await runCli(['users', 'export', tid, '--json'], env);
      expect(missing.exitCode).toBe(1);
      expect(parseEnvelope(missing.stdout).error?.code).toBe('NOT_FOUND');
    },
  );
});

const FORGET = {
  en: {
    lang: 'en',
    cancel: 'Cancel',
    cancelled: 'Nothing was deleted.',
    yes: 'Delete everything',
    expired: /expired/,
    stale: /no longer valid/,
    done: /^Done: your data is deleted \(1 conversation, 2 messages\)/,
  },
  ru: {
    lang: 'ru',
    cancel: 'Отмена',
    cancelled: 'Ничего не удалено.',
    yes: 'Удалить всё',
    expired: /истёк/,
    stale: /больше не действует/,
    done: /^Готово: ваши данные удалены \(разговоров: 1, сообщений: 2\)/,
  },
} as const;

interface Seeded {
  telegramId: number;
  userId: number;
  conversationIds: number[];
  messageIds: number[];
}

/** Rows the bot alone would not create: an audio record and a broadcast delivery. */
async function seedExtras(h: Harness, repos: Repositories, c: Chatter): Promise<Seeded> {
  const user = (await repos.users.getByTelegramId(c.chatId))!;
  const conversations = await repos.conversations.listByUser(user.id);
  const messages = await repos.conversations.messagesAfter(conversations[0]!.id, 0, 100);
  await h.db.raw(
    'insert into audio_files (message_id, file_id, file_unique_id, duration_sec, created_at) values (?, ?, ?, ?, ?)',
    [messages[0]!.id, `f${user.id}`, `u${user.id}`, 3, h.db.dialect === 'sqlite' ? Date.now() : new Date()],
  );
  const broadcast = `b-${user.id}`;
  await repos.broadcasts.create({
    id: broadcast,
    text: 'hi',
    parseMode: null,
    photo: null,
    audience: {},
    ratePerSecond: 10,
  });
  await repos.broadcasts.enqueueRecipients(broadcast, [user.id]);
  await repos.payments.record(
    {
      chargeId: `stx-${user.id}`,
      userId: user.id,
      amount: 50,
      currency: 'XTR',
      payload: `premium:v1:${c.chatId}:50:30`,
      periodDays: 30,
    },
    () => ({ role: 'premium', premiumUntil: new Date(Date.now() + 30 * 86_400_000) }),
  );
  return {
    telegramId: c.chatId,
    userId: user.id,
    conversationIds: conversations.map((conv) => conv.id),
    messageIds: messages.map((m) => m.id),
  };
}

// Tables that hold no rows about a chatter; any other table must be listed in rowsOf.
// telegram_flood: the bot's id and the end of its flood wait, about no user. admin_sessions: the
// operators' panel sign-ins, kept with the audit log they belong to. daily_errors: counts per day
// and error code, no user id and no text.
const NOT_PERSONAL = new Set([
  'broadcasts',
  'api_keys',
  'audit_log',
  'admin_sessions',
  'botctl_migrations',
  'daily_errors',
  'telegram_flood',
]);

/** Rows about one user in every table of the database; fails on a table it does not know. */
async function rowsOf(h: Harness, s: Seeded): Promise<Record<string, number>> {
  const list = (ids: number[]) => ids.map(() => '?').join(', ');
  const where: Record<string, [string, unknown[]]> = {
    users: ['telegram_id = ?', [s.telegramId]],
    conversations: ['user_id = ?', [s.userId]],
    messages: [`conversation_id in (${list(s.conversationIds)})`, s.conversationIds],
    audio_files: [`message_id in (${list(s.messageIds)})`, s.messageIds],
    daily_usage: ['user_id = ?', [s.userId]],
    deliveries: ['user_id = ?', [s.userId]],
    payments: ['user_id = ?', [s.userId]],
    event_outbox: ['telegram_id = ?', [s.telegramId]],
    update_inbox: [
      'from_id = ? or chat_key = ? or chat_key like ? or chat_key = ?',
      [s.telegramId, String(s.telegramId), `${s.telegramId}:%`, `user:${s.telegramId}`],
    ],
  };
  const tables =
    h.db.dialect === 'sqlite'
      ? await h.db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      : await h.db.raw(
          "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
        );
  const counts: Record<string, number> = {};
  for (const { name } of tables as { name: string }[]) {
    if (NOT_PERSONAL.has(name)) continue;
    const clause = where[name];
    if (!clause) throw new Error(`table ${name} may hold personal data: teach rowsOf (and /forget) about it`);
    const [row] = await h.db.raw(`select count(*) as n from ${name} where ${clause[0]}`, clause[1]);
    counts[name] = Number(row!.n);
  }
  return counts;
}

interface ExportRows {
  deliveries: UserExport['deliveries'];
  audio: UserExport['audio'];
}

/**
 * Two broadcast deliveries (one sent, one blocked) and two audio records (one with a kept copy)
 * for the chatter, each value tagged so another user's export can be searched for it.
 */
async function seedExportRows(repos: Repositories, c: Chatter, tag: string): Promise<ExportRows> {
  const user = (await repos.users.getByTelegramId(c.chatId))!;
  const said = [];
  for (const conversation of await repos.conversations.listByUser(user.id)) {
    const messages = await repos.conversations.messagesAfter(conversation.id, 0, 100);
    said.push(...messages.filter((m) => m.role === 'user'));
  }
  said.sort((a, b) => a.id - b.id);
  const [news, promo] = [`news-${tag}-${c.chatId}`, `promo-${tag}-${c.chatId}`];
  // Created out of order: the export lists the older broadcast first.
  for (const [id, at] of [
    [promo, '2025-03-02T08:00:00Z'],
    [news, '2025-03-01T08:00:00Z'],
  ] as const) {
    await repos.broadcasts.create({
      id,
      text: 'hi',
      parseMode: null,
      photo: null,
      audience: {},
      ratePerSecond: 10,
      now: new Date(at),
    });
    await repos.broadcasts.enqueueRecipients(id, [user.id]);
  }
  await repos.broadcasts.markDelivery(news, user.id, 'sending');
  await repos.broadcasts.markDelivery(news, user.id, 'sent', { now: new Date('2025-03-01T09:30:00Z') });
  await repos.broadcasts.markDelivery(promo, user.id, 'blocked', {
    error: `Forbidden: bot was blocked by the user (${tag})`,
  });
  const [first, last] = [said[0]!, said.at(-1)!];
  await repos.audioFiles.add({
    messageId: first.id,
    fileId: `file-${tag}-1`,
    fileUniqueId: `unique-${tag}-1`,
    durationSec: 12,
    mime: 'audio/ogg',
    size: 20_480,
    storedPath: null,
    createdAt: new Date('2025-03-03T10:00:00Z'),
  });
  await repos.audioFiles.add({
    messageId: last.id,
    fileId: `file-${tag}-2`,
    fileUniqueId: `unique-${tag}-2`,
    durationSec: 5,
    mime: null,
    size: null,
    storedPath: `audio/${tag}-2.ogg`,
    createdAt: new Date('2025-03-04T10:00:00Z'),
  });
  return {
    deliveries: [
      { broadcastId: news, status: 'sent', attempts: 1, error: null, sentAt: '2025-03-01T09:30:00.000Z' },
      {
        broadcastId: promo,
        status: 'blocked',
        attempts: 1,
        error: `Forbidden: bot was blocked by the user (${tag})`,
        sentAt: null,
      },
    ],
    audio: [
      {
        messageId: first.id,
        durationSec: 12,
        mime: 'audio/ogg',
        size: 20_480,
        copyKept: false,
        createdAt: '2025-03-03T10:00:00.000Z',
      },
      {
        messageId: last.id,
        durationSec: 5,
        mime: null,
        size: null,
        copyKept: true,
        createdAt: '2025-03-04T10:00:00.000Z',
      },
    ],
  };
}

const SECTION_LABELS = {
  en: { deliveries: 'Broadcasts sent to you', audio: 'Voice and audio messages', none: 'none' },
  ru: { deliveries: 'Рассылки, отправленные вам', audio: 'Голосовые и аудиосообщения', none: 'нет' },
} as const;

/** The Markdown the export must hold for seedExportRows' rows, in the reader's language. */
function transcriptSections(rows: ExportRows, language: 'en' | 'ru', date: (iso: string) => string): string {
  const label = SECTION_LABELS[language];
  const [sent, blocked] = rows.deliveries;
  const [kept, notKept] = [rows.audio[1]!, rows.audio[0]!];
  return [
    `## ${label.deliveries}`,
    '',
    `- broadcastId: ${sent!.broadcastId}, status: sent, attempts: 1, error: ${label.none}, sentAt: ${date('2025-03-01T09:30:00.000Z')}`,
    `- broadcastId: ${blocked!.broadcastId}, status: blocked, attempts: 1, error: ${blocked!.error}, sentAt: ${label.none}`,
    '',
    `## ${label.audio}`,
    '',
    `- messageId: ${notKept.messageId}, durationSec: 12, mime: audio/ogg, size: 20480, copyKept: false, createdAt: ${date('2025-03-03T10:00:00.000Z')}`,
    `- messageId: ${kept.messageId}, durationSec: 5, mime: ${label.none}, size: ${label.none}, copyKept: true, createdAt: ${date('2025-03-04T10:00:00.000Z')}`,
    '',
    '## ',
  ].join('\n');
}
