/**
 * Telegram's webhook: checks X-Telegram-Bot-Api-Secret-Token (constant time), hands the
 * update to the dispatcher and answers at once; the model call runs outside the request,
 * since Telegram re-sends an update it waited too long for. 503 when the work queue is
 * full: Telegram retries later, which is the backpressure. An update the bot cannot route is
 * stored as rejected and answered 200 too: Telegram would re-send an error answer forever.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';

type AcceptResult = 'accepted' | 'duplicate' | 'rejected' | 'busy';

export interface WebhookDeps {
  path: string;
  secret: string;
  accept: (update: { update_id: number } & Record<string, unknown>) => Promise<AcceptResult>;
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
      const result = await deps.accept(update as { update_id: number } & Record<string, unknown>);
      if (result === 'busy')
        return reply.code(503).header('retry-after', '5').send({ ok: false, error: 'busy' });
      return reply.code(200).send({ ok: true, result });
    });
  };
}
