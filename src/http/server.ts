/**
 * The daemon's HTTP server (Fastify): /healthz (alive), /readyz (database, cache, Telegram),
 * /metrics (Prometheus) and, in webhook mode, the webhook path. Routes get plain functions,
 * so this edge knows nothing of adapters.
 */
import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import { healthRoutes, type HealthDeps } from './routes/health.js';
import { webhookRoute, type WebhookDeps } from './routes/webhook.js';

export interface HttpServerOptions extends HealthDeps {
  host: string;
  port: number;
  logger: Logger;
  webhook?: WebhookDeps;
}

export async function createHttpServer(options: HttpServerOptions) {
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'http' }),
    // Per-request logs would drown the bot's own; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Telegram updates are small; anything larger is not a Telegram update.
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  });
  await app.register(healthRoutes(options));
  if (options.webhook) await app.register(webhookRoute(options.webhook));
  return app;
}
