/**
 * Sign-in for people: one-time links (from `botctl admin link` or the bot's /admin) that become
 * panel sessions. Only hashes of the link and session tokens are stored; a link is spent by the
 * first open (one conditional write), a session ends when idle, at a hard maximum, on logout or
 * when revoked. The CSRF token is derived from the session token, so it needs no storage and
 * cannot be known without the (HttpOnly) cookie. Sign-ins, logouts, links and revokes are audited.
 */
import {
  LINK_TTL_MS,
  MAX_LINK_TTL_MS,
  SCOPE_OF_ROLE,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  isAdminRole,
  panelActor,
  type AdminRole,
} from '../../domain/admin-sessions.js';
import { CLI_ACTOR, type Actor, type ApiScope } from '../../domain/api-access.js';
import type { AdminSession } from '../../domain/entities.js';
import { BotctlError } from '../../domain/errors.js';
import type { AdminSessionRepository, ApiKeySecrets, AuditRepository } from '../../domain/ports/index.js';

export type AdminSessionState = 'link' | 'link-expired' | 'active' | 'ended' | 'revoked';

export interface AdminSessionView {
  id: number;
  role: AdminRole;
  state: AdminSessionState;
  createdBy: string;
  createdAt: string;
  signedInAt: string | null;
  expiresAt: string | null;
  address: string | null;
}

/** Who a valid session cookie belongs to: the scope check, the audit actor, the CSRF check. */
export interface PanelPrincipal {
  sessionId: number;
  role: AdminRole;
  scope: ApiScope;
  expiresAt: Date;
}

export interface SignInLink {
  id: number;
  role: AdminRole;
  url: string;
  expiresAt: string;
}

/** The panel's address for a link token: a fragment, so the token never reaches logs, proxies or link previews. */
export const signInUrl = (baseUrl: string, token: string) =>
  `${baseUrl.replace(/\/+$/, '')}/admin/#signin=${token}`;

