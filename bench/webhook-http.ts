/**
 * `npm run bench:webhook`: what the daemon's HTTP layer adds to a webhook update (issue 13: "the
 * HTTP path (Fastify) should add well under 1 ms; measure it separately"). Two servers, each in
 * its own process, answer the same POSTs of a real update over loopback with keep-alive:
 *
 *  - bare: node:http, JSON.parse of the body, a 200 with {"ok":true};
 *  - botctl: the daemon's own server (src/http/server.ts: Fastify, its error handler, health and
 *    webhook routes, the secret check) with an intake that accepts at once, so only the HTTP path
 *    is measured (storing and answering are bench:bot's business).
 *
 * One request at a time (latency: round trip p50/p99) and 16 at once (server CPU per request and
 * requests/s); rounds alternate between the servers so machine load hits both alike. Wall-clock
 * figures depend on the machine's load (printed); server CPU per request is the steadier one.
 * BENCH_REQUESTS (default 5000) per round, BENCH_ROUNDS (3).
 */
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib/bots.js';
import { startNode, type BotProcess } from './lib/child.js';
import { freePort } from '../test/helpers/ports.js';
import { pct, round } from './lib/stats.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = 16;
const SECRET = 'bench_webhook_secret_123';

const update = (id: number) =>
  JSON.stringify({
    update_id: id,
    message: {
      message_id: id,
      date: 1_765_000_000,
      chat: { id: 1001, type: 'private', first_name: 'Ann' },
      from: { id: 1001, is_bot: false, first_name: 'Ann', language_code: 'en' },
      text: `question number ${id}`,
    },
  });

interface Server {
  name: string;
  url: string;
  process: BotProcess;
}

async function start(kind: 'bare' | 'botctl'): Promise<Server> {
  const port = await freePort();
  const child = startNode(
    `${kind} server`,
    ['--import', 'tsx', path.join(ROOT, 'bench', 'lib', 'webhook-server.ts')],
    { BENCH_SERVER: kind, BENCH_PORT: String(port), BENCH_SECRET: SECRET },
    ROOT,
  );
  const url = `http://127.0.0.1:${port}/tg/webhook`;
  for (let tries = 0; ; tries++) {
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      break;
    } catch (error) {
      if (tries > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { name: kind, url, process: child };
}

let nextId = 1;
async function post(url: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: update(nextId++),
  });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  await response.arrayBuffer();
}

async function serial(server: Server): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    await post(server.url);
    times.push(performance.now() - t0);
  }
  return times;
}

async function concurrent(server: Server): Promise<{ perSecond: number; cpuMs: number }> {
  const cpu0 = server.process.usage().cpuMs;
  const t0 = performance.now();
  let left = REQUESTS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) await post(server.url);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: REQUESTS / seconds, cpuMs: (server.process.usage().cpuMs - cpu0) / REQUESTS };
}

async function main() {
  const load = os.loadavg()[0]!;
  const servers = [await start('bare'), await start('botctl')];
  const results = new Map<string, { rtt: number[]; perSecond: number[]; cpuMs: number[] }>();
  try {
    for (const server of servers) await serial(server); // warm-up: JIT, connections
    for (let round = 0; round < ROUNDS; round++) {
      for (const server of servers) {
        const r = results.get(server.name) ?? { rtt: [], perSecond: [], cpuMs: [] };
        results.set(server.name, r);
        r.rtt.push(...(await serial(server)));
        const c = await concurrent(server);
        r.perSecond.push(c.perSecond);
        r.cpuMs.push(c.cpuMs);
      }
    }
  } finally {
    for (const server of servers) await server.process.stop();
  }
  const median = (values: number[]) => pct(values, 50);
  const rows = [...results].map(([name, r]) => ({
    server: name === 'bare' ? 'node:http + JSON.parse' : 'botctl webhook route (Fastify)',
    'serial p50 ms': round(pct(r.rtt, 50), 3),
    'serial p99 ms': round(pct(r.rtt, 99), 3),
    [`${CONCURRENCY} at once: req/s`]: Math.round(median(r.perSecond)),
    'server CPU per request ms': round(median(r.cpuMs), 3),
  }));
  console.log(`${REQUESTS} requests per round, ${ROUNDS} rounds, a ${update(1).length}-byte update`);
  console.table(rows);
  const [bare, botctl] = rows;
  console.log(
    `the botctl route adds ${round(botctl!['serial p50 ms'] - bare!['serial p50 ms'], 3)} ms to the serial p50 ` +
      `and ${round(botctl!['server CPU per request ms'] - bare!['server CPU per request ms'], 3)} ms of server CPU per request`,
  );
  console.log(
    `load average ${load.toFixed(1)} -> ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores, node ${process.version}`,
  );
}

await main();
