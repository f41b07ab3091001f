/**
 * The doctor's vocabulary: a Check is one small module that looks at one thing and says
 * pass, warn or fail. Everything it needs from the outside (Telegram, Gemini, the database,
 * the file system, tools on PATH) comes through DoctorProbes, wired in src/probes/probes.ts.
 */
import type { Dialect, MigrationStatus, ModelInfo } from '../../domain/ports/index.js';

type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckOutcome {
  status: CheckStatus;
  detail: string;
  /** What to do about a warn or fail. */
  hint?: string;
}

export interface CheckReport extends CheckOutcome {
  id: string;
  title: string;
}

/** The configuration fields the checks read (a subset of the app's Config). */
interface DoctorConfig {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly redisUrl?: string | undefined;
  readonly telegramToken?: string | undefined;
  readonly telegramApiRoot: string;
  readonly geminiApiKey?: string | undefined;
  readonly geminiBaseUrl?: string | undefined;
  readonly model: string;
  readonly models: readonly string[];
  readonly mode: 'polling' | 'webhook';
  readonly webhookUrl?: string | undefined;
  /** The admin API (BOTCTL_ADMIN) and where the HTTP server listens. */
  readonly adminApi: boolean;
  readonly httpHost: string;
  /** Models for spoken answers and /image: a missing one disables that feature only. */
  readonly ttsModel?: string;
  readonly imageModel?: string;
  readonly ffmpegPath?: string;
}

export interface TelegramTarget {
  token: string;
  apiRoot: string;
}

export interface BotIdentity {
  id: number;
  username: string;
}

export interface WebhookState {
  /** Empty when no webhook is set. */
  url: string;
  pendingUpdates: number;
  lastError: string | null;
  lastErrorAt: Date | null;
}

export interface GeminiTarget {
  apiKey: string;
  baseUrl?: string | undefined;
  timeoutMs: number;
}

/** Outbound looks at the world. Each throws a coded BotctlError when the thing is not there. */
export interface DoctorProbes {
  telegramBot(target: TelegramTarget, signal?: AbortSignal): Promise<BotIdentity>;
  telegramWebhook(target: TelegramTarget, signal?: AbortSignal): Promise<WebhookState>;
  geminiModels(target: GeminiTarget): Promise<ModelInfo[]>;
  /** Opens the database, reads the migration state, closes it. */
  database(url: string): Promise<MigrationStatus>;
  dialectOf(url: string): Dialect;
  /** A PostgreSQL server's major version (from `SHOW server_version_num`: 170002 -> 17). */
  postgresMajor(url: string): Promise<number>;
  /** How many daemon instances hold their claim on this Postgres database now. */
  instances(url: string): Promise<number>;
  /** True when Redis answers a ping within timeoutMs. */
  redis(url: string, timeoutMs: number): Promise<boolean>;
  /** The first line of `<command> <versionFlag>`, null when the command is not found. */
  toolVersion(command: string, versionFlag: string, signal?: AbortSignal): Promise<string | null>;
  /** Permission bits of a path, null when it does not exist. */
  mode(path: string): Promise<number | null>;
  /** Bytes available to this user on the file system holding path. */
  freeBytes(path: string): Promise<number>;
  /** When the newest backup was taken, null when there is none. */
  lastBackupAt(): Promise<Date | null>;
}

export interface DoctorContext {
  /** Null when the configuration does not load (then configProblems says why). */
  readonly config: DoctorConfig | null;
  readonly configProblems: readonly string[];
  readonly dataDir: string;
  readonly configFile: string;
  readonly configFileExists: boolean;
  readonly nodeVersion: string;
  readonly probes: DoctorProbes;
  now(): Date;
  /** Per-check deadline (ms); checks pass it on to calls that take their own timeout. */
  readonly timeoutMs: number;
}

export interface Check {
  readonly id: string;
  readonly title: string;
  /** Ids of checks that must not fail first (e.g. the webhook needs a working token). */
  readonly needs?: readonly string[];
  /** False when the check does not apply here (e.g. pg_dump on SQLite); it is then left out. */
  applies?(ctx: DoctorContext): boolean;
  run(ctx: DoctorContext, signal: AbortSignal): Promise<CheckOutcome>;
}
