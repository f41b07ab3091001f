/** Reads and checks a backup's manifest.json: a damaged manifest is BACKUP_CORRUPT, never a crash later. */
import { readFile } from 'node:fs/promises';
import { BotctlError } from '../../domain/errors.js';
import type { BackupManifest } from '../../domain/ports/index.js';

export const MANIFEST_FILE = 'manifest.json';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Null when the shape is right; otherwise what is wrong. */
function problem(value: unknown): string | null {
  if (!isObject(value)) return 'not a JSON object';
  if (value.format !== 1) return `unknown format ${String(value.format)}`;
  const strings = ['id', 'createdAt', 'botctlVersion'] as const;
  for (const key of strings) if (typeof value[key] !== 'string') return `${key} is missing`;
  if (value.dialect !== 'sqlite' && value.dialect !== 'postgres') return 'dialect is missing';
  if (value.compression !== 'gzip' && value.compression !== 'pg-custom') return 'compression is missing';
  if (typeof value.encrypted !== 'boolean') return 'encrypted is missing';
  const { schema, payload } = value;
  if (!isObject(schema) || typeof schema.id !== 'number' || typeof schema.tag !== 'string') {
    return 'schema is missing';
  }
  if (
    !isObject(payload) ||
    typeof payload.file !== 'string' ||
    !/^[\w.-]+$/.test(payload.file) ||
    typeof payload.bytes !== 'number' ||
    typeof payload.sha256 !== 'string'
  ) {
    return 'payload is missing';
  }
  return null;
}

export async function readManifest(file: string): Promise<BackupManifest> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new BotctlError('NOT_FOUND', `No backup manifest at ${file}`, {
        hint: '`botctl backup list` shows the backups',
      });
    }
    throw new BotctlError(
      'BACKUP_CORRUPT',
      `Backup manifest ${file} is unreadable: ${(error as Error).message}`,
      {
        cause: error,
        hint: 'restore from another backup',
      },
    );
  }
  const why = problem(parsed);
  if (why !== null) {
    throw new BotctlError('BACKUP_CORRUPT', `Backup manifest ${file} is damaged: ${why}`, {
      hint: 'restore from another backup',
    });
  }
  return parsed as BackupManifest;
}
