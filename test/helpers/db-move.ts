/**
 * For `db move` tests: a seeded database with a row in every table (encrypted fields sealed under
 * a test key), and dumps of every table read through fresh connections, JSON columns parsed (jsonb
 * keeps its own key order), so two databases of one dialect compare row for row.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { moveTableNames } from '../../src/adapters/db/move/tables.js';
import { createFieldCipher } from '../../src/adapters/system/cipher.js';
import type { Dialect, Repositories } from '../../src/domain/ports/index.js';
import { readRows } from './backup.js';
import { openTestDatabase, type Row, type TestDatabase } from './db.js';

export const TEST_KEY = randomBytes(32);
export const sealing = () => createFieldCipher([{ id: 'k1', key: TEST_KEY }]);

/**
 * Databases (sealing under TEST_KEY) and temp dirs for one test file, all removed after each
 * test. Call at the top of the file: it registers the afterEach.
 */
export function moveFixtures() {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    async database(dialect: Dialect, migrate = true): Promise<TestDatabase> {
      const db = await openTestDatabase(dialect, { cipher: sealing(), migrate });
      cleanups.push(() => db.cleanup());
      return db;
    },
    tempDir(): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-move-'));
      cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
  };
}

/** Primary key columns per table, for ordered dumps. */
const ORDER: Record<string, string> = {
  daily_usage: 'user_id, day',
  daily_errors: 'day, code',
  deliveries: 'broadcast_id, user_id',
  broadcasts: 'id',
  update_inbox: 'update_id',
  telegram_flood: 'bot_id',
};
const JSON_COLUMNS = new Set(['audience', 'scopes', 'details']);

export async function dump(dialect: Dialect, url: string): Promise<Record<string, Row[]>> {
  const tables: Record<string, Row[]> = {};
  for (const table of moveTableNames(dialect)) {
    const rows = await readRows(dialect, url, `select * from ${table} order by ${ORDER[table] ?? 'id'}`);
    tables[table] = rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [
          k,
          JSON_COLUMNS.has(k) && typeof v === 'string' ? JSON.parse(v) : v,
        ]),
      ),
    );
  }
  return tables;
}

