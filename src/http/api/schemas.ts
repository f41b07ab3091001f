/**
 * The admin API's shapes, in zod: one source for the types, request validation, response
 * serialization and the OpenAPI document (through fastify-type-provider-zod).
 */
import { z } from 'zod';
import { ROLES, USER_STATUSES } from '../../domain/entities.js';
import { API_SCOPES } from '../../domain/api-access.js';
import { ADMIN_ROLES } from '../../domain/admin-sessions.js';

export const ErrorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .meta({ id: 'Error' });

/** Responses every authenticated route may give besides its own. */
export const AUTH_ERRORS = { 401: ErrorBody, 403: ErrorBody, 429: ErrorBody } as const;
export const ERRORS = { 400: ErrorBody, ...AUTH_ERRORS, 404: ErrorBody } as const;

export const TelegramIdParams = z.object({
  telegramId: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'must be a Telegram user id (a positive integer)')
    .transform(Number)
    .refine(Number.isSafeInteger, 'is too large')
    .meta({ description: 'Telegram user id' }),
});

export const IdParams = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'must be a positive integer')
    .transform(Number)
    .refine(Number.isSafeInteger, 'is too large'),
});

export const BroadcastIdParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a broadcast id (letters, digits, - and _)'),
});

const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** An opaque cursor: give back the `next` of the page before. */
const cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be the `next` of an earlier page')
  .meta({ description: 'the `next` value of the previous page' });

export const UserSummary = z
  .object({
    telegramId: z.number().int(),
    username: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    language: z.string(),
    role: z.enum(ROLES),
    status: z.enum(USER_STATUSES),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    premiumUntil: z.string().nullable().meta({ description: 'when paid premium ends; null: none' }),
  })
  .meta({ id: 'UserSummary' });

export const UsersQuery = z.object({
  role: z.enum(ROLES).optional(),
  status: z.enum(USER_STATUSES).optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'must be a language code such as en')
    .optional(),
  active: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .optional()
    .meta({ description: 'only users seen in the last N days' }),
  search: z.string().min(1).max(64).optional(),
  limit: limit(500, 50),
  cursor: cursor.optional(),
});

export const UsersPage = z.object({ users: z.array(UserSummary), next: z.string().nullable() });

const QuotaLine = z.object({ used: z.number(), limit: z.number().nullable() });

const limitValue = z.number().int().min(0).max(1_000_000_000);
export const QuotaOverrides = z
  .object({
    messagesPerDay: limitValue.optional(),
    tokensPerDay: limitValue.optional(),
    imagesPerDay: limitValue.optional(),
    audioSecondsPerDay: limitValue.optional(),
    searchesPerDay: limitValue.optional(),
  })
  .meta({ id: 'QuotaOverrides', description: "one user's daily limits over their role's (0 unlimited)" });
export const QuotaReport = z
  .object({
    day: z.string(),
    role: z.enum(ROLES),
    messages: QuotaLine,
    tokens: QuotaLine,
    images: QuotaLine,
    audioSeconds: QuotaLine,
    searches: QuotaLine,
    exceeded: z.string().nullable(),
    overrides: QuotaOverrides.nullable(),
  })
  .meta({ id: 'QuotaReport' });

export const UserDetails = z
  .object({
    user: UserSummary.extend({ languageCode: z.string().nullable() }),
    settings: z.record(z.string(), z.unknown()),
    activity: z.object({
      conversations: z.number(),
      messages: z.number(),
      lastMessageAt: z.string().nullable(),
    }),
    quota: QuotaReport,
  })
  .meta({ id: 'UserDetails' });

const limitPatch = limitValue.nullable().optional();
export const UserPatch = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    quota: z
      .strictObject({
        messagesPerDay: limitPatch,
        tokensPerDay: limitPatch,
        imagesPerDay: limitPatch,
        audioSecondsPerDay: limitPatch,
        searchesPerDay: limitPatch,
      })
      .optional()
      .meta({
        description: "per-user limits over the role's: a number sets one (0 unlimited), null removes it",
      }),
  })
  .refine((patch) => patch.role !== undefined || patch.quota !== undefined, 'give role, quota or both')
  .meta({ description: 'what to change; each change is audited' });

export const UserPatchResult = z.object({ changed: z.boolean(), user: UserDetails });

export const UserChange = z.object({
  user: UserSummary,
  changed: z.boolean(),
  from: z.string(),
  to: z.string(),
});

export const ForgetReport = z.object({
  telegramId: z.number(),
  conversations: z.number(),
  messages: z.number(),
  usageDays: z.number(),
  payments: z.number(),
});

