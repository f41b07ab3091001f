/**
 * The admin panel: what a browser downloads (each built file, raw and gzipped, from dist/panel
 * as `npm run build` makes it), how long a sign-in link takes to become a drawn dashboard in
 * headless Chromium (goto -> the first chart's line in the DOM; a fresh browser context and link
 * each run, so nothing is cached), and the API latency of what each page asks, with the session
 * cookie over real HTTP. SQLite with BENCH_USERS users (default 10,000) and BENCH_MESSAGES
 * messages (default 50,000) bulk-loaded as in bench:stats.
 *
 *   npm run bench:panel
 *   BENCH_USERS=100000 BENCH_MESSAGES=200000 npm run bench:panel
 */
import fs from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { openDatabase } from '../src/adapters/db/open.js';
import { createFieldCipher } from '../src/adapters/system/cipher.js';
import { createApp } from '../src/app/index.js';
import { loadConfig } from '../src/config/config.js';
import { createHttpServer } from '../src/http/server.js';
import { seedSqlite, type SeedSize } from './lib/seed.js';

const PANEL = fileURLToPath(new URL('../dist/panel/', import.meta.url));
const SIZE: SeedSize = {
  users: Number(process.env.BENCH_USERS ?? 10_000),
  messages: Number(process.env.BENCH_MESSAGES ?? 50_000),
};
const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const REQUESTS = 40;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (ms: number) => Math.round(ms * 10) / 10;

function bundle() {
  const rows: { file: string; bytes: number; gzip: number }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const body = fs.readFileSync(full);
        rows.push({
          file: full.slice(PANEL.length),
          bytes: body.length,
          gzip: gzipSync(body, { level: 9 }).length,
        });
      }
    }
  };
  walk(PANEL);
  const code = rows.filter((r) => /\.(js|css)$/.test(r.file));
  rows.push({
    file: 'JS + CSS total',
    bytes: code.reduce((s, r) => s + r.bytes, 0),
    gzip: code.reduce((s, r) => s + r.gzip, 0),
  });
  return rows;
}

async function main() {
  if (!fs.existsSync(join(PANEL, 'index.html'))) throw new Error('no dist/panel: run npm run build:panel');
  console.log('\nPanel bundle (dist/panel)\n');
  console.table(bundle());

  const dir = fs.mkdtempSync(join(tmpdir(), 'botctl-bench-panel-'));
  const url = join(dir, 'bench.sqlite');
  const db = await openDatabase({ url, cipher: createFieldCipher([]) });
  await db.migrator.up();
  await db.close();
  await seedSqlite(url, SIZE);
  const config = loadConfig({
    dataDir: dir,
    env: { BOTCTL_DATABASE_URL: url, BOTCTL_ADMIN: 'on' },
    file: {},
    readFile: (p) => fs.readFileSync(p, 'utf8'),
  });
  const logger = pino({ level: 'silent' });
  const app = await createApp(config, { logger });
  const s = app.services;
  const server = await createHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger,
    readiness: async () => ({ ready: true, checks: {} }),
    metrics: async () => ({ contentType: 'text/plain', body: '' }),
    adminApi: {
      users: s.users,
      privacy: s.privacy,
      stats: s.stats,
      broadcasts: s.broadcasts,
      backups: s.backups,
      apiKeys: s.apiKeys,
      adminSessions: s.adminSessions,
      audit: s.audit,
      conversations: s.conversations,
      readiness: async () => ({ ready: true, checks: {} }),
      lock: (name, what) => s.lock(name, what),
      broadcastRate: config.broadcastRate,
      // Many sign-ins from one address in a minute: the bench is not an attacker.
      limits: { signInsPerMinute: 1000, perKeyPerMinute: 100_000, perIpPerMinute: 100_000 },
    },
  });
  const browser = await chromium.launch({
    executablePath: process.env.BOTCTL_CHROMIUM ?? '/usr/bin/chromium',
  });
  try {
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = server.server.address();
    const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const sessions = await s.adminSessions();
    const linkUrl = async () =>
      (await sessions.createLink({ role: 'owner' })).url.replace(/^http:\/\/[^/]+/, origin);

    const loads: number[] = [];
    for (let i = 0; i < LOADS + 1; i += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const link = await linkUrl();
      const start = performance.now();
      await page.goto(link);
      await page.locator('figure[data-chart="line"] polyline').first().waitFor();
      if (i > 0) loads.push(performance.now() - start); // the first warms the server and Chromium
      await context.close();
    }
    loads.sort((a, b) => a - b);

    const { token } = (await sessions.signIn(new URL(await linkUrl()).hash.split('=')[1]!, null))!;
    const pages: [string, string][] = [
      ['overview', '/api/v1/stats'],
      ['overview', '/api/v1/health'],
      ['users', '/api/v1/users?limit=50'],
      ['broadcasts', '/api/v1/broadcasts'],
      ['backups', '/api/v1/backups'],
      ['audit', '/api/v1/audit?limit=50'],
    ];
    const api = [];
    for (const [pageName, path] of pages) {
      const times: number[] = [];
      for (let i = 0; i < REQUESTS + 3; i += 1) {
        const start = performance.now();
        const res = await fetch(`${origin}${path}`, { headers: { cookie: `botctl_session=${token}` } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        if (i >= 3) times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      api.push({
        page: pageName,
        request: `GET ${path}`,
        'p50 ms': round(percentile(times, 50)),
        'p95 ms': round(percentile(times, 95)),
      });
    }
    console.log(
      `\nLink to drawn dashboard in headless Chromium (${LOADS} loads, ${SIZE.users} users, ${SIZE.messages} messages)\n`,
    );
    console.table([
      {
        'p50 ms': round(percentile(loads, 50)),
        'max ms': round(loads.at(-1)!),
        'load avg': loadavg()[0]!.toFixed(1),
      },
    ]);
    console.log('\nAPI latency of the pages (session cookie, loopback HTTP)\n');
    console.table(api);
  } finally {
    await browser.close();
    await server.close();
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
