/**
 * API keys: created by `botctl api-keys create` (the key is shown once, only its hash is kept),
 * listed without the key, revoked; and the check every admin API request goes through. Creating
 * and revoking are audited.
 */
import {
  CLI_ACTOR,
  KEY_TOUCH_INTERVAL_MS,
  isApiScope,
  type Actor,
  type ApiScope,
} from '../../domain/api-access.js';
import type { ApiKey } from '../../domain/entities.js';
import { BotctlError } from '../../domain/errors.js';
import type { ApiKeyRepository, ApiKeySecrets, AuditRepository } from '../../domain/ports/index.js';

export type ApiKeyState = 'active' | 'expired' | 'revoked';

/** A key as `api-keys list` and the API show it: never the key, never its hash. */
export interface ApiKeyView {
  id: number;
  name: string;
  scope: ApiScope;
  state: ApiKeyState;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKeyView {
  /** The key itself: shown this once. */
  key: string;
}

/** Who a valid key belongs to, for the scope check and the audit log. */
export interface ApiPrincipal {
  keyId: number;
  name: string;
  scope: ApiScope;
}

export const MAX_KEY_NAME = 64;

/** A key row's scope; a row with none this version knows grants nothing (read the least). */
const scopeOf = (key: ApiKey): ApiScope | null => {
  const known = key.scopes.filter(isApiScope);
  return known.length === 1 ? known[0]! : null;
};

export function createApiKeysService(deps: {
  keys: ApiKeyRepository;
  audit: AuditRepository;
  secrets: ApiKeySecrets;
  now: () => Date;
}) {
  const { keys, secrets, now } = deps;
  /** When each key's last use was last written, so a busy key costs one write a minute. */
  const touchedAt = new Map<number, number>();

  const stateOf = (key: ApiKey, at: Date): ApiKeyState =>
    key.revokedAt !== null
      ? 'revoked'
      : key.expiresAt !== null && key.expiresAt.getTime() <= at.getTime()
        ? 'expired'
        : 'active';

  const view = (key: ApiKey): ApiKeyView => ({
    id: key.id,
    name: key.name,
    scope: scopeOf(key) ?? 'read',
    state: stateOf(key, now()),
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  });

  return {
    async create(
      input: { name: string; scope: ApiScope; expiresInMs?: number },
      by: Actor = CLI_ACTOR,
    ): Promise<CreatedApiKey> {
      const name = input.name.trim();
      if (name.length === 0 || name.length > MAX_KEY_NAME) {
        throw new BotctlError('USAGE', `A key name is 1-${MAX_KEY_NAME} characters`, {
          hint: 'name it after who uses it, e.g. --name grafana',
        });
      }
      if (!isApiScope(input.scope)) {
        throw new BotctlError('USAGE', `Unknown scope "${String(input.scope)}"`, {
          hint: 'use read, write or admin',
        });
      }
      const at = now();
      const key = secrets.newKey();
      const row = await keys.create({
        name,
        hash: secrets.hash(key),
        scopes: [input.scope],
        expiresAt: input.expiresInMs === undefined ? null : new Date(at.getTime() + input.expiresInMs),
        now: at,
      });
      await deps.audit.record({
        ...by,
        action: 'api-key.create',
        target: `api-key:${row.id}`,
        details: { name, scope: input.scope, expiresAt: row.expiresAt?.toISOString() ?? null },
        at,
      });
      return { ...view(row), key };
    },

    list: async (): Promise<ApiKeyView[]> => (await keys.list()).map(view),

    /** Revoking a revoked key changes nothing and is not audited again. */
    async revoke(id: number, by: Actor = CLI_ACTOR): Promise<{ key: ApiKeyView; changed: boolean }> {
      const before = (await keys.list()).find((k) => k.id === id);
      const row = before === undefined ? null : await keys.revoke(id, now());
      if (before === undefined || row === null) {
        throw new BotctlError('NOT_FOUND', `No API key with id ${id}`, {
          hint: 'list keys with `botctl api-keys list`',
        });
      }
      const changed = before.revokedAt === null;
      if (changed) {
        await deps.audit.record({ ...by, action: 'api-key.revoke', target: `api-key:${id}`, details: null });
      }
      return { key: view(row), changed };
    },

    /**
     * The principal a presented key stands for, or null when it is unknown, revoked or expired
     * (the API answers all three with the same 401, so a caller learns nothing about which).
     */
    async authenticate(presented: string): Promise<ApiPrincipal | null> {
      const hash = secrets.hash(presented);
      const key = await keys.findByHash(hash);
      // The lookup matched by index; the constant-time check makes the decision itself not
      // depend on how far two hashes agree.
      if (key === null || !secrets.same(key.hash, hash)) return null;
      const at = now();
      const scope = scopeOf(key);
      if (scope === null || stateOf(key, at) !== 'active') return null;
      const last = touchedAt.get(key.id) ?? key.lastUsedAt?.getTime() ?? 0;
      if (at.getTime() - last >= KEY_TOUCH_INTERVAL_MS) {
        touchedAt.set(key.id, at.getTime());
        await keys.touch(key.id, at);
      }
      return { keyId: key.id, name: key.name, scope };
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
