/**
 * The daemon's HTTP server (Fastify): /healthz (alive), /readyz (database, cache, Telegram),
 * /metrics (Prometheus), in webhook mode the webhook path, and with BOTCTL_ADMIN=on the admin
 * API under /api/v1 (api/) with its panel at /admin/ (panel.ts). Routes get plain functions
 * and use cases, so this edge knows nothing of adapters.
 */
import { STATUS_CODES } from 'node:http';
import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import { adminApi, API_PREFIX, type AdminApiDeps } from './api/index.js';
export { adminUseCases } from './api/deps.js';
import { panelRoutes } from './panel.js';
import { healthRoutes, type HealthDeps } from './routes/health.js';
import { webhookRoute, type WebhookDeps } from './routes/webhook.js';

export interface HttpServerOptions extends HealthDeps {
  host: string;
  port: number;
  logger: Logger;
  webhook?: WebhookDeps;
  /** The admin API (config adminApi, BOTCTL_ADMIN) and the panel at /admin/; absent: not served. */
  adminApi?: AdminApiDeps;
  /** Where the built panel is (default: dist/panel of this package). */
  panelDir?: string;
  /**
   * Which proxies' X-Forwarded-For/-Proto to believe (config trustProxy): the client address the
   * audit log and rate limits see, and whether the request came over https. Default: none.
   */
  trustProxy?: boolean | number | string[];
}

export async function createHttpServer(options: HttpServerOptions) {
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'http' }),
    // Per-request logs would drown the bot's own; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Telegram updates are small; anything larger is not a Telegram update.
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    // A hop count as the function proxy-addr makes of one (Fastify's types take no number).
    trustProxy:
      typeof options.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(options.trustProxy)
        : (options.trustProxy ?? false),
  });
  // Error bodies are generic: exception text can carry internals (and Telegram shows webhook
  // answers in getWebhookInfo). The error itself goes to the log.
  app.setErrorHandler((error: { statusCode?: number }, request, reply) => {
    const status =
      error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500
        ? error.statusCode
        : 500;
    if (status >= 500) request.log.error({ err: error, route: request.routeOptions.url }, 'request failed');
    else request.log.warn({ err: error, route: request.routeOptions.url, status }, 'request refused');
    return reply.code(status).send({ ok: false, error: STATUS_CODES[status]?.toLowerCase() ?? 'error' });
  });
  await app.register(healthRoutes(options));
  if (options.webhook) await app.register(webhookRoute(options.webhook));
  if (options.adminApi) {
    await app.register(adminApi(options.adminApi), { prefix: API_PREFIX });
    await app.register(panelRoutes(options.panelDir === undefined ? {} : { dir: options.panelDir }));
  }
  return app;
}
