/** The refusals both dialects' database guards give (see DatabaseGuard). */
import { BotctlError } from '../../../domain/errors.js';

export const theBotRuns = (target: string, danger: string) =>
  new BotctlError('LOCKED', `The bot is running on this database (${target}): ${danger}`, {
    hint: 'stop the bot first (`systemctl stop botctl`, `docker compose stop botctl`, or Ctrl-C on `botctl start`), then try again; nothing was changed',
  });

export const restoreRunning = (target: string) =>
  new BotctlError('LOCKED', `A restore or a rollback is changing this database (${target})`, {
    hint: 'wait for `botctl backup restore` or `botctl migrate down` to finish, then start again',
  });

export const busy = (error: unknown) =>
  ['SQLITE_BUSY', 'SQLITE_LOCKED'].includes((error as { code?: string }).code ?? '');
