/** Who may chat and how much: admins, open or allowlist, daily quotas per role, the rate limit. */
import { z } from 'zod';
import { DEFAULT_QUOTAS } from '../../domain/quota.js';
import { count, type OptionSpec } from '../option-spec.js';

/** The numbers are the domain's table; a role given in part takes the rest from the user role's. */
const quota = z.object({
  messagesPerDay: count.default(DEFAULT_QUOTAS.user.messagesPerDay),
  tokensPerDay: count.default(DEFAULT_QUOTAS.user.tokensPerDay),
  imagesPerDay: count.default(DEFAULT_QUOTAS.user.imagesPerDay),
  audioSecondsPerDay: count.default(DEFAULT_QUOTAS.user.audioSecondsPerDay),
  searchesPerDay: count.default(DEFAULT_QUOTAS.user.searchesPerDay),
});
const quotas = z
  .object({
    user: quota.default({ ...DEFAULT_QUOTAS.user }),
    premium: quota.default({ ...DEFAULT_QUOTAS.premium }),
    admin: quota.default({ ...DEFAULT_QUOTAS.admin }),
  })
  .describe('0 means unlimited');

export const ACCESS_OPTIONS = {
  admins: {
    env: 'BOTCTL_ADMINS',
    kind: 'intList',
    schema: z.array(z.number().int().positive()).default([]),
    description: 'Telegram user ids with the admin role (comma-separated)',
  },
  access: {
    env: 'BOTCTL_ACCESS',
    kind: 'string',
    schema: z.enum(['open', 'allowlist']).default('open'),
    description: 'open: anyone may chat; allowlist: only ids in allowlist and admins',
  },
  allowlist: {
    env: 'BOTCTL_ALLOWLIST',
    kind: 'intList',
    schema: z.array(z.number().int().positive()).default([]),
    description: 'Telegram user ids allowed in allowlist mode (comma-separated)',
  },
  quotas: {
    env: 'BOTCTL_QUOTAS',
    kind: 'json',
    schema: quotas.default(quotas.parse({})),
    description: 'Daily quotas per role (JSON); 0 means unlimited',
  },
  premium: {
    env: 'BOTCTL_PREMIUM',
    kind: 'json',
    schema: z
      .object({
        // Telegram takes invoices of 1 to 10000 Stars; 0 leaves premium off.
        stars: z.number().int().min(0).max(10_000).default(0),
        days: z.number().int().min(1).max(3650).default(30),
      })
      .default({ stars: 0, days: 30 }),
    description:
      'Premium through Telegram Stars (JSON): stars is the price (0: off), days how long a payment lasts; premium users get quotas.premium',
  },
  rateLimit: {
    env: 'BOTCTL_RATE_LIMIT',
    kind: 'json',
    schema: z
      .object({ burst: z.number().int().min(1).default(5), perMinute: z.number().int().min(1).default(20) })
      .default({ burst: 5, perMinute: 20 }),
    description: 'Per-user message rate limit: burst and sustained per minute (JSON)',
  },
} as const satisfies Record<string, OptionSpec>;
