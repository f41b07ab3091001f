/**
 * `Authorization: Bearer <key>` on every route that names a scope (the OpenAPI document and the
 * docs page name none). No key, an unknown, revoked or expired one: 401, all alike, so a caller
 * learns nothing about which. A valid key without the route's scope: 403.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { scopeAllows, type ApiScope } from '../../domain/api-access.js';
import type { ApiPrincipal, ApiKeysService } from '../../services/admin-api/index.js';
import { ApiError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least scope a key needs for this route; absent: the route is public. */
    scope?: ApiScope;
  }
  interface FastifyRequest {
    principal: ApiPrincipal | null;
  }
}

/** Longer than any key we issue: anything above is refused without hashing it. */
const MAX_KEY_LENGTH = 128;
const BEARER = /^Bearer[ \t]+([A-Za-z0-9_-]{1,128})[ \t]*$/i;

export const unauthorized = () =>
  new ApiError(401, 'UNAUTHORIZED', 'A valid API key is required: Authorization: Bearer <key>');

export function authenticate(keys: () => Promise<ApiKeysService>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const need = request.routeOptions.config.scope;
    if (need === undefined) return;
    const header = request.headers.authorization;
    const match =
      typeof header === 'string' && header.length <= MAX_KEY_LENGTH + 16 ? BEARER.exec(header) : null;
    const principal = match ? await (await keys()).authenticate(match[1]!) : null;
    if (principal === null) {
      reply.header('www-authenticate', 'Bearer realm="botctl"');
      throw unauthorized();
    }
    request.principal = principal;
    if (!scopeAllows(principal.scope, need)) {
      throw new ApiError(
        403,
        'FORBIDDEN',
        `This key's scope (${principal.scope}) does not allow this; it needs ${need}`,
      );
    }
  };
}
