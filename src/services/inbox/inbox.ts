/**
 * The update inbox as the daemon's intake uses it: record an update before Telegram is told we
 * have it, mark it done once answered, replay what a crash left pending, and forget answered
 * updates once they can no longer come back. The keeping rule lives here, not in the daemon.
 */
import type { UpdateInboxRepository } from '../../domain/ports/index.js';

/** Done updates are only needed to spot Telegram re-sending them: a week is plenty. */
const RETENTION_MS = 7 * 24 * 60 * 60_000;

export function createInboxService(deps: { updates: UpdateInboxRepository; now: () => Date }) {
  const { updates } = deps;
  return {
    record: updates.record.bind(updates),
    markDone: updates.markDone.bind(updates),
    pending: updates.pending.bind(updates),
    countPending: updates.countPending.bind(updates),
    /** Deletes answered (and rejected) updates older than the retention; returns how many. */
    pruneAnswered: () => updates.pruneDone(new Date(deps.now().getTime() - RETENTION_MS)),
  };
}

export type InboxService = ReturnType<typeof createInboxService>;
