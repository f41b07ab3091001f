/**
 * What every botctl command shares: the --data-dir, --json, --verbose and --no-color flags,
 * config loading, the app (opened lazily, closed in finally), the `--json` envelope
 * `{ status, result, warnings }`, and the mapping of coded errors to one line, a hint and
 * an exit code. Stack traces only with --verbose or DEBUG.
 */
import fs from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { Command, Flags, Errors, type Interfaces } from '@oclif/core';
import type { Alert } from '../domain/alerts.js';
import type { EventData, EventType } from '../domain/events.js';
import { BotctlError, toBotctlError } from '../domain/errors.js';
import { loadConfig, resolveDataDir, secretValues, type Config } from '../config/config.js';
import { readConfigFile } from '../config/file.js';
import { createApp, makeScrubber, type App, type Services } from '../app/index.js';

/** The services built on call (`users`, `migrations`, ...), as opposed to `lock` and `guard`. */
type UseCase = {
  [K in keyof Services]: Services[K] extends () => Promise<unknown> ? K : never;
}[keyof Services];

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>;

export abstract class BaseCommand<T extends typeof Command = typeof Command> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    'data-dir': Flags.string({
      description:
        'data directory (config, SQLite database, backups) [env: BOTCTL_DATA_DIR] (default: ./data)',
      helpGroup: 'GLOBAL',
    }),
    verbose: Flags.boolean({ description: 'show stack traces on errors', helpGroup: 'GLOBAL' }),
    color: Flags.boolean({
      description: 'colored output (also off with NO_COLOR)',
      allowNo: true,
      default: true,
      helpGroup: 'GLOBAL',
    }),
  };

  protected flags!: BaseFlags<T>;
  protected readonly warnings: string[] = [];
  private config_?: Readonly<Config>;
  private app_?: App;
  private failure?: BotctlError;
  private scrub: (text: string) => string = (text) => text;

  public override async init(): Promise<void> {
    await super.init();
    const { flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (this.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as BaseFlags<T>;
    if (!this.flags.color || process.env.NO_COLOR !== undefined) process.env.FORCE_COLOR = '0';
  }

  protected get dataDir(): string {
    return resolveDataDir(this.flags['data-dir'], process.env);
  }

  /** Loads and validates config once; throws CONFIG_INVALID with one line naming the key. */
  protected loadConfig(): Readonly<Config> {
    if (!this.config_) {
      this.config_ = loadConfig({
        dataDir: this.dataDir,
        env: process.env,
        file: readConfigFile(this.dataDir),
        readFile: (p) => fs.readFileSync(p, 'utf8'),
      });
      this.scrub = makeScrubber(secretValues(this.config_));
    }
    return this.config_;
  }

  /**
   * Opens the app (database, cache, clients) on first use; closed in finally(). Only commands
   * meant to bring a database into being pass createDatabase; the others never create a data dir
   * or a file, and fail with DATABASE_MISSING when there is none.
   */
  protected async app(options: { createDatabase?: boolean } = {}): Promise<App> {
    if (!this.app_) {
      this.app_ = await createApp(this.loadConfig(), {
        logLevel: this.flags.verbose ? 'debug' : 'warn',
        createDatabase: options.createDatabase === true,
      });
    }
    return this.app_;
  }

  /** One of the app's use cases, by name (see app()); it opens what it needs on first use. */
  protected async useCase<K extends UseCase>(
    name: K,
    options: { createDatabase?: boolean } = {},
  ): Promise<Awaited<ReturnType<Services[K]>>> {
    const { services } = await this.app(options);
    return (services[name] as () => Promise<Awaited<ReturnType<Services[K]>>>)();
  }

  protected override async finally(error: Error | undefined): Promise<void> {
    const app = this.app_;
    this.app_ = undefined;
    if (app) await app.close();
    await super.finally(error);
  }

  /**
   * Tells the operator through the configured alert targets (admin chat, Slack; none: nothing).
   * A target that fails is a warning: the command's own outcome stands either way.
   */
  protected async alertOperator(alert: Alert): Promise<void> {
    try {
      const alerts = await this.useCase('alerts');
      for (const report of await alerts.send(alert)) {
        if (!report.ok) this.note(`alert not sent to ${report.target}: ${report.error}`);
      }
    } catch (error) {
      this.note(`alert not sent: ${(error as Error).message}`);
    }
  }

  /**
   * Stores an event for the webhook endpoints that take it (the daemon delivers it; nothing is
   * sent from here). A database that fails is a warning: the command's own outcome stands.
   */
  protected async publishEvent(type: EventType, data: EventData): Promise<void> {
    if (this.loadConfig().eventWebhooks.length === 0) return;
    try {
      await (await this.useCase('events')).publish(type, data);
    } catch (error) {
      this.note(`event ${type} not stored: ${(error as Error).message}`);
    }
  }

  /** Prints human output unless --json; the returned value becomes the --json result. */
  protected say(line: string): void {
    if (!this.jsonEnabled()) this.log(this.scrub(line));
  }

  protected note(warning: string): void {
    this.warnings.push(warning);
    if (!this.jsonEnabled()) this.logToStderr(`Warning: ${this.scrub(warning)}`);
  }

  protected override logJson(json: unknown): void {
    process.stdout.write(`${this.scrub(JSON.stringify(json))}\n`);
  }

  /**
   * The run failed but its result stands (doctor's report, validate's problems): the process
   * exits with the error's code, and the --json envelope says "error" and carries both.
   */
  protected failWith(error: BotctlError): void {
    this.failure = error;
    process.exitCode = error.exitCode;
  }

  /** The envelope's status follows the exit code, whoever set it. */
  protected override toSuccessJson(result: unknown): unknown {
    const failed = this.failure !== undefined || Number(process.exitCode ?? 0) !== 0;
    if (!failed) return { status: 'ok', result: result ?? null, warnings: this.warnings };
    const error = this.failure
      ? {
          code: this.failure.code,
          message: this.scrub(this.failure.message),
          hint: this.failure.hint ?? null,
        }
      : null;
    return { status: 'error', result: result ?? null, error, warnings: this.warnings };
  }

  protected override toErrorJson(err: unknown): unknown {
    const coded = codedFrom(err);
    return {
      status: 'error',
      error: { code: coded.code, message: this.scrub(coded.message), hint: coded.hint ?? null },
      warnings: this.warnings,
    };
  }

  protected override async catch(err: Interfaces.CommandError): Promise<unknown> {
    const coded = codedFrom(err);
    process.exitCode = coded.exitCode;
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(err));
      return undefined;
    }
    if (err instanceof Errors.ExitError) throw err;
    const verbose = this.flags?.verbose === true || Boolean(process.env.DEBUG);
    const cli = new Errors.CLIError(this.scrub(coded.message), {
      exit: coded.exitCode,
      code: coded.code,
      suggestions: coded.hint ? [this.scrub(coded.hint)] : undefined,
    });
    if (verbose) Object.defineProperty(cli, 'stack', { value: this.scrub((err as Error).stack ?? '') });
    throw cli;
  }
}

