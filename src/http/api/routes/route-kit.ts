/** What the admin API's route files share: the typed app, the caller as an audit actor, cursors. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { panelActor } from '../../../domain/admin-sessions.js';
import { apiActor, scopeAllows, type Actor } from '../../../domain/api-access.js';
import { isPanel } from '../auth.js';
import { ApiError } from '../errors.js';

export type ApiApp = ReturnType<FastifyInstance['withTypeProvider']> & FastifyInstance;
export const typed = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();

/** The key or panel session behind a request that passed authentication: its audit actor, with the remote address. */
export function actorOf(request: FastifyRequest): Actor {
  const principal = request.principal;
  if (principal === null) throw new ApiError(401, 'UNAUTHORIZED', 'A valid API key is required');
  return isPanel(principal)
    ? panelActor(principal.sessionId, request.ip)
    : apiActor(principal.keyId, request.ip);
}

/** Whether the caller may read message content (admin scope). */
export const readsContent = (request: FastifyRequest) =>
  request.principal !== null && scopeAllows(request.principal.scope, 'admin');

/** Cursors are base-36 ids: opaque to clients, cheap to check. */
export const encodeCursor = (id: number | null) => (id === null ? null : id.toString(36));
export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const id = /^[0-9a-z]{1,11}$/.test(cursor) ? parseInt(cursor, 36) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new ApiError(400, 'BAD_REQUEST', 'Invalid cursor');
  return id;
}

/** A key or a panel session (cookie) may call a scoped route. */
const SECURITY: { [label: string]: string[] }[] = [{ bearer: [] }, { session: [] }];

/** Tags group the operations in the document. */
export const doc = (tag: string, summary: string, scope?: 'read' | 'write' | 'admin') => ({
  tags: [tag],
  summary,
  ...(scope ? { description: `Needs a key with scope ${scope} or higher.`, security: SECURITY } : {}),
});
