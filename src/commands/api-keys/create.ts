import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { API_KEY_SHAPE } from '../../cli/api-keys-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { API_SCOPES, type ApiScope } from '../../domain/api-access.js';
import { parseAge } from '../../domain/backup-rules.js';
import type { CreatedApiKey } from '../../services/admin-api/index.js';

export default class ApiKeysCreate extends BaseCommand<typeof ApiKeysCreate> {
  static override summary = 'Create a key for the admin API; the key is printed this once';
  static override description =
    'Scopes: read (stats, users, lists; no message content) < write (change users, broadcasts, backups) < ' +
    'admin (message content, keys). Only a hash of the key is stored: copy it now. Clients send ' +
    '`Authorization: Bearer <key>`; the API itself is off unless BOTCTL_ADMIN=on. Recorded in the audit log.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> api-keys create --name grafana --scope read',
    '<%= config.bin %> api-keys create --name ops --scope write --expires 90d --json',
  ];
  static override flags = {
    name: Flags.string({ description: 'who or what uses the key (1-64 characters)', required: true }),
    scope: Flags.string({ description: 'what the key may do', options: [...API_SCOPES], required: true }),
    expires: Flags.string({ description: 'expire after this long: 12h, 30d, 2w (default: never)' }),
  };
  static jsonShape: JsonShape = { ...(API_KEY_SHAPE as Record<string, JsonShape>), key: 'string' };

  async run(): Promise<CreatedApiKey> {
    const { flags } = this;
    const expiresInMs = flags.expires === undefined ? undefined : parseAge(flags.expires);
    const created = await (
      await this.useCase('apiKeys')
    ).create({
      name: flags.name,
      scope: flags.scope as ApiScope,
      ...(expiresInMs === undefined ? {} : { expiresInMs }),
    });
    this.say(
      `Created API key ${created.id} (${created.name}, scope ${created.scope}, expires ${created.expiresAt ?? 'never'}):`,
    );
    this.say(created.key);
    this.say('Copy it now: it is not stored and cannot be shown again.');
    return created;
  }
}