/** oclif's own usage errors (unknown flag, missing arg, bad value) keep exit 2, with their whole reason. */
function codedFrom(err: unknown): BotctlError {
  if (err instanceof BotctlError) return err;
  const oclifExit = (err as { oclif?: { exit?: number } }).oclif?.exit;
  if (err instanceof Errors.CLIError && oclifExit !== undefined) {
    const usage =
      oclifExit === 2 || (err as Error).name.includes('Parse') || (err as Error).message.includes('flag');
    return usage
      ? new BotctlError('USAGE', parseMessage(err), { hint: 'see --help' })
      : new BotctlError('INTERNAL', (err as Error).message.split('\n')[0] ?? '');
  }
  return toBotctlError(err);
}

/**
 * oclif puts the reason of a parse error on the lines after a heading ("Parsing --limit",
 * "Missing 1 required arg:", "The following error occurred:") and ends with "See more help with
 * --help" (our hint says so): one line, heading and reasons, keeps the reason and the one-line rule.
 */
function parseMessage(err: Error): string {
  const missing = (err as { args?: unknown }).args;
  if (err.message.startsWith('Missing ') && Array.isArray(missing) && missing.every(isNamedArg)) {
    const list = missing.map((a) => (a.description ? `${a.name} (${a.description})` : a.name));
    return `${err.message.split(':')[0]}: ${list.join(', ')}`;
  }
  const lines = stripVTControlCharacters(err.message)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== 'See more help with --help');
  const [heading = '', ...reasons] = lines;
  return reasons.length === 0 ? heading : `${heading.replace(/:$/, '')}: ${reasons.join('; ')}`;
}

function isNamedArg(value: unknown): value is { name: string; description?: string } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string'
  );
}
