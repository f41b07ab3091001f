/**
 * pino logger factory. JSON lines by default (what log shippers read); human-readable
 * through pino-pretty only when the destination is a terminal. Secrets are removed twice:
 * by key path (`redact`) and by value, because SDK errors can carry a token inside a URL.
 */
import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

const REDACT_PATHS = [
  'telegramToken',
  'geminiApiKey',
  'webhookSecret',
  'encryptionKeys',
  'passphrase',
  'token',
  'apiKey',
  'password',
  '*.telegramToken',
  '*.geminiApiKey',
  '*.webhookSecret',
  '*.encryptionKeys',
  '*.passphrase',
  '*.token',
  '*.apiKey',
  '*.password',
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-api-key"]',
];

export interface LoggerOptions {
  level: string;
  /** Secret values to scrub from messages and error text wherever they appear. */
  secrets?: readonly string[];
  /** Defaults to stdout; tests pass a stream to read the lines. */
  destination?: DestinationStream;
  pretty?: boolean;
  base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions): Logger {
  const scrub = makeScrubber(options.secrets ?? []);
  const pinoOptions: pino.LoggerOptions = {
    level: options.level,
    base: { app: 'botctl', ...options.base },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    serializers: {
      // Every string in the error, causes and wrapped errors included: grammY's HttpError carries
      // the fetch error whose message holds the request URL, token and all.
      err: (error: unknown) => scrubDeep(pino.stdSerializers.err(error as Error), scrub),
    },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? scrub(arg) : arg)) as Parameters<typeof method>,
        );
      },
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const pretty = options.pretty && !options.destination ? prettyStdout() : undefined;
  return pino(pinoOptions, options.destination ?? pretty ?? pino.destination({ dest: 1, sync: false }));
}

/**
 * pino-pretty as an in-thread stream, not a pino `transport`: a transport resolves its target
 * from a worker thread and fails the whole command when it cannot ("unable to determine
 * transport target"). pino-pretty is a runtime dependency; should an install lack it anyway,
 * the operator gets JSON lines rather than a crash. Colours follow NO_COLOR/TERM (colorette).
 */
function prettyStdout(): DestinationStream | undefined {
  try {
    const require = createRequire(import.meta.url);
    const build = require('pino-pretty') as (options: { sync: boolean }) => DestinationStream;
    return build({ sync: true });
  } catch {
    return undefined;
  }
}

/** A copy of a serialized value with `scrub` applied to every string in it (bounded depth). */
function scrubDeep(value: unknown, scrub: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, scrub, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, scrubDeep(item, scrub, depth + 1)]),
  );
}

/** Replaces every known secret value with [REDACTED]. */
export function makeScrubber(secrets: readonly string[]): (text: string) => string {
  const values = secrets.filter((s) => s.length >= 4);
  if (values.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const value of values) out = out.split(value).join('[REDACTED]');
    return out;
  };
}