/** A row in every table: users, conversations, sealed messages, audio, usage, broadcasts, inbox, keys, audit. */
export async function seedEveryTable(repos: Repositories): Promise<{ messageIds: number[] }> {
  const at = new Date('2026-03-01T10:00:00.123Z');
  const ann = await repos.users.upsertFromTelegram(
    {
      telegramId: 1001,
      username: 'ann',
      firstName: 'Ann',
      lastName: 'Lee',
      languageCode: 'en',
      language: 'en',
    },
    at,
  );
  const bob = await repos.users.upsertFromTelegram(
    {
      telegramId: 1002,
      username: null,
      firstName: 'Боб',
      lastName: null,
      languageCode: 'ru',
      language: 'ru',
    },
    at,
  );
  await repos.users.updateSettings(ann.id, { customPrompt: 'be brief' });
  const conversation = await repos.conversations.start({ userId: ann.id, chatId: 1001, threadId: null }, at);
  const messageIds: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const message = await repos.conversations.appendMessage({
      conversationId: conversation.id,
      role: i % 2 === 0 ? 'user' : 'model',
      content: `secret message ${i} ✓`,
      tokensIn: i,
      tokensOut: 2 * i,
      model: i % 2 === 0 ? null : 'gemini-test',
      latencyMs: i % 2 === 0 ? null : 120 + i,
      telegramMessageId: 500 + i,
      createdAt: new Date(at.getTime() + i * 1000),
    });
    messageIds.push(message.id);
  }
  // A deleted last message: its id must never come back after the move.
  await repos.conversations.deleteMessage(messageIds.pop() as number);
  await repos.conversations.markDelivered(messageIds[1] as number, new Date(at.getTime() + 5_000));
  await repos.conversations.setSummary(conversation.id, 'a summary', messageIds[1] as number);
  await repos.audioFiles.add({
    messageId: messageIds[0] as number,
    fileId: 'file-1',
    fileUniqueId: 'uniq-1',
    durationSec: 7,
    mime: 'audio/ogg',
    size: 4096,
    storedPath: null,
    createdAt: at,
  });
  await repos.usage.increment(ann.id, '2026-03-01', {
    messages: 3,
    tokensIn: 10,
    tokensOut: 20,
    audioSeconds: 7,
  });
  await repos.usage.increment(bob.id, '2026-02-28', { messages: 1, images: 1 });
  await repos.stats.recordError('2026-02-28', 'GEMINI_UNAVAILABLE');
  await repos.stats.recordError('2026-02-28', 'GEMINI_UNAVAILABLE');
  await repos.stats.recordError('2026-03-01', 'INTERNAL');
  await repos.broadcasts.create({
    id: 'bc-ü1',
    text: 'hello everyone',
    parseMode: 'HTML',
    photo: null,
    audience: { language: 'en', activeWithinDays: 30 },
    ratePerSecond: 20,
    now: at,
  });
  await repos.broadcasts.create({
    id: 'BC-0',
    text: 'second',
    parseMode: null,
    photo: 'photo-id',
    audience: {},
    ratePerSecond: 5,
    now: at,
  });
  await repos.broadcasts.enqueueRecipients('bc-ü1', [ann.id, bob.id]);
  await repos.broadcasts.markDelivery('bc-ü1', ann.id, 'sent', { now: at });
  await repos.updates.record(
    { updateId: 90001, chatKey: '1001', fromId: 1001, payload: '{"update_id":90001}' },
    at,
  );
  await repos.updates.record(
    { updateId: 90002, chatKey: '1002', fromId: null, payload: '{}', rejected: 'NO_CHAT' },
    at,
  );
  await repos.updates.markDone(90001, at);
  const key = await repos.apiKeys.create({
    name: 'ops',
    hash: 'h'.repeat(64),
    scopes: ['read', 'write'],
    now: at,
  });
  await repos.apiKeys.revoke(key.id, at);
  await repos.audit.record({
    actor: 'cli',
    action: 'users.ban',
    target: String(bob.id),
    details: { z: 1, a: [1, 'two'] },
    at,
  });
  await repos.flood.extend(123456, new Date(at.getTime() + 60_000));
  // A Stars payment and the premium end it set on the user.
  await repos.payments.record(
    {
      chargeId: 'stxMove1',
      userId: bob.id,
      amount: 75,
      currency: 'XTR',
      payload: 'premium:v1:1002:75:30',
      periodDays: 30,
    },
    () => ({ role: 'premium', premiumUntil: new Date(at.getTime() + 30 * 86_400_000) }),
    at,
  );
  // One link opened into a session, one never opened.
  await repos.adminSessions.createLink({
    role: 'owner',
    linkHash: 'l'.repeat(64),
    linkExpiresAt: new Date(at.getTime() + 600_000),
    createdBy: 'user:1001',
    now: at,
  });
  await repos.adminSessions.redeem({
    linkHash: 'l'.repeat(64),
    sessionHash: 's'.repeat(64),
    expiresAt: new Date(at.getTime() + 1_800_000),
    address: '203.0.113.5',
    now: at,
  });
  await repos.adminSessions.createLink({
    role: 'viewer',
    linkHash: 'm'.repeat(64),
    linkExpiresAt: new Date(at.getTime() + 600_000),
    createdBy: 'cli',
    now: at,
  });
  await repos.outbox.enqueue(
    [
      {
        eventId: 'ev-1',
        endpoint: 'crm',
        type: 'user.created',
        occurredAt: at,
        body: '{"id":"ev-1"}',
        telegramId: 1001,
      },
      { eventId: 'ev-2', endpoint: 'crm', type: 'backup.finished', occurredAt: at, body: '{"id":"ev-2"}' },
    ],
    at,
  );
  return { messageIds };
}
