/**
 * A user's usage today against the daily quota of their role, and when it resets. Usage rows
 * are keyed by UTC day (see domain/quota.ts); the edge shows the reset in the user's zone.
 */
import type { DailyUsage, Role, User } from '../../domain/entities.js';
import type { UsageRepository } from '../../domain/ports/index.js';
import type { SearchGroundingMode } from '../../domain/grounding.js';
import { limitsFor, nextResetAt, utcDay, type QuotaLimits } from '../../domain/quota.js';

export interface UsageReport {
  today: DailyUsage;
  /** 0 means unlimited. */
  limits: QuotaLimits;
  resetsAt: Date;
  /** Answers may be grounded in Google Search (searchGrounding is not off): their line is shown. */
  searches: boolean;
}

export function createUsageService(deps: {
  usage: UsageRepository;
  quotas: Readonly<Record<Role, QuotaLimits>>;
  now: () => Date;
  searchGrounding?: SearchGroundingMode | undefined;
}) {
  return {
    async today(user: User): Promise<UsageReport> {
      const now = deps.now();
      return {
        today: await deps.usage.get(user.id, utcDay(now)),
        limits: limitsFor(user, deps.quotas),
        resetsAt: nextResetAt(now),
        searches: (deps.searchGrounding ?? 'off') !== 'off',
      };
    },
  };
}

export type UsageService = ReturnType<typeof createUsageService>;
