import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import { SETTINGS_SHAPE } from '../../cli/export-shape.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { QUOTA_SHAPE, USER_SHAPE, quotaLines, userArg, who } from '../../cli/users-command.js';
import type { UserDetails } from '../../services/users/index.js';

export default class UsersShow extends BaseCommand<typeof UsersShow> {
  static override summary = "One user's profile, settings, activity and today's quota";
  static override description =
    "The custom prompt is the user's own text: only its length is shown unless --reveal." + EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> users show 123456789',
    '<%= config.bin %> users show @ann --json',
  ];
  static override args = { user: userArg };
  static override flags = {
    reveal: Flags.boolean({ description: "print the user's custom prompt, not only its length" }),
  };
  static jsonShape: JsonShape = {
    user: { ...(USER_SHAPE as Record<string, JsonShape>), languageCode: 'string|null' },
    // The custom prompt shows as its length, and its text only with --reveal.
    settings: {
      ...(SETTINGS_SHAPE as Record<string, JsonShape>),
      customPrompt: { length: 'number', text: 'string|null' },
    },
    activity: { conversations: 'number', messages: 'number', lastMessageAt: 'string|null' },
    quota: QUOTA_SHAPE,
  };

  async run(): Promise<UserDetails> {
    const { args } = await this.parse(UsersShow);
    const details = await (await this.useCase('users')).show(args.user, { reveal: this.flags.reveal });
    const { user, settings, activity } = details;
    const prompt = settings.customPrompt;
    this.say(`${who(user)}  ${[user.firstName, user.lastName].filter(Boolean).join(' ')}`);
    this.say(
      `  role ${user.role}${user.premiumUntil ? ` until ${user.premiumUntil}` : ''}, status ${user.status}, ` +
        `language ${user.language} (Telegram: ${user.languageCode ?? '-'})`,
    );
    this.say(`  first seen ${user.createdAt}, last seen ${user.lastSeenAt}`);
    this.say(
      `  ${activity.conversations} conversations, ${activity.messages} messages, last ${activity.lastMessageAt ?? 'never'}`,
    );
    this.say(
      `Settings: persona ${settings.persona}, detail ${settings.detailLevel}, model ${settings.model ?? '(default)'}, ` +
        `timezone ${settings.timezone}, voice replies ${settings.voiceReplies}, transcript ${settings.showTranscript ? 'on' : 'off'}, ` +
        `suggestions ${settings.suggestions ? 'on' : 'off'}`,
    );
    if (prompt === null) this.say('  custom prompt: none');
    else if (prompt.text === null)
      this.say(`  custom prompt: ${prompt.length} characters (--reveal to print it)`);
    else this.say(`  custom prompt (${prompt.length} characters):\n${prompt.text}`);
    for (const line of quotaLines(details.quota)) this.say(line);
    return details;
  }
}
