/**
 * `botctl db move`: copies the configured database into another one (SQLite <-> Postgres, or
 * the same dialect elsewhere) and proves the copy equal. The order of its rules:
 *   1. neither database may be in use by a running bot (held to the end, so none starts meanwhile);
 *   2. the source must be fully migrated; the target is migrated to the same version;
 *   3. a target holding anything but this move's own progress is refused without --force;
 *   4. tables go parents first, in primary-key batches, each batch with its progress in one
 *      transaction, so a killed move resumes after the last batch that committed;
 *   5. every table's row count and digest must match on both sides before the move counts as done;
 *   6. id sequences continue above every id the source handed out.
 */
import { BotctlError } from '../../domain/errors.js';
import type {
  MoveDatabase,
  MoveKey,
  MoveProgress,
  MoveTarget,
  SchemaVersion,
  TableDigest,
} from '../../domain/ports/index.js';

export interface DbMoveDeps {
  /** The configured database; DATABASE_MISSING when there is none. */
  openSource(): Promise<MoveDatabase>;
  /** `--to`: a one-line USAGE error when it is no database URL or path. */
  openTarget(to: string): Promise<MoveTarget>;
  now(): number;
}

/** What is in the target before the move, when it is more than this move's progress. */
export interface TargetContents {
  where: string;
  rows: number;
  tables: string[];
  foreignTables: string[];
}

export interface MoveProgressEvent {
  phase: 'copy' | 'verify';
  table: string;
  done: number;
  total: number;
}

export interface MoveOptions {
  /** Write into a non-empty target after deleting its botctl rows. */
  force?: boolean;
  /** Asked before --force deletes what the target holds; false leaves everything as it was. */
  confirm?: (contents: TargetContents) => Promise<boolean>;
  onProgress?: (event: MoveProgressEvent) => void;
}

export interface MovedTable extends TableDigest {
  name: string;
  /** Rows an interrupted run had already copied (0 on a fresh move). */
  resumedAt: number;
}

export interface MoveResult {
  from: { dialect: string; where: string };
  to: { dialect: string; where: string };
  schema: SchemaVersion;
  /** This run continued an interrupted one. */
  resumed: boolean;
  /** --force deleted what the target held first. */
  replaced: boolean;
  tables: MovedTable[];
  rows: number;
  durationMs: number;
  /** The operator said no at the prompt: nothing was written. */
  declined: boolean;
}

export interface DbMoveService {
  move(to: string, options?: MoveOptions): Promise<MoveResult>;
}

export function createDbMoveService(deps: DbMoveDeps): DbMoveService {
  return {
    async move(to, options = {}) {
      const source = await deps.openSource();
      let target: MoveTarget | undefined;
      try {
        target = await deps.openTarget(to);
        return await moveBetween(deps, source, target, options);
      } finally {
        await target?.close();
        await source.close();
      }
    },
  };
}

async function moveBetween(
  deps: DbMoveDeps,
  source: MoveDatabase,
  target: MoveTarget,
  options: MoveOptions,
): Promise<MoveResult> {
  const started = deps.now();
  if (source.identity === target.identity) {
    throw new BotctlError('USAGE', `--to names the configured database itself (${target.where})`, {
      hint: 'give another database: a postgres:// URL or a new SQLite file path',
    });
  }
  const holds = [await source.holdExclusive('a move now would miss what the bot writes meanwhile')];
  try {
    holds.push(await target.holdExclusive('a move would write under the bot running on the target'));
    const schema = await sourceSchema(source);
    const targetStatus = await target.status();
    if (targetStatus.current > schema.id) {
      throw new BotctlError(
        'SCHEMA_NEWER',
        `${target.where} is at migration ${targetStatus.current}, newer than the configured database (${schema.id})`,
        {
          hint: 'upgrade botctl and run `botctl migrate up` on the configured database first, or move into an empty database',
        },
      );
    }
    const progress = await target.readProgress();
    const resumable =
      progress !== null &&
      progress.source === source.identity &&
      progress.schema.id === schema.id &&
      progress.schema.tag === schema.tag;
    const contents = await contentsOf(target, progress !== null && !resumable, resumable);
    let replaced = false;
    if (contents !== null) {
      if (!options.force) {
        throw new BotctlError(
          'USAGE',
          `Refusing to write into ${target.where}: it is not empty (${describe(contents)})`,
          {
            hint: 'move into an empty database, or pass --force to delete its botctl rows first (--yes off a terminal)',
          },
        );
      }
      if (options.confirm && !(await options.confirm(contents))) {
        return declined(source, target, schema, deps.now() - started);
      }
      await target.clear();
      replaced = true;
    }
    await target.migrateTo(schema.id);
    const resumed = resumable && !replaced;
    if (!resumed) await target.startProgress(source.identity, schema);
    const state = resumed ? (progress as MoveProgress) : null;

    const totals = await source.counts();
    const tables: MovedTable[] = [];
    for (const table of source.tables) {
      const was = state?.tables.get(table);
      const total = totals[table] ?? 0;
      if (was?.done !== true) await copyTable(source, target, table, total, was, options);
      tables.push({ name: table, rows: 0, digest: '', resumedAt: was?.copied ?? 0 });
    }
    for (const table of source.tables) {
      await target.setHighWater(table, await source.highWater(table));
    }
    await verify(source, target, tables, options);
    await target.endProgress();
    return {
      from: { dialect: source.dialect, where: source.where },
      to: { dialect: target.dialect, where: target.where },
      schema,
      resumed,
      replaced,
      tables,
      rows: tables.reduce((sum, t) => sum + t.rows, 0),
      durationMs: deps.now() - started,
      declined: false,
    };
  } finally {
    for (const hold of holds.reverse()) await hold.release();
  }
}

