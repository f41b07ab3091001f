/** The audit log as the admin API reads it: newest first, paged by id. */
import type { AuditEntry } from '../../domain/entities.js';
import type { AuditRepository } from '../../domain/ports/index.js';

export interface AuditView {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  address: string | null;
  details: Record<string, unknown> | null;
}

const view = (e: AuditEntry): AuditView => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: e.actor,
  action: e.action,
  target: e.target,
  address: e.address,
  details: e.details,
});

export function createAuditService(deps: { audit: AuditRepository }) {
  return {
    /** One page and the id to pass as `before` for the next (null on the last page). */
    async page(input: {
      limit: number;
      before?: number;
    }): Promise<{ entries: AuditView[]; next: number | null }> {
      const rows = await deps.audit.list({
        limit: input.limit + 1,
        ...(input.before === undefined ? {} : { beforeId: input.before }),
      });
      const entries = rows.slice(0, input.limit).map(view);
      return { entries, next: rows.length > input.limit ? (entries.at(-1)?.id ?? null) : null };
    },
    /** Records an action that no other service audits (a backup taken through the API). */
    record: (entry: Parameters<AuditRepository['record']>[0]) => deps.audit.record(entry).then(view),
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
