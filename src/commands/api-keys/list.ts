import { BaseCommand } from '../../cli/base-command.js';
import { API_KEY_HEADER, API_KEY_SHAPE, apiKeyRow } from '../../cli/api-keys-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import type { ApiKeyView } from '../../services/admin-api/index.js';

export default class ApiKeysList extends BaseCommand<typeof ApiKeysList> {
  static override summary = 'List admin API keys (never the keys themselves)';
  static override description =
    "Shows each key's scope, state (active, expired, revoked), when it was created, when it expires and when it was " +
    'last used (recorded at most once a minute).' +
    EXIT_CODES_HELP;
  static override examples = ['<%= config.bin %> api-keys list', '<%= config.bin %> api-keys list --json'];
  static jsonShape: JsonShape = { keys: [API_KEY_SHAPE] };

  async run(): Promise<{ keys: ApiKeyView[] }> {
    const keys = await (await this.useCase('apiKeys')).list();
    if (keys.length === 0)
      this.say('No API keys. Create one with `botctl api-keys create --name N --scope read`.');
    else {
      this.say(API_KEY_HEADER);
      for (const key of keys) this.say(apiKeyRow(key));
    }
    return { keys };
  }
}
