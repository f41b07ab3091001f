/**
 * Quota reservations: what a request will use is added to today's usage before the work, in one
 * conditional statement (UsageRepository.reserve), and taken back when the work is not done (a
 * media turn that failed, a picture the model refused). Checking first and counting after would
 * let two instances (or two chats of one user) both pass the check for the last unit of a quota.
 */
import type { DailyUsage, Role, UsageDelta, User } from '../../domain/entities.js';
import type { UsageRepository } from '../../domain/ports/index.js';
import {
  checkQuota,
  limitsFor,
  reservationCaps,
  utcDay,
  type QuotaKind,
  type QuotaLimits,
} from '../../domain/quota.js';

/** What a reservation added, and to which day's row: a release takes it back from that same row. */
export interface UsageHold {
  userId: number;
  day: string;
  delta: UsageDelta;
}

export type Reservation =
  | { ok: true; hold: UsageHold; today: DailyUsage }
  | { ok: false; exceeded: QuotaKind; limit: number; used: number };

export function createQuotaHolds(deps: {
  usage: Pick<UsageRepository, 'reserve' | 'release' | 'get'>;
  quotas: Readonly<Record<Role, QuotaLimits>>;
  now: () => Date;
}) {
  /** `admittedUpdate`: the update this reserves for, noted admitted with it (UsageRepository.reserve). */
  async function reserve(
    user: Pick<User, 'id' | 'role' | 'quotaOverrides'>,
    delta: UsageDelta,
    admittedUpdate?: number,
  ): Promise<Reservation> {
    const now = deps.now();
    const day = utcDay(now);
    const limits = limitsFor(user, deps.quotas);
    const admitted = admittedUpdate === undefined ? undefined : { updateId: admittedUpdate, at: now };
    const today = await deps.usage.reserve(user.id, day, delta, reservationCaps(limits, delta), admitted);
    if (today) return { ok: true, hold: { userId: user.id, day, delta }, today };
    // Refused: read the row once to say which limit it was (only over a limit, never per message).
    const used = await deps.usage.get(user.id, day);
    const check = checkQuota(used, limits, delta);
    if (!check.ok) return check;
    // Only a delta over a whole cap on an empty day (see fitsEmptyDay) gets here.
    const [exceeded, limit] = firstCapped(delta, limits);
    return { ok: false, exceeded, limit, used: 0 };
  }

  async function release(hold: UsageHold): Promise<void> {
    await deps.usage.release(hold.userId, hold.day, hold.delta);
  }

  return { reserve, release };
}

export type QuotaHolds = ReturnType<typeof createQuotaHolds>;

function firstCapped(delta: UsageDelta, limits: QuotaLimits): [QuotaKind, number] {
  if ((delta.audioSeconds ?? 0) > 0) return ['audioSeconds', limits.audioSecondsPerDay];
  if ((delta.images ?? 0) > 0) return ['images', limits.imagesPerDay];
  return ['messages', limits.messagesPerDay];
}
