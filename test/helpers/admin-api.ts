/**
 * An admin API over a real database: the app the daemon builds (createApp), the stats fixture's
 * users and conversations, a fake Telegram for broadcasts, and one key per case the tests need
 * (each scope, an expired one, a revoked one), served by the daemon's own createHttpServer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/config.js';
import { adminUseCases, createHttpServer } from '../../src/http/server.js';
import type { AdminApiDeps } from '../../src/http/api/index.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { TEST_TOKEN } from './bot-harness.js';
import type { Dialect } from '../../src/domain/ports/index.js';
import { openTestDatabase, type TestDatabase } from './db.js';
import { seedStatsFixture, type FixtureUsers } from './stats-fixture.js';

export interface AdminApiFixture {
  server: Awaited<ReturnType<typeof createHttpServer>>;
  app: App;
  db: TestDatabase;
  people: FixtureUsers;
  telegram: FakeTelegram;
  keys: { read: string; write: string; admin: string; expired: string; revoked: string };
  /** Key ids by name, for the audit rows' actors. */
  ids: Record<'read' | 'write' | 'admin' | 'expired' | 'revoked', number>;
  close(): Promise<void>;
}

export async function startAdminApi(
  dialect: Dialect,
  options: {
    limits?: AdminApiDeps['limits'];
    rateCounter?: AdminApiDeps['rateCounter'];
    env?: Record<string, string>;
    /** The daemon's trustProxy (parsed), the panel's https-only cookie, a built panel to serve. */
    trustProxy?: boolean | number | string[];
    httpsOnly?: boolean;
    panelDir?: string;
  } = {},
): Promise<AdminApiFixture> {
  const db = await openTestDatabase(dialect);
  const people = await seedStatsFixture(db.repos);
  const telegram = await startFakeTelegram({ token: TEST_TOKEN });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'botctl-api-'));
  const config = loadConfig({
    dataDir,
    env: {
      BOTCTL_DATABASE_URL: db.url,
      BOTCTL_TELEGRAM_TOKEN: TEST_TOKEN,
      BOTCTL_TELEGRAM_API_ROOT: telegram.apiRoot,
      BOTCTL_ADMIN: 'on',
      ...options.env,
    },
    file: {},
    readFile: (p) => fs.readFileSync(p, 'utf8'),
  });
  const logger = pino({ level: 'silent' });
  const app = await createApp(config, { logger });
  const apiKeys = await app.services.apiKeys();
  const make = (name: string, scope: 'read' | 'write' | 'admin', expiresInMs?: number) =>
    apiKeys.create({ name, scope, ...(expiresInMs === undefined ? {} : { expiresInMs }) });
  const read = await make('reader', 'read');
  const write = await make('writer', 'write');
  const admin = await make('owner', 'admin');
  const expired = await make('old', 'admin', 1);
  const revoked = await make('gone', 'admin');
  await apiKeys.revoke(revoked.id);
  await new Promise((resolve) => setTimeout(resolve, 5)); // past the 1 ms expiry
  await db.raw('delete from audit_log');
  const s = app.services;
  const server = await createHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger,
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
    ...(options.panelDir === undefined ? {} : { panelDir: options.panelDir }),
    readiness: async () => ({ ready: true, checks: { database: { ok: true } } }),
    metrics: async () => ({ contentType: 'text/plain', body: '' }),
    adminApi: {
      ...adminUseCases(s),
      readiness: async () => ({ ready: true, checks: { database: { ok: true } } }),
      broadcastRate: config.broadcastRate,
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.httpsOnly === undefined ? {} : { httpsOnly: options.httpsOnly }),
      ...(options.rateCounter ? { rateCounter: options.rateCounter } : {}),
    },
  });
  return {
    server,
    app,
    db,
    people,
    telegram,
    keys: { read: read.key, write: write.key, admin: admin.key, expired: expired.key, revoked: revoked.key },
    ids: { read: read.id, write: write.id, admin: admin.id, expired: expired.id, revoked: revoked.id },
    async close() {
      await server.close();
      await app.close();
      await telegram.close();
      await db.cleanup();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
