/**
 * What the `backup` commands share: the backup service without opening the database (so
 * restore works over a damaged file), the passphrase flags and their environment fallbacks,
 * and progress that is a listr2 spinner on a terminal and silent otherwise (cron logs get
 * plain result lines only).
 */
import fs from 'node:fs';
import { Flags, type Command } from '@oclif/core';
import { BotctlError } from '../domain/errors.js';
import type { BackupService, Step } from '../services/backup/index.js';
import { BaseCommand } from './base-command.js';
import type { JsonShape } from './json-shape.js';

const SCHEMA_SHAPE: JsonShape = { id: 'number', tag: 'string' };
/** One backup as `list`, `create` and `prune` report it (BackupSummary). */
export const BACKUP_SHAPE: JsonShape = {
  id: 'string',
  path: 'string',
  createdAt: 'string',
  dialect: 'string',
  schema: SCHEMA_SHAPE,
  reason: 'string',
  encrypted: 'boolean',
  bytes: 'number',
  databaseBytes: 'number',
  sha256: 'string',
};
export const VERIFY_SHAPE: JsonShape = {
  id: 'string',
  path: 'string',
  dialect: 'string',
  schema: SCHEMA_SHAPE,
  encrypted: 'boolean',
  bytes: 'number',
  databaseBytes: 'number',
  sha256: 'string',
  checks: ['string'],
};
/** safetyBackup is {id, path} or null (the shape grammar has no nullable objects). */
export const RESTORE_SHAPE: JsonShape = {
  id: 'string',
  target: 'string',
  schema: SCHEMA_SHAPE,
  compatibility: 'string',
  replacedExisting: 'boolean',
  safetyBackup: 'unknown',
  next: 'string|null',
};

export const passphraseFlags = {
  passphrase: Flags.string({
    description:
      'encryption passphrase (visible to `ps`: prefer --passphrase-file or BOTCTL_BACKUP_PASSPHRASE)',
    exclusive: ['passphrase-file'],
  }),
  'passphrase-file': Flags.string({ description: 'read the passphrase from this file (first line)' }),
};

/** Flag, then file flag, then BOTCTL_BACKUP_PASSPHRASE, then BOTCTL_BACKUP_PASSPHRASE_FILE. */
export function resolvePassphrase(
  flags: { passphrase?: string; 'passphrase-file'?: string },
  env: Record<string, string | undefined>,
): string | undefined {
  if (flags.passphrase !== undefined) return flags.passphrase;
  if (flags['passphrase-file']) return firstLine(flags['passphrase-file']);
  if (env.BOTCTL_BACKUP_PASSPHRASE) return env.BOTCTL_BACKUP_PASSPHRASE;
  if (env.BOTCTL_BACKUP_PASSPHRASE_FILE) return firstLine(env.BOTCTL_BACKUP_PASSPHRASE_FILE);
  return undefined;
}

function firstLine(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
  } catch (error) {
    throw new BotctlError(
      'USAGE',
      `Cannot read the passphrase file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      {
        hint: 'check the path and its permissions',
      },
    );
  }
}

export abstract class BackupCommand<T extends typeof Command> extends BaseCommand<T> {
  /** The app's backup service: it opens no database, so restore works over a damaged one. */
  protected async backups(): Promise<BackupService> {
    return this.useCase('backups');
  }

  protected passphrase(): string | undefined {
    return resolvePassphrase(this.flags as { passphrase?: string }, process.env);
  }

  /** Runs `work` under a spinner when stdout is a terminal (and not --json); silently otherwise. */
  protected async withProgress<R>(title: string, work: (step: Step) => Promise<R>): Promise<R> {
    if (process.stdout.isTTY !== true || this.jsonEnabled()) return work(() => undefined);
    const { Listr } = await import('listr2');
    let result: R | undefined;
    await new Listr(
      [
        {
          title,
          task: async (_ctx, task) => {
            result = await work((message) => (task.output = message));
          },
        },
      ],
      { exitOnError: true, registerSignalListeners: false },
    ).run();
    return result as R;
  }
}
