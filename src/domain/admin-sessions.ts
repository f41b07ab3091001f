/**
 * Sign-in for people: the panel roles, the API scope each one maps onto (the same scopes API keys
 * have, so one check guards both), and how long links and sessions live. No I/O.
 */
import type { ApiScope } from './api-access.js';

/** viewer: numbers and lists; operator: also changes users, broadcasts, backups; owner: also content. */
export const ADMIN_ROLES = ['viewer', 'operator', 'owner'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const isAdminRole = (value: unknown): value is AdminRole =>
  typeof value === 'string' && (ADMIN_ROLES as readonly string[]).includes(value);

export const SCOPE_OF_ROLE: Record<AdminRole, ApiScope> = {
  viewer: 'read',
  operator: 'write',
  owner: 'admin',
};

/** A sign-in link: 10 minutes unless asked otherwise, never more than an hour (it travels in chats). */
export const LINK_TTL_MS = 10 * 60_000;
export const MAX_LINK_TTL_MS = 60 * 60_000;
/** A session ends 30 minutes after its last refresh, and 12 hours after sign-in whatever happens. */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_MS = 12 * 60 * 60_000;

/** The audit actor of a panel session: "panel:<session id>". */
export const panelActor = (sessionId: number, address: string | null) => ({
  actor: `panel:${sessionId}`,
  address,
});
