import fs from 'node:fs';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { BroadcastCommand, rateFlag, type BroadcastSummary } from '../../cli/broadcast-command.js';
import { BROADCAST_SEND_SHAPE } from '../../cli/broadcast-shapes.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { ROLES, type BroadcastAudience } from '../../domain/entities.js';
import { BotctlError } from '../../domain/errors.js';
import type { ParseMode } from '../../services/broadcast/index.js';

const PARSE_MODES: Record<string, ParseMode> = { html: 'HTML', markdown: 'Markdown', plain: null };

export default class Broadcast extends BroadcastCommand<typeof Broadcast> {
  static override summary = 'Send a message to every user (or a filtered audience), exactly once each';
  static override description =
    'Records one delivery per recipient, then sends at --rate per second, honouring Telegram 429s. Users who blocked the bot are marked and skipped from then on. Killed or interrupted, it resumes with `broadcast resume <id>` (or the same --id) without sending anyone a second copy. One broadcast runs at a time (a second exits 75).' +
    EXIT_CODES_HELP;
  /** A BroadcastSummary, or with --dry-run only {dryRun: true, recipients}. */
  static jsonShape: JsonShape = BROADCAST_SEND_SHAPE;
  static override aliases = ['broadcast:send'];
  static override examples = [
    '<%= config.bin %> broadcast --text "We are back **online**" --dry-run',
    '<%= config.bin %> broadcast --file notice.md --language ru --active-days 30',
    '<%= config.bin %> broadcast --photo ./banner.png --text "<b>New</b> features" --parse-mode html --json',
  ];
  static override flags = {
    text: Flags.string({ description: 'the message (or the photo caption)', exclusive: ['file'] }),
    file: Flags.string({ description: 'read the message from this file' }),
    'parse-mode': Flags.string({
      options: Object.keys(PARSE_MODES),
      default: 'markdown',
      description: 'how the text is written',
    }),
    photo: Flags.string({
      description: 'send a photo (file path, file_id or URL) with the text as caption (≤ 1024 chars)',
    }),
    audience: Flags.string({
      options: ['all'],
      default: 'all',
      description: 'everyone not blocked or banned; narrow with the flags below',
    }),
    'active-days': Flags.integer({ min: 1, description: 'only users seen within this many days' }),
    language: Flags.string({ description: 'only users with this interface language (en, ru, ...)' }),
    role: Flags.string({ options: [...ROLES], description: 'only users with this role' }),
    'dry-run': Flags.boolean({
      description: 'check the message and print the audience count; send and write nothing',
    }),
    rate: rateFlag,
    id: Flags.string({ description: 'broadcast id; reusing one resumes it instead of sending twice' }),
  };

  async run(): Promise<BroadcastSummary | { dryRun: true; recipients: number }> {
    const { flags } = this;
    const text = flags.file === undefined ? (flags.text ?? '') : readText(flags.file);
    const photo = flags.photo === undefined ? null : photoRef(flags.photo);
    if (text.trim() === '' && photo === null) {
      throw new BotctlError('USAGE', 'nothing to send', { hint: 'pass --text, --file or --photo' });
    }
    const audience: BroadcastAudience = {
      ...(flags['active-days'] ? { activeWithinDays: flags['active-days'] } : {}),
      ...(flags.language ? { language: flags.language.toLowerCase() } : {}),
      ...(flags.role ? { role: flags.role as BroadcastAudience['role'] } : {}),
    };
    const message = { text, parseMode: PARSE_MODES[flags['parse-mode']] ?? null, photo, audience };
    const service = await this.service();
    if (flags['dry-run']) {
      const { recipients } = await service.preview(message);
      const result = { dryRun: true as const, recipients };
      if (this.human)
        this.log(`Dry run: ${recipients} recipient(s) would get this message; nothing was sent.`);
      else if (!this.jsonEnabled()) this.log(JSON.stringify(result));
      return result;
    }
    const rate = flags.rate ?? this.loadConfig().broadcastRate;
    return this.locked(async () => {
      const { broadcast, existed } = await service.create({ ...message, id: flags.id, ratePerSecond: rate });
      if (this.human)
        this.log(
          `${existed ? 'Resuming' : 'Sending'} broadcast ${broadcast.id} at ${flags.rate ?? broadcast.ratePerSecond}/s`,
        );
      return this.report(await this.sendNow(service, broadcast.id, flags.rate));
    });
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new BotctlError(
      'USAGE',
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        hint: 'check the --file path',
      },
    );
  }
}

/** A local file is stored as an absolute path, so a resume from another directory finds it. */
function photoRef(value: string): string {
  if (/^https?:\/\//i.test(value)) return value;
  const local = path.resolve(value);
  if (fs.existsSync(local)) return local;
  // Not a file here: a Telegram file_id, unless it looks like a path.
  if (value.includes('/') || value.includes('\\') || /\.(jpe?g|png|webp|gif)$/i.test(value)) {
    throw new BotctlError('USAGE', `photo ${value} does not exist`, {
      hint: 'give a file path, a file_id or an http(s) URL',
    });
  }
  return value;
}
