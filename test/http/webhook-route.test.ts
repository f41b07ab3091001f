/**
 * The webhook route talks to an UpdateIntake port, nothing else: any intake will do. Real HTTP
 * through Fastify; the intake here is a recording fake of the port (the daemon's is
 * daemon/intake.ts, covered end to end in test/e2e/webhook.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { IncomingUpdate, IntakeOutcome, UpdateIntake } from '../../src/domain/ports/index.js';
import { createHttpServer } from '../../src/http/server.js';

const SECRET = 'a-webhook-secret';
const received: IncomingUpdate[] = [];
let outcome: IntakeOutcome = 'accepted';
const intake: UpdateIntake = {
  async accept(update) {
    received.push(update);
    return outcome;
  },
};

let server: Awaited<ReturnType<typeof createHttpServer>>;
beforeAll(async () => {
  server = await createHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger: pino({ level: 'silent' }),
    readiness: async () => ({ ready: true, checks: {} }),
    metrics: async () => ({ contentType: 'text/plain', body: '' }),
    webhook: { path: '/tg/webhook', secret: SECRET, intake },
  });
});
afterAll(async () => server?.close());

const post = (body: unknown, secret = SECRET) =>
  server.inject({
    method: 'POST',
    url: '/tg/webhook',
    headers: { 'x-telegram-bot-api-secret-token': secret },
    payload: body as object,
  });

describe('webhook route over the UpdateIntake port', () => {
  it("hands each update to the intake and answers with the intake's outcome", async () => {
    for (const next of ['accepted', 'duplicate', 'rejected'] as const) {
      outcome = next;
      const res = await post({ update_id: 41, message: { text: next } });
      expect([res.statusCode, res.json()]).toEqual([200, { ok: true, result: next }]);
    }
    expect(received.map((u) => u.update_id)).toEqual([41, 41, 41]);
  });

  it('answers 503 with retry-after when the intake is busy, so Telegram retries', async () => {
    outcome = 'busy';
    const res = await post({ update_id: 42 });
    expect([res.statusCode, res.headers['retry-after']]).toEqual([503, '5']);
  });

  it('never reaches the intake without the secret or without an update_id', async () => {
    const before = received.length;
    expect((await post({ update_id: 43 }, 'wrong-secret')).statusCode).toBe(401);
    expect((await post({ message: {} })).statusCode).toBe(400);
    expect(received).toHaveLength(before);
  });
});
