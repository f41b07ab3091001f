import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import { USER_SHAPE, userRow } from '../../cli/users-command.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { ROLES, USER_STATUSES } from '../../domain/entities.js';
import type { UserSummary } from '../../services/users/index.js';

export default class UsersList extends BaseCommand<typeof UsersList> {
  static override summary = 'List users, with filters';
  static override description =
    'Oldest first. --search matches part of the username, first or last name, ignoring case (ASCII only on SQLite); ' +
    '--active-days N keeps users seen in the last N days.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> users list',
    '<%= config.bin %> users list --role premium --active-days 7',
    '<%= config.bin %> users list --search ann --json',
  ];
  static override flags = {
    role: Flags.string({ description: 'only this role', options: [...ROLES] }),
    status: Flags.string({ description: 'only this status', options: [...USER_STATUSES] }),
    language: Flags.string({ description: 'only this interface language (en, ru)' }),
    'active-days': Flags.integer({ description: 'only users seen in the last N days', min: 1 }),
    search: Flags.string({ description: 'part of the username or name' }),
    limit: Flags.integer({ description: 'at most this many users', default: 50, min: 1, max: 10_000 }),
    offset: Flags.integer({ description: 'skip this many users first', default: 0, min: 0 }),
  };
  static jsonShape: JsonShape = { users: [USER_SHAPE], total: 'number', limit: 'number', offset: 'number' };

  async run(): Promise<{ users: UserSummary[]; total: number; limit: number; offset: number }> {
    const { flags } = this;
    const service = await this.useCase('users');
    const result = await service.list({
      role: flags.role as UserSummary['role'] | undefined,
      status: flags.status as UserSummary['status'] | undefined,
      language: flags.language,
      activeDays: flags['active-days'],
      search: flags.search,
      limit: flags.limit,
      offset: flags.offset,
    });
    for (const user of result.users) this.say(userRow(user));
    const shown = result.users.length;
    const range = shown === 0 ? 'none' : `${result.offset + 1}-${result.offset + shown}`;
    this.say(`${range} of ${result.total} user${result.total === 1 ? '' : 's'}`);
    return result;
  }
}
