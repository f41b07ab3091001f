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
import { chromium, type Browser } from 'playwright-core';
import { startAdminServer } from './lib/admin-server.js';
import { timeGets } from './lib/http-timing.js';
import { migrateAndSeed, seedSqlite, type SeedSize } from './lib/seed.js';
import { pct, round } from './lib/stats.js';

const PANEL = fileURLToPath(new URL('../dist/panel/', import.meta.url));
const SIZE: SeedSize = {
  users: Number(process.env.BENCH_USERS ?? 10_000),
  messages: Number(process.env.BENCH_MESSAGES ?? 50_000),
};
const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const REQUESTS = 40;

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
  await migrateAndSeed(url, seedSqlite, SIZE);
  // Many sign-ins from one address in a minute: the bench is not an attacker.
  const server = await startAdminServer({
    databaseUrl: url,
    limits: { signInsPerMinute: 1000, perKeyPerMinute: 100_000, perIpPerMinute: 100_000 },
  });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: process.env.BOTCTL_CHROMIUM ?? '/usr/bin/chromium' });
    const { origin } = server;
    const sessions = await server.services.adminSessions();
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
      const times = await timeGets(
        `${origin}${path}`,
        { cookie: `botctl_session=${token}` },
        { count: REQUESTS },
      );
      api.push({ page: pageName, request: `GET ${path}`, 'p50 ms': times.p50, 'p95 ms': times.p95 });
    }
    console.log(
      `\nLink to drawn dashboard in headless Chromium (${LOADS} loads, ${SIZE.users} users, ${SIZE.messages} messages)\n`,
    );
    console.table([
      {
        'p50 ms': round(pct(loads, 50), 1),
        'max ms': round(Math.max(...loads), 1),
        'load avg': loadavg()[0]!.toFixed(1),
      },
    ]);
    console.log('\nAPI latency of the pages (session cookie, loopback HTTP)\n');
    console.table(api);
  } finally {
    await browser?.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
