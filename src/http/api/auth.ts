/**
 * Who is calling, on every route that names a scope (the OpenAPI document, the docs page and
 * sign-in name none): an API key (`Authorization: Bearer <key>`) or a panel session (the
 * HttpOnly cookie a sign-in link set). No key or session, an unknown, revoked or expired one:
 * 401, all alike, so a caller learns nothing about which. Right caller, scope too low: 403.
 * A session's writes also need its CSRF token in a header: the cookie rides along with any
 * request the browser makes, the header only with the panel's own (SameSite=Strict is the
 * second fence, not the only one). Keys need none: a browser never sends them by itself.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { scopeAllows, type ApiScope } from '../../domain/api-access.js';
import type {
  AdminSessionsService,
  ApiPrincipal,
  ApiKeysService,
  PanelPrincipal,
} from '../../services/admin-api/index.js';
import { ApiError } from './errors.js';
import { readSessionCookie } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least scope a key needs for this route; absent: the route is public. */
    scope?: ApiScope;
    /** Opening a sign-in link: its own, tighter per-address limit. */
    signIn?: boolean;
  }
  interface FastifyRequest {
    principal: ApiPrincipal | PanelPrincipal | null;
    /** The session token from the cookie, when a session authenticated the request. */
    sessionToken: string | null;
  }
}

/** Longer than any key we issue: anything above is refused without hashing it. */
const MAX_KEY_LENGTH = 128;
const BEARER = /^Bearer[ \t]+([A-Za-z0-9_-]{1,128})[ \t]*$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

export const isPanel = (principal: ApiPrincipal | PanelPrincipal | null): principal is PanelPrincipal =>
  principal !== null && 'sessionId' in principal;

export const unauthorized = () =>
  new ApiError(401, 'UNAUTHORIZED', 'A valid API key is required: Authorization: Bearer <key>');

export function authenticate(
  keys: () => Promise<ApiKeysService>,
  sessions: () => Promise<AdminSessionsService>,
) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const need = request.routeOptions.config.scope;
    if (need === undefined) return;
    const header = request.headers.authorization;
    const cookie = header === undefined ? readSessionCookie(request.headers.cookie) : null;
    const match =
      typeof header === 'string' && header.length <= MAX_KEY_LENGTH + 16 ? BEARER.exec(header) : null;
    const principal: ApiPrincipal | PanelPrincipal | null =
      cookie !== null
        ? await (await sessions()).authenticate(cookie)
        : match
          ? await (await keys()).authenticate(match[1]!)
          : null;
    if (principal === null) {
      reply.header('www-authenticate', 'Bearer realm="botctl"');
      throw unauthorized();
    }
    request.principal = principal;
    if (cookie !== null) {
      request.sessionToken = cookie;
      const presented = request.headers[CSRF_HEADER];
      if (
        !SAFE_METHODS.has(request.method) &&
        (typeof presented !== 'string' || !(await sessions()).csrfMatches(cookie, presented))
      ) {
        throw new ApiError(403, 'CSRF', `A write from the panel needs its ${CSRF_HEADER} header`);
      }
    }
    if (!scopeAllows(principal.scope, need)) {
      const who = isPanel(principal) ? `role (${principal.role})` : `key's scope (${principal.scope})`;
      throw new ApiError(403, 'FORBIDDEN', `This ${who} does not allow this; it needs ${need}`);
    }
  };
}
