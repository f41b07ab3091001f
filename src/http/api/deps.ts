/** What the admin API is given: the app's use cases (built on first use), readiness, a lock, limits. */
import type {
  AdminSessionsService,
  ApiKeysService,
  AuditService,
  ConversationsService,
} from '../../services/admin-api/index.js';
import type { BackupService } from '../../services/backup/index.js';
import type { BroadcastService } from '../../services/broadcast/index.js';
import type { PrivacyService } from '../../services/privacy/index.js';
import type { StatsService } from '../../services/stats/index.js';
import type { UsersService } from '../../services/users/index.js';
import type { ReadinessReport } from '../routes/health.js';

/** A counter for rate limits shared by every daemon (Redis when configured): hits in the window and when it ends. */
export interface RateCounter {
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
}

export interface AdminApiDeps {
  users(): Promise<UsersService>;
  privacy(): Promise<PrivacyService>;
  stats(): Promise<StatsService>;
  broadcasts(): Promise<BroadcastService>;
  backups(): Promise<BackupService>;
  apiKeys(): Promise<ApiKeysService>;
  adminSessions(): Promise<AdminSessionsService>;
  audit(): Promise<AuditService>;
  conversations(): Promise<ConversationsService>;
  readiness(): Promise<ReadinessReport>;
  /** Takes a cross-process lock (the one the CLI takes); throws LOCKED while someone else holds it. */
  lock(name: string, what: string): { release(): void };
  /** Messages per second of a broadcast that names none (config broadcastRate). */
  broadcastRate: number;
  /** The backup passphrase (BOTCTL_BACKUP_PASSPHRASE[_FILE]); backups are unencrypted without one. */
  backupPassphrase?: () => string | undefined;
  /** Shared counters for the rate limits; default: this process's memory. */
  rateCounter?: RateCounter;
  /** The panel's address is https (config adminUrl): the session cookie is always Secure. */
  httpsOnly?: boolean;
  /** Requests per minute; defaults in limits.ts. */
  limits?: Partial<ApiLimits>;
}

export interface ApiLimits {
  perKeyPerMinute: number;
  perIpPerMinute: number;
  bodyBytes: number;
  /** Sign-in attempts (opening a link) per address per minute. */
  signInsPerMinute: number;
}

/** The use cases (and the lock) the admin API calls, as the app's services hold them. */
export type AdminUseCases = Pick<
  AdminApiDeps,
  | 'users'
  | 'privacy'
  | 'stats'
  | 'broadcasts'
  | 'backups'
  | 'apiKeys'
  | 'adminSessions'
  | 'audit'
  | 'conversations'
  | 'lock'
>;

/**
 * Picks the admin API's use cases out of whatever holds them (App.services): one list for the
 * daemon and for the tests and benchmarks that serve the API without one.
 */
export function adminUseCases(services: AdminUseCases): AdminUseCases {
  const { users, privacy, stats, broadcasts, backups, apiKeys, adminSessions, audit, conversations } =
    services;
  return {
    users,
    privacy,
    stats,
    broadcasts,
    backups,
    apiKeys,
    adminSessions,
    audit,
    conversations,
    lock: (name, what) => services.lock(name, what),
  };
}
