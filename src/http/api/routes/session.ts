/**
 * /session: the panel's sign-in (POST with the link's token: sets the cookie), what the panel
 * asks on load (GET: role, end, CSRF token), refresh while it is used, and logout (DELETE).
 * Only a panel session has one; a key asking gets 400.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isPanel } from '../auth.js';
import type { AdminApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { AUTH_ERRORS, ErrorBody, SessionInfo, SignInBody } from '../schemas.js';
import { clearedCookie, sessionCookie } from '../session-cookie.js';
import { doc, typed } from './route-kit.js';

export function sessionRoutes(app: FastifyInstance, deps: AdminApiDeps) {
  const api = typed(app);
  const httpsOnly = deps.httpsOnly ?? false;
  const sessionOf = (request: FastifyRequest) => {
    const principal = request.principal;
    if (!isPanel(principal) || request.sessionToken === null) {
      throw new ApiError(400, 'NOT_A_SESSION', 'Only a panel session (signed in with a link) has this');
    }
    return { principal, token: request.sessionToken };
  };

  api.post(
    '/session',
    {
      config: { signIn: true },
      schema: {
        ...doc('session', 'Open a sign-in link: its token (from the link) for a session cookie'),
        body: SignInBody,
        response: { 200: SessionInfo, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const sessions = await deps.adminSessions();
      const opened = await sessions.signIn(request.body.token, request.ip);
      if (opened === null) {
        throw new ApiError(
          401,
          'LINK_INVALID',
          'This sign-in link is expired or was already used: ask for a new one',
        );
      }
      const { principal, token } = opened;
      reply.header('set-cookie', sessionCookie(request, token, principal.expiresAt, httpsOnly));
      reply.header('cache-control', 'no-store');
      return {
        role: principal.role,
        scope: principal.scope,
        expiresAt: principal.expiresAt.toISOString(),
        csrfToken: sessions.csrfToken(token),
      };
    },
  );

  api.get(
    '/session',
    {
      config: { scope: 'read' },
      schema: {
        ...doc('session', "The panel session's role, end and CSRF token", 'read'),
        response: { 200: SessionInfo, 400: ErrorBody, ...AUTH_ERRORS },
      },
    },
    async (request, reply) => {
      const { principal, token } = sessionOf(request);
      reply.header('cache-control', 'no-store');
      return {
        role: principal.role,
        scope: principal.scope,
        expiresAt: principal.expiresAt.toISOString(),
        csrfToken: (await deps.adminSessions()).csrfToken(token),
      };
    },
  );

  api.post(
    '/session/refresh',
    {
      config: { scope: 'read' },
      schema: {
        ...doc('session', 'Keep a used panel session alive (up to its hard maximum)', 'read'),
        response: { 200: SessionInfo, 400: ErrorBody, ...AUTH_ERRORS },
      },
    },
    async (request, reply) => {
      const { principal, token } = sessionOf(request);
      const sessions = await deps.adminSessions();
      const expiresAt = await sessions.refresh(principal);
      reply.header('set-cookie', sessionCookie(request, token, expiresAt, httpsOnly));
      reply.header('cache-control', 'no-store');
      return {
        role: principal.role,
        scope: principal.scope,
        expiresAt: expiresAt.toISOString(),
        csrfToken: sessions.csrfToken(token),
      };
    },
  );

  api.delete(
    '/session',
    {
      config: { scope: 'read' },
      schema: {
        ...doc('session', 'Sign out: the session ends here and its cookie is cleared', 'read'),
        response: { 200: z.object({ signedOut: z.literal(true) }), 400: ErrorBody, ...AUTH_ERRORS },
      },
    },
    async (request, reply) => {
      const { principal } = sessionOf(request);
      await (await deps.adminSessions()).logout(principal, request.ip);
      reply.header('set-cookie', clearedCookie(request, httpsOnly));
      return { signedOut: true as const };
    },
  );
}
