/**
 * The password inside a URL (postgres://user:password@host/db, redis://:password@host): the one
 * place that finds it, so config output, error messages and log scrubbing hide the same text.
 *
 * The user info runs from "scheme://" to the LAST "@": a password may hold an unescaped "@",
 * ":", "/" or "#" (operators paste them), and stopping at the first one would print the rest.
 * The price is that an "@" later in the URL (rare in a database or Redis URL) masks the host
 * as well, which hides too much rather than too little. Plain text is not parsed with `URL`
 * for the same reason: it rejects such passwords, and re-serialising would change the URL.
 */

const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)(.*)@/is;

/** Shown in place of a password. */
export const PASSWORD_MASK = '****';

/** The user info split at its first ":" (user names cannot hold one); undefined when there is no password. */
function split(url: string): { before: string; password: string; after: string } | undefined {
  const match = USER_INFO.exec(url);
  if (match === null) return undefined;
  const [whole, scheme, userInfo] = match as unknown as [string, string, string];
  const colon = userInfo.indexOf(':');
  if (colon < 0 || colon === userInfo.length - 1) return undefined;
  return {
    before: scheme + userInfo.slice(0, colon + 1),
    password: userInfo.slice(colon + 1),
    after: url.slice(whole.length - 1),
  };
}

/** The URL with its password replaced by PASSWORD_MASK; anything without one comes back as it was. */
export function maskUrlPassword(url: string): string {
  const parts = split(url);
  return parts === undefined ? url : parts.before + PASSWORD_MASK + parts.after;
}

/** The password as written in the URL (still percent-encoded, if it was); undefined when there is none. */
export function urlPassword(url: string): string | undefined {
  return split(url)?.password;
}
