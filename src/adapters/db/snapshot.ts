/**
 * Whole-database copies for backups, by URL like open.ts: SQLite through the online backup
 * API, PostgreSQL through pg_dump/pg_restore (tools injected by the composition root). The
 * checker opens a copy of either dialect, whatever database is configured, so a backup can be
 * verified on any machine.
 */
import type { DatabaseSnapshotter, SnapshotChecker } from '../../domain/ports/index.js';
import { parseDatabaseUrl } from './url.js';
import { maskUrlPassword } from '../../domain/url-password.js';
import { checkPgDump, createPgSnapshotter, type PgDumpTools } from './pg/snapshot.js';
import { checkSqliteCopy, createSqliteSnapshotter } from './sqlite/snapshot.js';

export type { PgDumpTools } from './pg/snapshot.js';

export function createSnapshotter(url: string, tools: PgDumpTools): DatabaseSnapshotter {
  const target = parseDatabaseUrl(url, process.cwd());
  if (target.dialect === 'postgres')
    return createPgSnapshotter(target.location, `PostgreSQL at ${maskUrlPassword(target.location)}`, tools);
  return createSqliteSnapshotter(target.location);
}

export function createSnapshotChecker(tools: PgDumpTools): SnapshotChecker {
  return {
    async check(dialect, file) {
      return dialect === 'sqlite' ? checkSqliteCopy(file) : checkPgDump(tools, file, true);
    },
  };
}
