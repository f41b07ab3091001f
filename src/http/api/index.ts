/**
 * The admin REST API, v1, mounted under /api/v1 when BOTCTL_ADMIN=on. Everything here stays
 * inside this plugin's scope: the webhook and health routes keep their own error shape and
 * headers. Order of a request: per-address rate limit -> key and scope (auth.ts) -> per-key
 * rate limit -> zod validation -> the route, which calls a use case.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { authenticate, isPanel } from './auth.js';
import type { AdminApiDeps, RateCounter } from './deps.js';
import { docsRoutes } from './docs.js';
import { ApiError, errorBody, sendApiError } from './errors.js';
import { DEFAULT_API_LIMITS } from './limits.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { conversationRoutes } from './routes/conversations.js';
import { operationRoutes } from './routes/operations.js';
import { overviewRoutes } from './routes/overview.js';
import { sessionRoutes } from './routes/session.js';
import { userRoutes } from './routes/users.js';

export const API_PREFIX = '/api/v1';
const MINUTE_MS = 60_000;

export type { AdminApiDeps, RateCounter } from './deps.js';

export function adminApi(deps: AdminApiDeps): FastifyPluginAsync {
  const limits = { ...DEFAULT_API_LIMITS, ...deps.limits };
  return async (app) => {
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.setErrorHandler((error, request, reply) => sendApiError(error, request, reply));
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send(errorBody('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`)),
    );
    app.decorateRequest('principal', null);
    app.decorateRequest('sessionToken', null);
    // Smaller than the server's 1 MiB (sized for Telegram updates): nothing here takes more.
    app.addHook('onRoute', (route) => {
      route.bodyLimit ??= limits.bodyBytes;
    });

    // A JSON API: no cross-origin reads (no CORS headers at all), nothing to frame or sniff.
    await app.register(helmet, { crossOriginResourcePolicy: { policy: 'same-origin' } });
    await app.register(rateLimit, {
      global: false,
      ...(deps.rateCounter ? { store: counterStore(deps.rateCounter) } : {}),
    });
    const perIp = app.createRateLimit({
      max: limits.perIpPerMinute,
      timeWindow: MINUTE_MS,
      keyGenerator: (request) => `ip:${request.ip}`,
    });
    const perKey = app.createRateLimit({
      max: limits.perKeyPerMinute,
      timeWindow: MINUTE_MS,
      keyGenerator: (request) => {
        const p = request.principal;
        return p === null ? 'key:none' : isPanel(p) ? `session:${p.sessionId}` : `key:${p.keyId}`;
      },
    });
    const limit = async (
      check: typeof perIp,
      request: FastifyRequest,
      reply: { header(k: string, v: number): unknown },
    ) => {
      const status = await check(request);
      if (status.isAllowed || !status.isExceeded) return;
      reply.header('retry-after', status.ttlInSeconds);
      throw new ApiError(429, 'RATE_LIMITED', `Too many requests: try again in ${status.ttlInSeconds} s`);
    };
    app.addHook('onRequest', async (request, reply) => limit(perIp, request, reply));
    const signIns = app.createRateLimit({
      max: limits.signInsPerMinute,
      timeWindow: MINUTE_MS,
      keyGenerator: (request) => `sign-in:${request.ip}`,
    });
    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.config.signIn === true) await limit(signIns, request, reply);
    });
    app.addHook('onRequest', authenticate(deps.apiKeys, deps.adminSessions));
    app.addHook('onRequest', async (request, reply) => {
      if (request.principal !== null) await limit(perKey, request, reply);
    });

    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'botctl admin API',
          version: '1.0.0',
          description:
            'Operate a botctl bot over HTTP: users, stats, conversations, broadcasts, backups, audit. ' +
            'Send `Authorization: Bearer <key>` (create keys with `botctl api-keys create`). Scopes: ' +
            'read < write < admin. The panel signs in with a one-time link (`botctl admin link`) and ' +
            'then sends its session cookie, and an `x-csrf-token` header on writes; its roles ' +
            'viewer, operator, owner have the scopes read, write, admin. ' +
            'Errors are `{"error":{"code","message"}}`.',
        },
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer' },
            session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          },
        },
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });

    userRoutes(app, deps);
    conversationRoutes(app, deps);
    overviewRoutes(app, deps);
    operationRoutes(app, deps);
    sessionRoutes(app, deps);
    docsRoutes(app);
  };
}

/** @fastify/rate-limit's store interface over a RateCounter (Redis when configured). */
function counterStore(counter: RateCounter) {
  return class CounterStore {
    incr(
      key: string,
      done: (error: Error | null, result?: { current: number; ttl: number }) => void,
      windowMs: number,
    ) {
      counter.hit(key, windowMs).then(
        (hit) => done(null, { current: hit.count, ttl: hit.resetInMs }),
        (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
      );
    }
    child() {
      return new CounterStore();
    }
  };
}
