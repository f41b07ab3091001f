/**
 * Several instances (issue 16): updates/s in webhook mode on PostgreSQL + Redis with 1, 2 and 3
 * instances of the built daemon (`bin/run.js start`) behind a round-robin proxy, and the CPU the
 * instances spent per update (user + system, from /proc). Telegram delivers webhooks over up to 40
 * connections at once; here the bench posts BENCH_UPDATES updates (default 1,000: BENCH_USERS
 * users, default 200, each sending theirs one after another) to the proxy with 40 at a time, and
 * the rate is updates answered (the fake Telegram got the answer) per second, from the first post
 * to the last answer. Every instance paces its sends as shipped (per chat about one a second), so
 * a user's messages are answered at most about one a second whatever the instance count.
 *
 *   npm run build && node --import tsx bench/multi.ts
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { startFakeGemini } from '../test/fakes/gemini.js';
import { startFakeTelegram } from '../test/fakes/telegram.js';
import { BOTCTL_OVERRIDES } from './lib/bots.js';
import { withScratchDatabase } from './lib/postgres.js';

const UPDATES = Number(process.env.BENCH_UPDATES ?? 1000);
const USERS = Number(process.env.BENCH_USERS ?? 200);
const CONNECTIONS = 40;
const TOKEN = '123456:BENCHtokenBENCHtokenBENCH_abc';
const SECRET = 'bench_webhook_secret_123';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14';
const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url));
const TICK_MS = 1000 / 100; // USER_HZ on Linux

/** CPU ms a process has used so far (user + system). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startProxy(ports: number[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const port = ports[next++ % ports.length]!;
      const upstream = http.request(
        { host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers, agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.headersSent || res.writeHead(502).end());
      upstream.end(Buffer.concat(chunks));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}/tg/webhook`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    }),
  );
}

interface Row {
  instances: number;
  updates: number;
  'answered/s': number;
  'cpu ms/update': number;
  'wall s': number;
  'load before': string;
}

async function measure(instances: number): Promise<Row> {
  const telegram = await startFakeTelegram({ token: TOKEN, keepAliveTimeoutMs: 60_000 });
  const gemini = await startFakeGemini({ keepAliveTimeoutMs: 60_000 });
  gemini.respond = (request) => ({ text: `Answer: ${request.lastUserText}` });
  const dataDir = await mkdtemp(join(tmpdir(), 'botctl-bench-multi-'));
  const children: ResultPromise[] = [];
  try {
    return await withScratchDatabase(async (url) => {
      const ports = await Promise.all(Array.from({ length: instances }, () => freePort()));
      const proxy = await startProxy(ports);
      const env = (port: number) => ({
        ...process.env,
        ...BOTCTL_OVERRIDES,
        BOTCTL_DATA_DIR: join(dataDir, String(port)),
        BOTCTL_TELEGRAM_TOKEN: TOKEN,
        BOTCTL_TELEGRAM_API_ROOT: telegram.apiRoot,
        BOTCTL_GEMINI_API_KEY: gemini.apiKey,
        BOTCTL_GEMINI_BASE_URL: gemini.baseUrl,
        BOTCTL_DATABASE_URL: url,
        BOTCTL_REDIS_URL: REDIS_URL,
        BOTCTL_HTTP_PORT: String(port),
        BOTCTL_MODE: 'webhook',
        BOTCTL_WEBHOOK_URL: proxy.url,
        BOTCTL_WEBHOOK_SECRET: SECRET,
      });
      for (const [index, port] of ports.entries()) {
        const args = index === 0 ? ['start', '--auto-migrate'] : ['start'];
        const child = execa(process.execPath, [BIN, ...args], { env: env(port), reject: false });
        children.push(child);
        let exited = false;
        void child.then(() => (exited = true));
        for (;;) {
          const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
            (r) => r.ok,
            () => false,
          );
          if (ok) break;
          if (exited) throw new Error(`instance exited: ${String((await child).stderr)}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      const loadBefore = loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
      const cpuBefore = children.reduce((sum, child) => sum + cpuMs(child.pid!), 0);
      const updates = Array.from({ length: UPDATES }, (_, i) => ({
        ...telegram.updates.text({
          chatId: 900_000 + (i % USERS),
          userId: 900_000 + (i % USERS),
          text: `q${i}`,
        }),
        update_id: i + 1,
      }));
      const started = performance.now();
      let sent = 0;
      const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
      const post = (body: string) =>
        new Promise<number>((resolve) => {
          const target = new URL(proxy.url);
          const req = http.request(
            {
              host: target.hostname,
              port: target.port,
              path: target.pathname,
              method: 'POST',
              agent,
              headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', () => resolve(0));
          req.end(body);
        });
      // Telegram's way: up to 40 requests at once, a refused one (503) sent again a little later.
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (sent < updates.length) {
            const update = updates[sent++]!;
            while ((await post(JSON.stringify(update))) !== 200)
              await new Promise((resolve) => setTimeout(resolve, 200));
          }
        }),
      );
      const answered = () => telegram.sentMessages().filter((t) => t.startsWith('Answer: ')).length;
      while (answered() < UPDATES) await new Promise((resolve) => setTimeout(resolve, 50));
      const wall = (performance.now() - started) / 1000;
      const cpuAfter = children.reduce((sum, child) => sum + cpuMs(child.pid!), 0);
      await proxy.close();
      return {
        instances,
        updates: UPDATES,
        'answered/s': Math.round(UPDATES / wall),
        'cpu ms/update': Number(((cpuAfter - cpuBefore) / UPDATES).toFixed(2)),
        'wall s': Number(wall.toFixed(1)),
        'load before': loadBefore,
      };
    });
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children);
    await telegram.close();
    await gemini.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
for (const n of [1, 2, 3]) {
  rows.push(await measure(n));
  console.error(`bench:multi: ${n} instance(s) done`);
}
const overrides = Object.entries(BOTCTL_OVERRIDES).map(([key, value]) => `${key}=${value}`);
console.log(
  [
    `# bench:multi: webhook mode, PostgreSQL + Redis, ${UPDATES} updates from ${USERS} users, ${CONNECTIONS} connections`,
    `# overrides: ${overrides.join(' ')} BOTCTL_MODE=webhook (everything else as shipped, pacing on)`,
    `# machine: ${cpus().length} cores; load average before each run in the table`,
  ].join('\n'),
);
console.table(rows);
