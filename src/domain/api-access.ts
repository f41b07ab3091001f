/**
 * Who may do what through the admin API: the key scopes, their order, and the actor names the
 * audit log records. No I/O.
 */

/** read: numbers, users, lists (no message content) < write: change users, broadcasts, backups < admin: content, keys. */
export const API_SCOPES = ['read', 'write', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const isApiScope = (value: unknown): value is ApiScope =>
  typeof value === 'string' && (API_SCOPES as readonly string[]).includes(value);

/** A key's scope covers its own and every scope below it. */
export const scopeAllows = (have: ApiScope, need: ApiScope): boolean =>
  API_SCOPES.indexOf(have) >= API_SCOPES.indexOf(need);

/** Who made a change, for the audit log: "cli", or "api:<key id>" with the request's address. */
export interface Actor {
  actor: string;
  address?: string | null;
}

export const CLI_ACTOR: Actor = { actor: 'cli' };
export const apiActor = (keyId: number, address: string | null): Actor => ({
  actor: `api:${keyId}`,
  address,
});

/**
 * How often a key's last use is written at most: every request would turn each read into a
 * write, and "last used" only needs to tell a dead key from a live one.
 */
export const KEY_TOUCH_INTERVAL_MS = 60_000;
