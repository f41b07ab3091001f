import { BaseCommand } from '../../cli/base-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { BotctlError } from '../../domain/errors.js';
import type { AlertReport } from '../../services/alerts/index.js';

export default class AlertsTest extends BaseCommand<typeof AlertsTest> {
  static override summary = 'Send a test alert to each configured alert target (admin chat, Slack)';
  static override description =
    'Sends one test alert to the admin Telegram chat (alertChatId, BOTCTL_ALERT_CHAT_ID) and the Slack incoming ' +
    'webhook (slackWebhookUrl, BOTCTL_SLACK_WEBHOOK_URL), whichever are set, and prints one line per target. ' +
    'Exits 1 when any target did not take it, 2 when none is configured.' +
    EXIT_CODES_HELP;
  static override examples = ['<%= config.bin %> alerts test', '<%= config.bin %> alerts test --json'];
  static jsonShape: JsonShape = { targets: [{ target: 'string', ok: 'boolean', error: 'string|null' }] };

  async run(): Promise<{ targets: AlertReport[] }> {
    const alerts = await this.useCase('alerts');
    if (alerts.targets.length === 0) {
      throw new BotctlError('CONFIG_MISSING', 'No alert target is configured', {
        hint: 'set alertChatId (BOTCTL_ALERT_CHAT_ID) with a bot token, or slackWebhookUrl (BOTCTL_SLACK_WEBHOOK_URL)',
      });
    }
    const targets = await alerts.send({ kind: 'test', params: {} });
    for (const report of targets) {
      this.say(report.ok ? `sent     ${report.target}` : `FAILED   ${report.target}: ${report.error}`);
    }
    const failed = targets.filter((report) => !report.ok);
    if (failed.length > 0) {
      this.failWith(
        new BotctlError('CHECK_FAILED', `${failed.length} alert target(s) did not take the test alert`, {
          hint: 'for Telegram, the bot must be a member of the chat; for Slack, check the webhook URL',
        }),
      );
    }
    return { targets };
  }
}
