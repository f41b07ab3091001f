import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { API_KEY_SHAPE, keyIdArg } from '../../cli/api-keys-command.js';
import { canAsk, destructive } from '../../cli/confirm.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import type { ApiKeyView } from '../../services/admin-api/index.js';

export default class ApiKeysRevoke extends BaseCommand<typeof ApiKeysRevoke> {
  static override summary = 'Revoke an admin API key: requests with it get 401 from then on';
  static override description =
    'Cannot be undone (create a new key instead). Asks at a terminal (Enter means no); anywhere else it needs ' +
    '--yes. Recorded in the audit log.' +
    EXIT_CODES_HELP;
  static override examples = ['<%= config.bin %> api-keys revoke 3 --yes'];
  static override args = {
    id: keyIdArg,
  };
  static override flags = {
    yes: Flags.boolean({ description: 'confirm the revocation' }),
  };
  static jsonShape: JsonShape = { key: API_KEY_SHAPE, changed: 'boolean' };

  async run(): Promise<{ key: ApiKeyView; changed: boolean }> {
    const { args, flags } = await this.parse(ApiKeysRevoke);
    const confirmation = destructive({
      yes: flags.yes,
      interactive: canAsk(this.jsonEnabled()),
      refusal: `Refusing to revoke API key ${args.id}`,
      hint: 'see the key with `botctl api-keys list`, then add --yes',
    });
    const service = await this.useCase('apiKeys');
    const key = (await service.list()).find((k) => k.id === args.id);
    if (key !== undefined && key.state !== 'revoked') {
      const ok = await confirmation.ask(
        [`Key ${key.id} (${key.name}, scope ${key.scope}) stops working at once; this cannot be undone.`],
        `Revoke key ${key.id}?`,
      );
      if (!ok) {
        this.logToStderr('Nothing was revoked.');
        process.exitCode = 1;
        return { key, changed: false };
      }
    }
    const result = await service.revoke(args.id);
    this.say(
      result.changed
        ? `Revoked API key ${result.key.id} (${result.key.name}).`
        : `API key ${result.key.id} (${result.key.name}) was already revoked (nothing changed).`,
    );
    return result;
  }
}
