/**
 * Reads drizzle-kit's output: meta/_journal.json lists the migrations, `<tag>.sql` holds each
 * one and our hand-written `<tag>.down.sql` reverses it. The folder is found from this
 * module's own location, so it works from src/ (tsx, vitest), from dist/ and from a global
 * install, whatever the working directory.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotctlError } from '../../domain/errors.js';
import type { Dialect } from '../../domain/ports/index.js';

export interface MigrationFile {
  /** The journal's idx. */
  id: number;
  tag: string;
  /** sha256 of the .sql file (line endings normalised, so a CRLF checkout does not count as an edit). */
  hash: string;
  statements: string[];
  /** Null when there is no .down.sql beside the migration. */
  down: string[] | null;
}

interface Journal {
  entries: Array<{ idx: number; tag: string }>;
}

const FOLDER: Record<Dialect, string> = { sqlite: 'sqlite', postgres: 'pg' };
const BREAKPOINT = '--> statement-breakpoint';

/** Walks up from this file to the package root that holds migrations/<dialect>/. */
export function locateMigrations(dialect: Dialect, from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const candidate = join(dir, 'migrations', FOLDER[dialect]);
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new BotctlError('MIGRATION_FAILED', `No migrations/${FOLDER[dialect]} folder above ${from}`, {
        hint: 'The package is incomplete: reinstall botctl (migrations/ ships with it).',
      });
    }
    dir = parent;
  }
}

function splitStatements(sql: string): string[] {
  return sql
    .split(BREAKPOINT)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function hashMigration(sql: string): string {
  return createHash('sha256').update(sql.replaceAll('\r\n', '\n')).digest('hex');
}

export function loadMigrations(dir: string): MigrationFile[] {
  const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as Journal;
  return journal.entries
    .map(({ idx, tag }) => {
      const up = readFileSync(join(dir, `${tag}.sql`), 'utf8');
      const downPath = join(dir, `${tag}.down.sql`);
      return {
        id: idx,
        tag,
        hash: hashMigration(up),
        statements: splitStatements(up),
        down: existsSync(downPath) ? splitStatements(readFileSync(downPath, 'utf8')) : null,
      };
    })
    .sort((a, b) => a.id - b.id);
}
