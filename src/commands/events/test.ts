import { BaseCommand } from '../../cli/base-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { BotctlError } from '../../domain/errors.js';
import type { EndpointReport } from '../../services/events/index.js';

export default class EventsTest extends BaseCommand<typeof EventsTest> {
  static override summary = 'Send a signed test event to each event webhook endpoint';
  static override description =
    'Posts one `test` event, signed like every other (X-Botctl-Signature), to each endpoint in eventWebhooks ' +
    '(BOTCTL_EVENT_WEBHOOKS) at once, without storing it, and prints one line per endpoint. ' +
    'Exits 1 when any endpoint did not answer 2xx, 2 when none is configured.' +
    EXIT_CODES_HELP;
  static override examples = ['<%= config.bin %> events test', '<%= config.bin %> events test --json'];
  static jsonShape: JsonShape = { endpoints: [{ endpoint: 'string', ok: 'boolean', error: 'string|null' }] };

  async run(): Promise<{ endpoints: EndpointReport[] }> {
    if (this.loadConfig().eventWebhooks.length === 0) {
      throw new BotctlError('CONFIG_MISSING', 'No event webhook endpoint is configured', {
        hint: 'set eventWebhooks (BOTCTL_EVENT_WEBHOOKS), e.g. [{"url":"https://…","secret":"…"}]',
      });
    }
    const endpoints = await (await this.useCase('events')).test();
    for (const report of endpoints) {
      this.say(report.ok ? `sent     ${report.endpoint}` : `FAILED   ${report.endpoint}: ${report.error}`);
    }
    const failed = endpoints.filter((report) => !report.ok);
    if (failed.length > 0) {
      this.failWith(
        new BotctlError('CHECK_FAILED', `${failed.length} endpoint(s) did not take the test event`, {
          hint: 'the receiver must answer 2xx within 10 s; check its URL and that it is up',
        }),
      );
    }
    return { endpoints };
  }
}
