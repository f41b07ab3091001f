/**
 * The panel's session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's
 * page sends it), Path=/api/v1 (the static panel never needs it), and Secure unless the browser
 * talks plain http to a loopback address (a developer's machine; over http elsewhere a Secure
 * cookie is simply not kept, which is the point). Its Max-Age follows the session's end.
 */
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'botctl_session';
const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;
const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

/** The session token from a Cookie header, or null (absent, or not a token we could have issued). */
export function readSessionCookie(header: string | undefined): string | null {
  if (header === undefined || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === SESSION_COOKIE) {
      const value = part.slice(at + 1).trim();
      return TOKEN.test(value) ? value : null;
    }
  }
  return null;
}

/** Whether the cookie must carry Secure: always when the panel's address is https, else unless plain http on loopback. */
export function secureCookie(request: FastifyRequest, httpsOnly: boolean): boolean {
  if (httpsOnly || request.protocol === 'https') return true;
  return !LOOPBACK_HOST.test(request.host);
}

export function sessionCookie(
  request: FastifyRequest,
  token: string,
  expiresAt: Date,
  httpsOnly: boolean,
  now = Date.now(),
): string {
  // Rounded: the end was computed a few ms before this line.
  const maxAge = Math.max(0, Math.round((expiresAt.getTime() - now) / 1000));
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/api/v1',
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secureCookie(request, httpsOnly) ? ['Secure'] : []),
  ].join('; ');
}

export const clearedCookie = (request: FastifyRequest, httpsOnly: boolean) =>
  sessionCookie(request, '', new Date(0), httpsOnly, 0);
