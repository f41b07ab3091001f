/**
 * Encryption at rest leaves no plaintext copy: with `encryptionKeys` and Redis set, a chatter's
 * own prompt, messages, the answer, the conversation title (written by the model from the
 * messages) and an inline query are looked for, byte for byte, in the database (SQLite file and
 * WAL; every row of every Postgres table), in every Redis key and value, and in a backup taken by
 * `botctl backup create`. None may be found; the daemon still reads them back.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFieldCipher } from '../../src/adapters/system/cipher.js';
import { parseEncryptionKeys } from '../../src/domain/encryption-keys.js';
import type { Repositories } from '../../src/domain/ports/index.js';
import { startHarness, TEST_TOKEN, type Harness } from '../helpers/bot-harness.js';
import { chatter, handled } from '../helpers/chat-ui.js';
import { runCli } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';
import { waitFor } from '../helpers/ports.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

describe.each(DIALECTS)('encryption at rest on %s', (dialect) => {
  let h: Harness;
  let repos: Repositories;
  const encryptionKeys = `k1:${randomBytes(32).toString('base64')}`;
  const canary = `canary${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    h = await startHarness({
      dialect,
      env: { BOTCTL_REDIS_URL: REDIS_URL, BOTCTL_ENCRYPTION_KEYS: encryptionKeys },
    });
    repos = (await h.db.reopen(createFieldCipher(parseEncryptionKeys(encryptionKeys)))).repos;
  });
  afterAll(async () => h?.close());

  /** Where the canary is found in plaintext: a list of places, empty when none. */
  async function plaintextCopies(): Promise<string[]> {
    const found: string[] = [];
    if (dialect === 'sqlite') {
      for (const suffix of ['', '-wal']) {
        const file = h.db.url + suffix;
        if (fs.existsSync(file) && fs.readFileSync(file).includes(canary)) found.push(`sqlite${suffix}`);
      }
    } else {
      const sql = postgres(h.db.url, { max: 1, onnotice: () => {} });
      try {
        const tables = await sql<{ name: string }[]>`
          select table_name as name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE'`;
        for (const { name } of tables) {
          const rows = await sql`select t::text as row from ${sql(name)} t`;
          if (rows.some((r) => String(r.row).includes(canary))) found.push(`postgres table ${name}`);
        }
      } finally {
        await sql.end();
      }
    }
    const redis = new Redis(REDIS_URL);
    try {
      for await (const keys of redis.scanStream({ count: 1000 }) as AsyncIterable<string[]>) {
        for (const key of keys) {
          if (key.includes(canary)) found.push(`redis key ${key}`);
          if ((await redis.type(key)) !== 'string') continue;
          if ((await redis.get(key))?.includes(canary)) found.push(`redis value of ${key}`);
        }
      }
    } finally {
      await redis.quit();
    }
    return found;
  }

  it('keeps no plaintext copy of prompts, messages, answers, titles or inline queries anywhere', async () => {
    const c = chatter(h, 97_000 + (dialect === 'sqlite' ? 1 : 2), 'en');
    // The title call quotes the first messages; the fake answers it with a title that carries them.
    h.gemini.respond = (request) =>
      request.lastUserText.includes('short title') ? `Plans of ${canary}` : `Echo: ${request.lastUserText}`;
    await c.command('prompt', `set Sign every answer with ${canary}-prompt.`);
    await c.say(`Remember ${canary}-message please`);
    const inline = h.telegram.pushUpdate(
      h.telegram.updates.inline({ userId: c.chatId, query: `what is ${canary}-inline` }),
    );
    await handled(h, inline.update_id);

    // The daemon (and so the keyed reader) sees everything in the clear.
    const user = (await repos.users.getByTelegramId(c.chatId))!;
    expect(user.settings.customPrompt).toContain(`${canary}-prompt`);
    const [conversation] = await repos.conversations.listByUser(user.id);
    expect((await repos.conversations.getContext(conversation!.id, 10)).map((m) => m.content)).toEqual([
      `Remember ${canary}-message please`,
      `Echo: Remember ${canary}-message please`,
    ]);
    // The title is asked for in the background, from the first messages.
    const title = await waitFor(async () => {
      const { title } = (await repos.conversations.getById(conversation!.id))!;
      if (title === null) throw new Error('no title yet');
      return title;
    }, 10_000);
    expect(title).toContain(canary);

    const backup = await runCli(['backup', 'create', '--json'], {
      BOTCTL_DATA_DIR: h.dataDir,
      BOTCTL_DATABASE_URL: h.db.url,
      BOTCTL_TELEGRAM_TOKEN: TEST_TOKEN,
      BOTCTL_ENCRYPTION_KEYS: encryptionKeys,
    });
    expect(backup.exitCode, backup.stderr).toBe(0);
    const backupDir = path.join(h.dataDir, 'backups');
    const payloads = fs
      .readdirSync(backupDir, { recursive: true, encoding: 'utf8' })
      .filter((name) => /db\.(sqlite\.gz|pgdump)$/.test(name))
      .map((name) => path.join(backupDir, name));
    expect(payloads).toHaveLength(1);
    const payload = payloads[0]!;
    const backupText = payload.endsWith('.gz')
      ? gunzipSync(fs.readFileSync(payload))
      : execFileSync('pg_restore', ['--file=-', payload], { maxBuffer: 256 * 1024 * 1024 });
    // The restored script holds the sealed rows: prove the check reads them, then that none is plain.
    expect(backupText.includes('enc:v1:k1:')).toBe(true);
    expect(backupText.includes(canary)).toBe(false);

    expect(await plaintextCopies()).toEqual([]);
  });
});
