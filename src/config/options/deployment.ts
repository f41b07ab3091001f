/** Where data lives and how updates arrive: database, backups, Redis, the HTTP server, webhook, encryption. */
import { z } from 'zod';
import { databaseUrlProblem } from '../../adapters/db/url.js';
import { encryptionKeysProblem } from '../../domain/encryption-keys.js';
import { bool, url, port, type OptionSpec } from '../option-spec.js';
import { parseTrustProxy } from '../trust-proxy.js';

export const DEPLOYMENT_OPTIONS = {
  databaseUrl: {
    env: 'BOTCTL_DATABASE_URL',
    kind: 'string',
    schema: z
      .string()
      .min(1)
      .superRefine((value, ctx) => {
        const problem = databaseUrlProblem(value);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    description:
      'postgres://... or a SQLite file path (file: or sqlite: before it is fine; relative to the data dir); default: <data dir>/botctl.sqlite',
    secret: true,
  },
  databasePoolSize: {
    env: 'BOTCTL_DATABASE_POOL_SIZE',
    kind: 'int',
    // Optional: the default follows the host (defaultPoolSize in adapters/db/open.ts).
    schema: z.number().int().min(1).max(100).optional(),
    description:
      'PostgreSQL connections each botctl process opens at most; default: twice the CPU cores, at most 10 (SQLite: unused)',
  },
  backupDir: {
    env: 'BOTCTL_BACKUP_DIR',
    kind: 'string',
    schema: z.string().min(1).optional(),
    description: 'Where `botctl backup` stores backups; default: <data dir>/backups',
  },
  redisUrl: {
    env: 'BOTCTL_REDIS_URL',
    kind: 'string',
    schema: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional(),
    description: 'Redis for shared cache and rate limits; default: in-memory',
    secret: true,
  },
  httpHost: {
    env: 'BOTCTL_HTTP_HOST',
    kind: 'string',
    schema: z.string().min(1).default('127.0.0.1'),
    description: 'Address the HTTP server (webhook, health, metrics) binds to',
  },
  httpPort: {
    env: 'BOTCTL_HTTP_PORT',
    kind: 'int',
    schema: port.default(8080),
    description: 'Port of the HTTP server',
  },
  adminApi: {
    env: 'BOTCTL_ADMIN',
    kind: 'bool',
    // Off by default: on, the HTTP port answers more than Telegram's webhook and health checks
    // (users, message content, broadcasts, backups behind API keys), so it must be a choice,
    // ideally behind HTTPS; `doctor` warns when it is on over plain http on a public address.
    schema: bool.default(false),
    description:
      'Serve the admin REST API under /api/v1 on the HTTP server (API keys from `botctl api-keys create`); off: only webhook, health and metrics',
  },
  adminUrl: {
    env: 'BOTCTL_ADMIN_URL',
    kind: 'string',
    schema: url.optional(),
    description:
      "Where browsers reach the admin panel (the origin sign-in links point to, e.g. https://bot.example.com); default: the webhook URL's origin, else http://<httpHost>:<httpPort>",
  },
  trustProxy: {
    env: 'BOTCTL_TRUST_PROXY',
    kind: 'string',
    // Off by default: X-Forwarded-* headers are only believed from a proxy named here, or
    // anyone could claim another address (audit, rate limits) or https (the Secure cookie).
    schema: z
      .string()
      .refine(
        (value) => parseTrustProxy(value) !== undefined,
        'must be off, on, a hop count, or comma-separated proxy addresses/CIDRs (or loopback)',
      )
      .default('off'),
    description:
      'Believe X-Forwarded-For/-Proto from a reverse proxy: off, on (any), a hop count, or its addresses/CIDRs such as loopback or 10.0.0.0/8',
  },
  mode: {
    env: 'BOTCTL_MODE',
    kind: 'string',
    schema: z.enum(['polling', 'webhook']).default('polling'),
    description: 'How updates arrive: polling or webhook',
  },
  webhookUrl: {
    env: 'BOTCTL_WEBHOOK_URL',
    kind: 'string',
    schema: url.optional(),
    description: 'Public HTTPS URL Telegram posts updates to (webhook mode)',
  },
  webhookSecret: {
    env: 'BOTCTL_WEBHOOK_SECRET',
    kind: 'string',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z a-z 0-9 _ -')
      .optional(),
    description: 'Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token',
    secret: true,
  },
  encryptionKeys: {
    env: 'BOTCTL_ENCRYPTION_KEYS',
    kind: 'string',
    // The same reading `start` builds the cipher from, so validate and doctor refuse what start would.
    schema: z
      .string()
      .superRefine((spec, ctx) => {
        const problem = encryptionKeysProblem(spec);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    description: 'id:base64key[,id:base64key] (32-byte keys; the first encrypts, all decrypt)',
    secret: true,
  },
} as const satisfies Record<string, OptionSpec>;
