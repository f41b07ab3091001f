/**
 * Loads configuration from, lowest first: the schema's defaults, the config file in the data
 * dir, then the environment (BOTCTL_* and BOTCTL_*_FILE). Pure apart from reading *_FILE
 * secrets, which goes through the injected `readFile`. The result is frozen.
 */
import path from 'node:path';
import type { z } from 'zod';
import { BotctlError } from '../domain/errors.js';
import { maskUrlPassword, urlPassword } from '../domain/url-password.js';
import { parseDatabaseUrl, type DatabaseTarget } from '../adapters/db/url.js';
import {
  OPTIONS,
  SECRET_KEYS,
  configSchema,
  type ConfigValues,
  type EnvKind,
  type OptionKey,
} from './schema.js';

export interface Config extends ConfigValues {
  /** Absolute data directory: config file, SQLite database, backups. */
  readonly dataDir: string;
  /** Resolved database URL: a postgres:// URL or an absolute SQLite path (default: in the data dir). */
  readonly databaseUrl: string;
  /** The same, parsed: which dialect, and where. */
  readonly database: DatabaseTarget;
}

export const CONFIG_FILE_NAME = 'config.json';

/** The SQLite file in the data dir when databaseUrl is not set. */
const DEFAULT_DATABASE_FILE = 'botctl.sqlite';

/** Where the database lives when databaseUrl is not set: a SQLite file in the data dir. */
export const defaultDatabasePath = (dataDir: string): string => path.join(dataDir, DEFAULT_DATABASE_FILE);

/** Where backups go when backupDir is not set. */
export const defaultBackupDir = (dataDir: string): string => path.join(dataDir, 'backups');

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

export interface LoadConfigInput {
  dataDir: string;
  env: Record<string, string | undefined>;
  /** Parsed config file, or undefined when there is none. */
  file?: Record<string, unknown> | undefined;
  readFile?: (filePath: string) => string;
}

/** Resolves the data dir: flag, then BOTCTL_DATA_DIR, then ./data. */
export function resolveDataDir(flag: string | undefined, env: Record<string, string | undefined>): string {
  return path.resolve(flag ?? env.BOTCTL_DATA_DIR ?? './data');
}

export function loadConfig(input: LoadConfigInput): Readonly<Config> {
  const merged: Record<string, unknown> = { ...input.file };
  for (const key of Object.keys(OPTIONS) as OptionKey[]) {
    const raw = readEnv(key, input.env, input.readFile);
    if (raw !== undefined) merged[key] = fromEnvString(key, raw);
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) throw configError(parsed.error.issues);
  const values = parsed.data;
  checkCrossFieldRules(values);
  // Canonical from here on: a SQLite path is absolute (relative ones live in the data dir).
  const database = parseDatabaseUrl(values.databaseUrl ?? defaultDatabasePath(input.dataDir), input.dataDir);
  return deepFreeze({ ...values, dataDir: input.dataDir, databaseUrl: database.location, database });
}

/** Turns every zod issue into one line naming the key, its env variable and the fix. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `${issue.keys.join(', ')} (unknown key: remove it)`;
    const key = String(issue.path[0] ?? '');
    const spec = OPTIONS[key as OptionKey];
    return `${issue.path.join('.')}${spec ? ` (${spec.env})` : ''}: ${issue.message}`;
  });
}

function configError(issues: readonly z.core.$ZodIssue[]): BotctlError {
  const lines = describeIssues(issues);
  return new BotctlError('CONFIG_INVALID', `Invalid configuration: ${lines.join('; ')}`, {
    hint: 'fix the value with `botctl config set <key> <value>` or the environment variable named',
  });
}

function checkCrossFieldRules(values: ConfigValues): void {
  if (values.mode === 'webhook' && (!values.webhookUrl || !values.webhookSecret)) {
    throw new BotctlError(
      'CONFIG_INVALID',
      'Invalid configuration: mode is webhook but webhookUrl (BOTCTL_WEBHOOK_URL) or webhookSecret (BOTCTL_WEBHOOK_SECRET) is missing',
      { hint: 'set both, or use BOTCTL_MODE=polling' },
    );
  }
}

/** The raw string for an option from BOTCTL_X, else from the file BOTCTL_X_FILE names; undefined when neither is set. */
export function readEnv(
  key: OptionKey,
  env: Record<string, string | undefined>,
  readFile: ((p: string) => string) | undefined,
): string | undefined {
  const name = OPTIONS[key].env;
  const direct = env[name];
  if (direct !== undefined && direct !== '') return direct;
  const filePath = env[`${name}_FILE`];
  if (filePath === undefined || filePath === '') return undefined;
  if (!readFile) throw new BotctlError('CONFIG_INVALID', `${name}_FILE is set but files cannot be read here`);
  try {
    return readFile(filePath).trim();
  } catch (error) {
    throw new BotctlError('CONFIG_INVALID', `${name}_FILE: cannot read ${filePath}`, {
      hint: 'check the path and that botctl may read it',
      cause: error,
    });
  }
}

