import fs from 'node:fs';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { telegramIdArg } from '../../cli/users-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import { USERS_EXPORT_SHAPE } from '../../cli/export-shape.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { renderTranscript, transcriptLabels, type UserExport } from '../../domain/transcript.js';

export interface UsersExportResult {
  telegramId: number;
  /** The file written, or null when the export went to stdout (or into `data`). */
  output: string | null;
  format: 'json' | 'markdown';
  conversations: number;
  messages: number;
  usageDays: number;
  /** The export itself, with --json and no --output. */
  data?: UserExport;
}

export default class UsersExport extends BaseCommand<typeof UsersExport> {
  static override summary = "Export everything stored about one user (the user's data-rights copy)";
  static override description =
    'Profile, settings, every conversation with its messages, daily usage, broadcast deliveries and audio ' +
    'records, as JSON (default) or a Markdown transcript. Encrypted fields are decrypted: treat the file like ' +
    'the database. --output writes it with mode 0600.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> users export 123456789 --output user.json',
    '<%= config.bin %> users export 123456789 --markdown > transcript.md',
    '<%= config.bin %> users export 123456789 --json',
  ];
  static jsonShape: JsonShape = USERS_EXPORT_SHAPE;
  static override args = {
    telegramId: telegramIdArg,
  };
  static override flags = {
    output: Flags.string({ char: 'o', description: 'write the export to this file instead of stdout' }),
    markdown: Flags.boolean({ description: 'a readable Markdown transcript instead of JSON' }),
  };

  async run(): Promise<UsersExportResult> {
    const { args, flags } = await this.parse(UsersExport);
    const privacy = await this.useCase('privacy');
    const data = await privacy.collect(await privacy.byTelegramId(args.telegramId));
    let body = `${JSON.stringify(data, null, 2)}\n`;
    if (flags.markdown) {
      const { englishText } = await import('../../cli/english-text.js');
      body = renderTranscript(data, transcriptLabels(englishText()), (iso) => iso);
    }
    const output = flags.output ? path.resolve(flags.output) : null;
    const result: UsersExportResult = {
      telegramId: args.telegramId,
      output,
      format: flags.markdown ? 'markdown' : 'json',
      conversations: data.conversations.length,
      messages: data.conversations.reduce((sum, c) => sum + c.messages.length, 0),
      usageDays: data.usage.length,
    };
    if (output) {
      // Personal data, decrypted: readable by the owner only.
      fs.writeFileSync(output, body, { mode: 0o600 });
      fs.chmodSync(output, 0o600);
      this.say(
        `Wrote ${result.conversations} conversations and ${result.messages} messages of user ${args.telegramId} to ${output}`,
      );
    } else if (this.jsonEnabled()) {
      result.data = data;
    } else {
      process.stdout.write(body);
    }
    return result;
  }
}
