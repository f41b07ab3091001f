/**
 * Whole-database copies for backups, by URL like open.ts: SQLite through the online backup
 * API, PostgreSQL through pg_dump/pg_restore (tools injected by the composition root). The
 * checker opens a copy of either dialect, whatever database is configured, so a backup can be
 * verified on any machine.
 */
import type { DatabaseSnapshotter, SnapshotChecker } from '../../domain/ports.js';
import { isPostgresUrl, redactUrl, sqlitePath } from './open.js';
import { checkPgDump, createPgSnapshotter, type PgDumpTools } from './pg/snapshot.js';
import { checkSqliteCopy, createSqliteSnapshotter } from './sqlite/snapshot.js';

export type { PgDumpTools } from './pg/snapshot.js';

export function createSnapshotter(url: string, tools: PgDumpTools): DatabaseSnapshotter {
  if (isPostgresUrl(url)) return createPgSnapshotter(url, `PostgreSQL at ${redactUrl(url)}`, tools);
  return createSqliteSnapshotter(sqlitePath(url));
}

export function createSnapshotChecker(tools: PgDumpTools): SnapshotChecker {
  return {
    async check(dialect, file) {
      return dialect === 'sqlite' ? checkSqliteCopy(file) : checkPgDump(tools, file, true);
    },
  };
}
