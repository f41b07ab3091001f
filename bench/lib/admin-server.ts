/**
 * The daemon's own HTTP server with the admin API (and the built panel) over a database the
 * benchmark prepared: createApp on a throwaway data dir, createHttpServer as the daemon wires it,
 * listening on an ephemeral loopback port. bench:api and bench:panel measure through it.
 */
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/config.js';
import type { AdminApiDeps } from '../../src/http/api/deps.js';
import { adminUseCases, createHttpServer } from '../../src/http/server.js';

export interface AdminServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  services: App['services'];
  close(): Promise<void>;
}

/** `limits` overrides the shipped rate limits (the panel bench signs in more often than a person). */
export async function startAdminServer(options: {
  databaseUrl: string;
  limits?: AdminApiDeps['limits'];
}): Promise<AdminServer> {
  const dataDir = fs.mkdtempSync(join(tmpdir(), 'botctl-bench-admin-'));
  const config = loadConfig({
    dataDir,
    env: { BOTCTL_DATABASE_URL: options.databaseUrl, BOTCTL_ADMIN: 'on' },
    file: {},
    readFile: (p) => fs.readFileSync(p, 'utf8'),
  });
  const logger = pino({ level: 'silent' });
  const app = await createApp(config, { logger });
  const s = app.services;
  const ready = async () => ({ ready: true, checks: {} });
  const server = await createHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger,
    readiness: ready,
    metrics: async () => ({ contentType: 'text/plain', body: '' }),
    adminApi: {
      ...adminUseCases(s),
      readiness: ready,
      broadcastRate: config.broadcastRate,
      ...(options.limits ? { limits: options.limits } : {}),
    },
  });
  try {
    await server.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = server.server.address();
  return {
    origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    services: s,
    async close() {
      await server.close();
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