async function sourceSchema(source: MoveDatabase): Promise<SchemaVersion> {
  const status = await source.status();
  if (status.pending > 0 || status.current < status.latest) {
    throw new BotctlError(
      'MIGRATIONS_PENDING',
      `The configured database has ${status.pending} pending migration(s): a move copies a fully migrated database`,
      { hint: 'run `botctl migrate up` first, then move' },
    );
  }
  const last = status.migrations.find((m) => m.id === status.current);
  if (last === undefined)
    throw new BotctlError('INTERNAL', 'The migration ledger names no current migration');
  return { id: last.id, tag: last.tag };
}

/**
 * null when the target is empty or holds only what an interrupted move of this same source wrote
 * (its rows and progress); anything else is someone's data.
 */
async function contentsOf(
  target: MoveTarget,
  foreignProgress: boolean,
  resumable: boolean,
): Promise<TargetContents | null> {
  const [counts, foreignTables] = await Promise.all([target.counts(), target.foreignTables()]);
  const filled = Object.entries(counts).filter(([, n]) => n > 0);
  const rows = filled.reduce((sum, [, n]) => sum + n, 0);
  if (foreignTables.length === 0 && !foreignProgress && (rows === 0 || resumable)) return null;
  return { where: target.where, rows, tables: filled.map(([name]) => name), foreignTables };
}

function describe(contents: TargetContents): string {
  const parts = [];
  if (contents.rows > 0) parts.push(`${contents.rows} rows in ${contents.tables.join(', ')}`);
  if (contents.foreignTables.length > 0) parts.push(`other tables: ${contents.foreignTables.join(', ')}`);
  if (parts.length === 0) parts.push('an unfinished move from another database');
  return parts.join('; ');
}

async function copyTable(
  source: MoveDatabase,
  target: MoveTarget,
  table: string,
  total: number,
  was: { lastKey: MoveKey | null; copied: number } | undefined,
  options: MoveOptions,
): Promise<void> {
  let after = was?.lastKey ?? null;
  let copied = was?.copied ?? 0;
  options.onProgress?.({ phase: 'copy', table, done: copied, total });
  for (;;) {
    const batch = await source.readBatch(table, after);
    if (batch.last === null) break;
    copied += batch.rows.length;
    await target.writeBatch(table, batch.rows, batch.last, copied);
    after = batch.last;
    options.onProgress?.({ phase: 'copy', table, done: Math.min(copied, total), total });
  }
  await target.finishTable(table);
}

async function verify(
  source: MoveDatabase,
  target: MoveTarget,
  tables: MovedTable[],
  options: MoveOptions,
): Promise<void> {
  const different: string[] = [];
  for (const [index, entry] of tables.entries()) {
    const [here, there] = await Promise.all([source.digest(entry.name), target.digest(entry.name)]);
    options.onProgress?.({ phase: 'verify', table: entry.name, done: index + 1, total: tables.length });
    if (here.rows !== there.rows || here.digest !== there.digest) {
      different.push(
        here.rows === there.rows
          ? `${entry.name} (same ${here.rows} rows, different contents)`
          : `${entry.name} (${here.rows} rows here, ${there.rows} there)`,
      );
    }
    entry.rows = here.rows;
    entry.digest = here.digest;
  }
  if (different.length > 0) {
    throw new BotctlError(
      'CHECK_FAILED',
      `The copy in ${target.where} differs from the configured database: ${different.join('; ')}`,
      {
        hint: 'the source changed since the move began (did a bot run on it?): stop the bot and run the move again with --force',
      },
    );
  }
}

function declined(
  source: MoveDatabase,
  target: MoveTarget,
  schema: SchemaVersion,
  durationMs: number,
): MoveResult {
  return {
    from: { dialect: source.dialect, where: source.where },
    to: { dialect: target.dialect, where: target.where },
    schema,
    resumed: false,
    replaced: false,
    tables: [],
    rows: 0,
    durationMs,
    declined: true,
  };
}
