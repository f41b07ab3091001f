/**
 * Telegram's webhook: checks X-Telegram-Bot-Api-Secret-Token (constant time), hands the
 * update to the intake (the UpdateIntake port) and answers at once; the model call runs outside
 * the request, since Telegram re-sends an update it waited too long for. 503 when the work queue is
 * full: Telegram retries later, which is the backpressure. An update the bot cannot route is
 * stored as rejected and answered 200 too: Telegram would re-send an error answer forever.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { IncomingUpdate, UpdateIntake } from '../../domain/ports/index.js';

export interface WebhookDeps {
  path: string;
  secret: string;
  /** Where each update goes (the daemon's intake): stored before this route answers 200. */
  intake: UpdateIntake;
}

export function webhookRoute(deps: WebhookDeps): FastifyPluginAsync {
  const expected = Buffer.from(deps.secret);
  return async (app) => {
    app.post(deps.path, async (request, reply) => {
      const given = Buffer.from(String(request.headers['x-telegram-bot-api-secret-token'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return reply.code(401).send({ ok: false, error: 'bad secret token' });
      }
      const update = request.body as Record<string, unknown> | null;
      if (!update || typeof update !== 'object' || !Number.isSafeInteger(update.update_id)) {
        return reply.code(400).send({ ok: false, error: 'not a Telegram update' });
      }
      const result = await deps.intake.accept(update as unknown as IncomingUpdate);
      if (result === 'busy')
        return reply.code(503).header('retry-after', '5').send({ ok: false, error: 'busy' });
      return reply.code(200).send({ ok: true, result });
    });
  };
}
