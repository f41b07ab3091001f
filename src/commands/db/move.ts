import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { bar } from '../../cli/charts.js';
import { canAsk, destructive, type Confirmation } from '../../cli/confirm.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { PASSWORD_MASK } from '../../domain/url-password.js';
import type { MoveProgressEvent, MoveResult } from '../../services/dbmove/index.js';

const SIDE: JsonShape = { dialect: 'string', where: 'string' };

export default class DbMove extends BaseCommand<typeof DbMove> {
  static override summary = 'Copy the database into another one (SQLite <-> PostgreSQL), checked row for row';
  static override description =
    'Copies every table of the configured database into --to (a postgres:// URL or a SQLite file path), ' +
    'parents first, in batches, ids kept, and migrates --to to the same schema first. Refused while a bot runs ' +
    'on either database (stop it first) and while the configured database has pending migrations. Encrypted ' +
    'fields are copied sealed: the same encryptionKeys read them. Each table is checked afterwards (row count and ' +
    'a digest of every row). Interrupted (Ctrl-C, a crash), the same command resumes where it stopped. A --to ' +
    'that holds data is refused unless --force, which deletes its botctl rows first (asks at a terminal; --yes ' +
    'elsewhere). Nothing changes in the configured database: switch databaseUrl when it is done.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> db move --to postgres://botctl:secret@127.0.0.1:5432/botctl',
    '<%= config.bin %> db move --to ./data/botctl.sqlite --json',
    '<%= config.bin %> db move --to postgres://botctl@db/botctl --force --yes',
  ];
  static override flags = {
    to: Flags.string({
      description:
        'the database to copy into: postgres://user:password@host:5432/database or a SQLite file path',
      required: true,
    }),
    force: Flags.boolean({
      description: 'write into a database that holds data, deleting its botctl rows first',
    }),
    yes: Flags.boolean({ description: 'do not ask before --force deletes (needed off a terminal)' }),
  };
  /**
   * tables: one entry per table, parents first (rows and digest as checked on both sides,
   * resumedAt: rows an interrupted run had copied); next: the config change to make.
   */
  static jsonShape: JsonShape = {
    from: SIDE,
    to: SIDE,
    schema: { id: 'number', tag: 'string' },
    resumed: 'boolean',
    replaced: 'boolean',
    declined: 'boolean',
    rows: 'number',
    durationMs: 'number',
    tables: [{ name: 'string', rows: 'number', digest: 'string', resumedAt: 'number' }],
    next: ['string'],
  };

  async run(): Promise<MoveResult & { next: string[] }> {
    const confirmation: Confirmation | undefined = this.flags.force
      ? destructive({
          yes: this.flags.yes,
          interactive: canAsk(this.jsonEnabled()),
          refusal: '`db move --force` deletes what the target database holds',
          hint: 'run without --force first to see what --to holds',
        })
      : undefined;
    const service = await this.useCase('dbMove');
    const progress = await this.progress();
    let result: MoveResult;
    try {
      result = await service.move(this.flags.to, {
        force: this.flags.force,
        confirm: confirmation
          ? async (contents) => {
              await progress.pause();
              const lines = [
                `${contents.where} is not empty:`,
                ...(contents.rows > 0 ? [`  ${contents.rows} rows in ${contents.tables.join(', ')}`] : []),
                ...(contents.foreignTables.length > 0
                  ? [`  other tables (left alone): ${contents.foreignTables.join(', ')}`]
                  : []),
              ];
              return confirmation.ask(lines, 'Delete its botctl rows and copy this database into it?');
            }
          : undefined,
        onProgress: progress.report,
      });
    } finally {
      await progress.stop();
    }
    if (result.declined) {
      this.logToStderr('Nothing was written.');
      process.exitCode = 1;
      return { ...result, next: [] };
    }
    const next = nextSteps(result.to.where);
    if (result.resumed) this.say('Resumed an interrupted move.');
    this.say(
      `Copied ${result.rows} rows in ${result.tables.length} tables from ${result.from.where} to ${result.to.where} ` +
        `in ${(result.durationMs / 1000).toFixed(1)} s; every table's row count and digest match.`,
    );
    this.say('Next: point botctl at the new database, then start the bot:');
    for (const line of next) this.say(`  ${line}`);
    return { ...result, next };
  }

  /** A listr2 line on a terminal, plain lines elsewhere (each table, every tenth), nothing with --json. */
  private async progress(): Promise<{
    report: (event: MoveProgressEvent) => void;
    pause: () => Promise<void>;
    stop: () => Promise<void>;
  }> {
    const none = { pause: async () => undefined, stop: async () => undefined };
    if (this.jsonEnabled()) return { report: () => undefined, ...none };
    if (process.stdout.isTTY !== true) {
      let lastTenth = -1;
      let lastTable = '';
      return {
        report: (e) => {
          if (e.phase === 'verify') return this.say(`checked ${e.table} (${e.done}/${e.total})`);
          const tenth = e.total === 0 ? 10 : Math.floor((e.done / e.total) * 10);
          if (e.table !== lastTable) lastTenth = -1;
          lastTable = e.table;
          if (tenth === lastTenth) return;
          lastTenth = tenth;
          this.say(`copying ${e.table}: ${e.done}/${e.total}`);
        },
        ...none,
      };
    }
    const { Listr } = await import('listr2');
    // One listr2 task while copying; stopped for the --force prompt and started again after it.
    const start = () => {
      let update: (text: string) => void = () => undefined;
      let finish: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const running = new Listr(
        [
          {
            title: 'Moving the database',
            task: async (_ctx, task) => {
              update = (text) => (task.output = text);
              await finished;
            },
          },
        ],
        { exitOnError: true, registerSignalListeners: false },
      ).run();
      return {
        update: (text: string) => update(text),
        stop: async () => {
          finish();
          await running;
        },
      };
    };
    let current: ReturnType<typeof start> | undefined;
    const stop = async () => {
      const stopping = current;
      current = undefined;
      await stopping?.stop();
    };
    return {
      report: (e) => {
        const width = 30;
        const verb = e.phase === 'copy' ? 'Copying' : 'Checking';
        const shown = e.phase === 'copy' ? `${e.table} ${e.done}/${e.total}` : `${e.done}/${e.total} tables`;
        (current ??= start()).update(`${verb} ${shown} ${bar(e.done, e.total, width).padEnd(width, '·')}`);
      },
      // The prompt needs the terminal to itself.
      pause: stop,
      stop,
    };
  }
}

/** The config change, with the password (if any) masked: the operator types it in. */
function nextSteps(where: string): string[] {
  const masked = where.includes(PASSWORD_MASK) ? ` (put the password where ${PASSWORD_MASK} is)` : '';
  return [
    `botctl config set databaseUrl '${where}'${masked}`,
    `or, where the environment configures botctl: BOTCTL_DATABASE_URL='${where}'`,
  ];
}