export function createAdminSessionsService(deps: {
  sessions: AdminSessionRepository;
  audit: AuditRepository;
  secrets: ApiKeySecrets;
  now: () => Date;
  /** Where the panel is reached from a browser (config adminUrl, or derived). */
  baseUrl: string;
  /** Telegram ids in config `admins`: the only ones /admin answers with a link. */
  admins: readonly number[];
}) {
  const { sessions, secrets, now } = deps;
  const roleOf = (row: AdminSession): AdminRole => (isAdminRole(row.role) ? row.role : 'viewer');
  const hardEnd = (row: AdminSession) => (row.signedInAt?.getTime() ?? 0) + SESSION_MAX_MS;

  const stateOf = (row: AdminSession, at: number): AdminSessionState => {
    if (row.revokedAt !== null) return 'revoked';
    if (row.signedInAt === null) return row.linkExpiresAt.getTime() > at ? 'link' : 'link-expired';
    return (row.expiresAt?.getTime() ?? 0) > at && hardEnd(row) > at ? 'active' : 'ended';
  };

  const view = (row: AdminSession): AdminSessionView => ({
    id: row.id,
    role: roleOf(row),
    state: stateOf(row, now().getTime()),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    signedInAt: row.signedInAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    address: row.address,
  });

  const nextEnd = (row: AdminSession, at: number) => new Date(Math.min(at + SESSION_IDLE_MS, hardEnd(row)));

  async function createLink(
    input: { role: AdminRole; ttlMs?: number },
    by: Actor = CLI_ACTOR,
  ): Promise<SignInLink> {
    if (!isAdminRole(input.role)) {
      throw new BotctlError('USAGE', `Unknown role "${String(input.role)}"`, {
        hint: 'use viewer, operator or owner',
      });
    }
    const ttl = input.ttlMs ?? LINK_TTL_MS;
    if (!Number.isFinite(ttl) || ttl < 60_000 || ttl > MAX_LINK_TTL_MS) {
      throw new BotctlError('USAGE', 'A sign-in link lives between 1 minute and 1 hour', {
        hint: 'e.g. --ttl 15m',
      });
    }
    const at = now();
    const token = secrets.newKey();
    const row = await sessions.createLink({
      role: input.role,
      linkHash: secrets.hash(token),
      linkExpiresAt: new Date(at.getTime() + ttl),
      createdBy: by.actor,
      now: at,
    });
    await deps.audit.record({
      ...by,
      action: 'admin.link',
      target: `session:${row.id}`,
      details: { role: input.role, expiresAt: row.linkExpiresAt.toISOString() },
      at,
    });
    return {
      id: row.id,
      role: input.role,
      url: signInUrl(deps.baseUrl, token),
      expiresAt: row.linkExpiresAt.toISOString(),
    };
  }

  return {
    createLink,

    /** /admin in the bot: a link for an id in `admins` (owner role), null for anyone else. */
    async linkForChat(telegramId: number): Promise<SignInLink | null> {
      if (!deps.admins.includes(telegramId)) return null;
      return createLink({ role: 'owner' }, { actor: `user:${telegramId}` });
    },

    /** Opens a link: the session and its token (for the cookie), or null when the link is no good. */
    async signIn(
      linkToken: string,
      address: string | null,
    ): Promise<{ token: string; principal: PanelPrincipal } | null> {
      const at = now();
      const token = secrets.newKey();
      const row = await sessions.redeem({
        linkHash: secrets.hash(linkToken),
        sessionHash: secrets.hash(token),
        expiresAt: new Date(at.getTime() + SESSION_IDLE_MS),
        address,
        now: at,
      });
      if (row === null) return null;
      await deps.audit.record({
        ...panelActor(row.id, address),
        action: 'admin.sign-in',
        target: `session:${row.id}`,
        details: { role: roleOf(row), link: row.createdBy },
        at,
      });
      const role = roleOf(row);
      return {
        token,
        principal: { sessionId: row.id, role, scope: SCOPE_OF_ROLE[role], expiresAt: row.expiresAt! },
      };
    },

    /** The principal a session token stands for; null when unknown, ended or revoked. */
    async authenticate(token: string): Promise<PanelPrincipal | null> {
      const hash = secrets.hash(token);
      const row = await sessions.findBySession(hash);
      if (row === null || stateOf(row, now().getTime()) !== 'active') return null;
      const role = roleOf(row);
      return { sessionId: row.id, role, scope: SCOPE_OF_ROLE[role], expiresAt: row.expiresAt! };
    },

    /** The CSRF token of a session: a hash of its token under a label of its own. */
    csrfToken: (sessionToken: string) => secrets.hash(`csrf:${sessionToken}`),
    csrfMatches: (sessionToken: string, presented: string) =>
      secrets.same(secrets.hash(`csrf:${sessionToken}`), presented),

    /** Moves the idle end on (never past the hard maximum); the new end. */
    async refresh(principal: PanelPrincipal): Promise<Date> {
      const row = await sessions.find(principal.sessionId);
      const end = row === null ? principal.expiresAt : nextEnd(row, now().getTime());
      await sessions.extend(principal.sessionId, end);
      return end;
    },

    async logout(principal: PanelPrincipal, address: string | null): Promise<void> {
      await sessions.revoke(principal.sessionId, now());
      await deps.audit.record({
        ...panelActor(principal.sessionId, address),
        action: 'admin.sign-out',
        target: `session:${principal.sessionId}`,
        details: null,
      });
    },

    list: async (limit = 100): Promise<AdminSessionView[]> => (await sessions.list(limit)).map(view),

    /** Ends one link or session (id) or all of them; audited. */
    async revoke(which: number | 'all', by: Actor = CLI_ACTOR): Promise<{ revoked: number }> {
      const at = now();
      let revoked: number;
      if (which === 'all') revoked = await sessions.revokeAll(at);
      else {
        const before = await sessions.find(which);
        if (before === null) {
          throw new BotctlError('NOT_FOUND', `No sign-in link or session with id ${which}`, {
            hint: 'list them with `botctl admin sessions`',
          });
        }
        revoked = before.revokedAt === null ? 1 : 0;
        await sessions.revoke(which, at);
      }
      if (revoked > 0) {
        await deps.audit.record({
          ...by,
          action: 'admin.revoke',
          target: which === 'all' ? 'session:*' : `session:${which}`,
          details: { revoked },
          at,
        });
      }
      return { revoked };
    },
  };
}

export type AdminSessionsService = ReturnType<typeof createAdminSessionsService>;
