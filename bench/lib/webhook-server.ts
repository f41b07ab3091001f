/**
 * One server of bench/webhook-http.ts, in its own process (BENCH_SERVER=bare|botctl, BENCH_PORT,
 * BENCH_SECRET): node:http with JSON.parse, or the daemon's own HTTP server with an intake that
 * accepts every update at once, so that only the HTTP path is measured.
 */
import http from 'node:http';
import pino from 'pino';
import { createHttpServer } from '../../src/http/server.js';

const port = Number(process.env.BENCH_PORT);
const secret = process.env.BENCH_SECRET ?? '';

if (process.env.BENCH_SERVER === 'bare') {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/healthz') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        return;
      }
      const update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { update_id: number };
      const ok = request.headers['x-telegram-bot-api-secret-token'] === secret && update.update_id > 0;
      response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  // Node's default is 5 s; Fastify's (the daemon's) 72 s: the same for both, no reconnects mid-run.
  server.keepAliveTimeout = 72_000;
  server.listen(port, '127.0.0.1');
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  const app = await createHttpServer({
    host: '127.0.0.1',
    port,
    // The daemon's level in production; nothing is logged per request either way.
    logger: pino({ level: 'info' }, pino.destination('/dev/null')),
    readiness: async () => ({ ready: true, checks: [] }) as never,
    metrics: async () => ({ contentType: 'text/plain', body: '' }),
    webhook: { path: '/tg/webhook', secret, intake: { accept: async () => 'accepted' } },
  });
  await app.listen({ host: '127.0.0.1', port });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}
