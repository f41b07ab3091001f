/**
 * The update inbox as the daemon's intake uses it: record an update before Telegram is told we
 * have it, mark it done once answered, replay what a crash left pending, and forget answered
 * updates once they can no longer come back. The keeping rule lives here, not in the daemon.
 *
 * Several instances share one inbox by leases: the instance that records an update owns it
 * until its lease runs out, and renews the leases of what it holds every RENEW_MS. Another
 * instance takes a pending update (`claim`) only when its lease ran out or its owner's instance
 * is gone (a crash: DatabaseGuard.holdInstance), never one a live instance is answering.
 */
import type { UpdateInboxRepository } from '../../domain/ports/index.js';

/** Done updates are only needed to spot Telegram re-sending them: a week is plenty. */
const RETENTION_MS = 7 * 24 * 60 * 60_000;
/** How long a lease holds without renewal: a hung instance's updates go to another after it. */
export const LEASE_MS = 15_000;
/** How often an instance renews its leases and looks for updates nobody answers (a third of a lease). */
export const RENEW_MS = 5_000;

export function createInboxService(deps: { updates: UpdateInboxRepository; now: () => Date }) {
  const { updates } = deps;
  const until = () => new Date(deps.now().getTime() + LEASE_MS);
  return {
    record: updates.record.bind(updates),
    recordMany: updates.recordMany.bind(updates),
    markDone: updates.markDone.bind(updates),
    pending: updates.pending.bind(updates),
    countPending: updates.countPending.bind(updates),
    olderPending: updates.olderPending.bind(updates),
    /** The lease a fresh update is recorded with. */
    leaseFor: (owner: string) => ({ owner, until: until() }),
    /** Takes pending updates nobody answers any more (see the port), oldest first. */
    claim: (owner: string, limit: number) => updates.claimStale(owner, until(), limit, deps.now()),
    /** The instance still works on what it holds. */
    renew: (owner: string) => updates.renewLeases(owner, until()),
    /** Deletes answered (and rejected) updates older than the retention; returns how many. */
    pruneAnswered: () => updates.pruneDone(new Date(deps.now().getTime() - RETENTION_MS)),
  };
}

export type InboxService = ReturnType<typeof createInboxService>;