export const ConversationSummary = z
  .object({
    id: z.number(),
    telegramId: z.number(),
    chatId: z.number(),
    threadId: z.number().nullable(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    title: z.string().nullable().meta({ description: 'null unless the key may read content (admin)' }),
    messages: z.number(),
  })
  .meta({ id: 'ConversationSummary' });

export const ConversationsQuery = z.object({
  limit: limit(200, 50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const ConversationDetails = ConversationSummary.extend({
  summary: z.string().nullable(),
  contentIncluded: z.boolean(),
  items: z.array(
    z.object({
      id: z.number(),
      role: z.enum(['user', 'model']),
      createdAt: z.string(),
      model: z.string().nullable(),
      tokensIn: z.number(),
      tokensOut: z.number(),
      latencyMs: z.number().nullable(),
      content: z.string().nullable().meta({ description: 'null unless the key may read content (admin)' }),
    }),
  ),
}).meta({ id: 'ConversationDetails' });

export const StatsQuery = z.object({
  since: z.string().max(16).optional().meta({ description: '30d, 2w or YYYY-MM-DD (default 30d)' }),
  until: z.string().max(16).optional().meta({ description: 'YYYY-MM-DD, inclusive (default today)' }),
});

const count = z.number().int().min(0);

/** One UTC day of the period; quiet days are zeros, so a 30-day period has 30 entries. */
export const StatsDay = z
  .object({
    day: z.string().meta({ description: 'YYYY-MM-DD (UTC)' }),
    activeUsers: count,
    userMessages: count,
    modelMessages: count,
    tokensIn: count.meta({ description: 'every request that day (daily usage), images and speech included' }),
    tokensOut: count,
    errors: count.meta({
      description: 'failed requests that day: handler errors and failures answered with an apology',
    }),
  })
  .meta({ id: 'StatsDay' });

/** The numbers of `botctl stats --json` (services/stats: StatsReport). */
export const StatsReport = z
  .object({
    period: z.object({ since: z.string(), until: z.string(), days: count }),
    users: z.object({
      total: count,
      new: count,
      banned: count,
      blocked: count,
      active: z.object({ day1: count, day7: count, day30: count }),
    }),
    messages: z.object({ user: count, model: count }),
    voiceMinutes: z.number(),
    images: count,
    searches: count.meta({ description: 'answers grounded in Google Search' }),
    tokens: z.object({ in: count, out: count }),
    cost: z.object({
      currency: z.literal('USD'),
      estimated: z.number(),
      complete: z
        .boolean()
        .meta({ description: 'false when a model has no price: the true total is higher' }),
      unknownModels: z.array(z.string()),
      byModel: z.array(
        z.object({
          model: z.string(),
          answers: count,
          tokensIn: count,
          tokensOut: count,
          cost: z.number().nullable(),
        }),
      ),
      searches: z
        .object({ count, perThousand: z.number(), cost: z.number() })
        .meta({ description: 'grounded requests, billed beside their tokens; included in estimated' }),
      unattributed: z.object({ tokensIn: count, tokensOut: count }),
    }),
    latency: z.object({ samples: count, p50Ms: z.number().nullable(), p95Ms: z.number().nullable() }),
    errors: z.object({
      total: count,
      byCode: z.array(z.object({ code: z.string(), count })).meta({ description: 'most first' }),
    }),
    stars: z
      .object({ earned: count, payments: count, refunded: count })
      .meta({ description: 'premium paid in Telegram Stars in the period; refunded payments not earned' }),
    daily: z.array(StatsDay),
  })
  .meta({ id: 'StatsReport' });

export const Readiness = z.object({
  ready: z.boolean(),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
});

const Audience = z.strictObject({
  role: z.enum(ROLES).optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/)
    .optional(),
  activeWithinDays: z.number().int().min(1).max(3650).optional(),
});

export const NewBroadcast = z.strictObject({
  text: z.string().min(1).max(4096),
  parseMode: z.enum(['HTML', 'Markdown']).nullable().default(null),
  photo: z
    .string()
    .max(512)
    .nullable()
    .default(null)
    .meta({ description: 'a Telegram file_id or an https URL' }),
  audience: Audience.default({}),
  ratePerSecond: z.number().int().min(1).max(1000).optional(),
  dryRun: z.boolean().default(false).meta({ description: 'only count the audience; sends nothing' }),
});

export const Broadcast = z
  .object({
    id: z.string(),
    text: z.string(),
    parseMode: z.enum(['HTML', 'Markdown']).nullable(),
    photo: z.string().nullable(),
    audience: z.object({
      role: z.enum(ROLES).optional(),
      language: z.string().optional(),
      activeWithinDays: z.number().optional(),
    }),
    ratePerSecond: z.number(),
    status: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Broadcast' });

export const BroadcastReport = z
  .object({
    broadcast: Broadcast,
    counts: z.object({
      pending: z.number(),
      sending: z.number(),
      sent: z.number(),
      failed: z.number(),
      blocked: z.number(),
    }),
  })
  .meta({ id: 'BroadcastReport' });

export const BackupSummary = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    dialect: z.string(),
    schema: z.object({ id: z.number(), tag: z.string() }),
    reason: z.string(),
    encrypted: z.boolean(),
    bytes: z.number(),
    databaseBytes: z.number(),
    sha256: z.string(),
  })
  .meta({ id: 'BackupSummary' });

export const AuditEntry = z
  .object({
    id: z.number(),
    at: z.string(),
    actor: z.string().meta({ description: '"cli", or "api:<key id>"' }),
    action: z.string(),
    target: z.string().nullable(),
    address: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditEntry' });

export const AuditQuery = z.object({ limit: limit(500, 100), cursor: cursor.optional() });

export const ScopeEnum = z.enum(API_SCOPES);

export const SignInBody = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'must be the token from a sign-in link'),
});

export const SessionInfo = z
  .object({
    role: z.enum(ADMIN_ROLES),
    scope: z.enum(API_SCOPES),
    expiresAt: z.string(),
    csrfToken: z.string().meta({ description: 'send it as x-csrf-token on every write' }),
  })
  .meta({ id: 'Session' });
