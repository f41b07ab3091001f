/**
 * pg_dump and pg_restore through execa. The password travels in PGPASSWORD, never on the
 * command line (where `ps` would show it). A missing binary is BACKUP_FAILED with the package
 * to install; a failing one is BACKUP_FAILED with its first stderr line; a dump pg_restore
 * cannot read is BACKUP_CORRUPT.
 */
import { devNull } from 'node:os';
import { BotctlError } from '../../domain/errors.js';
import type { SchemaVersion } from '../../domain/ports/index.js';

const LEDGER = 'botctl_migrations';

interface Run {
  stdout: string;
  stderr: string;
}

/** Splits a postgres:// URL into a password-free URL and the password for PGPASSWORD. */
function connection(url: string): { dbname: string; env: Record<string, string> } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: password === '' ? {} : { PGPASSWORD: password } };
}

function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? '').trim();
}

async function run(tool: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { execa } = await import('execa');
  const result = await execa(tool, args, {
    env,
    reject: false,
    stdin: 'ignore',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.code === 'ENOENT') {
    throw new BotctlError(
      'BACKUP_FAILED',
      `${tool} was not found on PATH: Postgres backups need the PostgreSQL client tools`,
      {
        hint: 'install them (Debian/Ubuntu: apt-get install postgresql-client; Alpine: apk add postgresql-client), matching the server major version or newer',
      },
    );
  }
  if (result.failed) {
    const error = new BotctlError(
      'BACKUP_FAILED',
      `${tool} failed: ${firstLine(String(result.stderr)) || result.shortMessage}`,
      {
        hint: /version mismatch/i.test(String(result.stderr))
          ? 'install a client at least as new as the server (postgresql-client-<major>)'
          : 'check the database URL and that the server is reachable',
      },
    );
    Object.assign(error, { stderr: String(result.stderr) });
    throw error;
  }
  return { stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The rows of `COPY public.botctl_migrations (...) FROM stdin;` in a pg_restore script. */
function ledgerFromScript(script: string): SchemaVersion[] {
  const lines = script.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`COPY public.${LEDGER} (`));
  if (start < 0) return [];
  const columns =
    /\(([^)]*)\)/
      .exec(lines[start] as string)?.[1]
      ?.split(',')
      .map((c) => c.trim()) ?? [];
  const idAt = columns.indexOf('id');
  const tagAt = columns.indexOf('tag');
  const rows: SchemaVersion[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line === '\\.') break;
    const cells = line.split('\t');
    rows.push({ id: Number(cells[idAt]), tag: cells[tagAt] ?? '' });
  }
  return rows.sort((a, b) => a.id - b.id);
}

const unreadable = (file: string, error: unknown) =>
  new BotctlError(
    'BACKUP_CORRUPT',
    `pg_restore cannot read the dump ${file}: ${(error as Error).message.replace(/^pg_restore failed: /, '')}`,
    {
      cause: error,
      hint: 'restore from another backup',
    },
  );

interface DumpContents {
  /** schema.table of every table whose data the dump holds. */
  tables: string[];
  /** Names of the tables, views, sequences and types the dump creates in `public`. */
  objects: string[];
  ledger: SchemaVersion[];
}

export interface PgTools {
  /** pg_dump --format=custom of the whole database into `file`. */
  dump(url: string, file: string): Promise<void>;
  /** pg_restore --clean --if-exists in one transaction: all or nothing. */
  restore(url: string, file: string): Promise<void>;
  /**
   * Reads the dump's table of contents and its ledger rows; with `full`, also decodes every
   * data block (pg_restore into /dev/null), which is what catches damage inside the data.
   */
  inspectDump(file: string, options: { full: boolean }): Promise<DumpContents>;
}

export function createPgTools(): PgTools {
  const tryRead = async (file: string, args: string[]) => {
    try {
      return await run('pg_restore', [...args, file]);
    } catch (error) {
      if (error instanceof BotctlError && error.message.includes('not found on PATH')) throw error;
      throw unreadable(file, error);
    }
  };
  return {
    async dump(url, file) {
      const { dbname, env } = connection(url);
      await run('pg_dump', ['--format=custom', '--no-password', `--file=${file}`, `--dbname=${dbname}`], env);
    },

    async restore(url, file) {
      const { dbname, env } = connection(url);
      const args = [
        '--clean',
        '--if-exists',
        '--single-transaction',
        '--exit-on-error',
        '--no-owner',
        '--no-privileges',
      ];
      await run('pg_restore', [...args, '--no-password', `--dbname=${dbname}`, file], env);
    },

    async inspectDump(file, { full }) {
      const list = await tryRead(file, ['--list']);
      const tables = [...list.stdout.matchAll(/^\d+; \d+ \d+ TABLE DATA (\S+) (\S+) /gm)].map(
        (m) => `${m[1]}.${m[2]}`,
      );
      const objects = [
        ...list.stdout.matchAll(
          /^\d+; \d+ \d+ (?:TABLE|SEQUENCE|VIEW|MATERIALIZED VIEW|TYPE|DOMAIN) public (\S+) /gm,
        ),
      ].map((m) => m[1] as string);
      if (full) await tryRead(file, [`--file=${devNull}`]);
      const ledger = tables.includes(`public.${LEDGER}`)
        ? ledgerFromScript((await tryRead(file, ['--data-only', `--table=${LEDGER}`, '--file=-'])).stdout)
        : [];
      return { tables, objects, ledger };
    },
  };
}