/** Turns an environment-style string into the value the option's schema validates (ints, lists, JSON). */
export function fromEnvString(key: OptionKey, raw: string): unknown {
  const kind: EnvKind = OPTIONS[key].kind;
  const list = () =>
    raw
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  switch (kind) {
    case 'int':
      return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    case 'bool': {
      // Strict: a typo ("maybe", "ture") is refused by the schema, never read as false.
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.includes(word)) return true;
      if (FALSE_WORDS.includes(word)) return false;
      return raw;
    }
    case 'list':
      return list();
    case 'intList':
      return list().map((item) => (/^\d+$/.test(item) ? Number(item) : item));
    case 'json':
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        throw new BotctlError(
          'CONFIG_INVALID',
          `Invalid configuration: ${OPTIONS[key].env} is not valid JSON`,
          {
            hint: `example: ${OPTIONS[key].env}='${JSON.stringify(configSchema.shape[key].parse(undefined))}'`,
          },
        );
      }
    default:
      return raw;
  }
}

/** Secret keys whose value is a URL: only its password is secret; a SQLite path or a host name is not. */
const URL_KEYS: ReadonlySet<string> = new Set(['databaseUrl', 'redisUrl']);

/** Secret keys whose value is a list of endpoints (JSON): each one's secret, and its URL's password. */
const ENDPOINT_KEYS: ReadonlySet<string> = new Set(['eventWebhooks']);

/** The endpoints of an ENDPOINT_KEYS value, given as the array or its JSON text; [] when neither. */
function endpointsOf(value: unknown): Record<string, unknown>[] {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      return [];
    }
  }
  return Array.isArray(parsed)
    ? parsed.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    : [];
}

/** What is secret in a secret key's value: a URL's password (undefined when it has none), else all of it. */
export function secretPart(key: string, value: string): string | undefined {
  if (ENDPOINT_KEYS.has(key)) return endpointSecrets(value).length > 0 ? value : undefined;
  return URL_KEYS.has(key) ? urlPassword(value) : value;
}

function endpointSecrets(value: unknown): string[] {
  return endpointsOf(value).flatMap((endpoint) =>
    [endpoint.secret, typeof endpoint.url === 'string' ? urlPassword(endpoint.url) : undefined].filter(
      (v): v is string => typeof v === 'string',
    ),
  );
}

/** Endpoints as they may be shown: secrets all stars, a URL's password masked. */
function maskEndpoints(value: unknown): Record<string, unknown>[] {
  return endpointsOf(value).map((endpoint) => ({
    ...endpoint,
    ...(typeof endpoint.url === 'string' ? { url: maskUrlPassword(endpoint.url) } : {}),
    ...(endpoint.secret === undefined ? {} : { secret: '********' }),
  }));
}

/** A secret key's value as it may be shown: a URL with its password masked, anything else all stars. */
export function maskSecret(key: string, value: string): string {
  if (ENDPOINT_KEYS.has(key)) return JSON.stringify(maskEndpoints(value));
  return URL_KEYS.has(key) ? maskUrlPassword(value) : '********';
}

/** Masks secrets (and a password inside the database URL) for printing or logging. */
export function redactConfig(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...config };
  for (const key of SECRET_KEYS) {
    if (copy[key] === undefined) continue;
    copy[key] = ENDPOINT_KEYS.has(key) ? maskEndpoints(copy[key]) : maskSecret(key, String(copy[key]));
  }
  return copy;
}

/** The secret values themselves, so log and error text can be scrubbed of them. */
export function secretValues(config: Readonly<Record<string, unknown>>): string[] {
  return SECRET_KEYS.flatMap((key) => {
    const value = config[key];
    if (ENDPOINT_KEYS.has(key)) return endpointSecrets(value);
    return typeof value === 'string' ? [secretPart(key, value)] : [];
  }).filter((v): v is string => typeof v === 'string' && v.length >= 4);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Where a browser reaches the admin panel, for sign-in links: adminUrl, else the webhook URL's
 * origin (the public HTTPS address Telegram already uses), else the HTTP server itself (a
 * wildcard bind shown as loopback: the link is opened on the same machine or through a tunnel).
 */
export function adminBaseUrl(
  config: Pick<Config, 'adminUrl' | 'webhookUrl' | 'httpHost' | 'httpPort'>,
): string {
  if (config.adminUrl) return config.adminUrl.replace(/\/+$/, '');
  if (config.webhookUrl) return new URL(config.webhookUrl).origin;
  const host = ['0.0.0.0', '::', ''].includes(config.httpHost) ? '127.0.0.1' : config.httpHost;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.httpPort}`;
}
