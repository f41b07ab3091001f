import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { ADMIN_ROLES, type AdminRole } from '../../domain/admin-sessions.js';
import { parseAge } from '../../domain/backup-rules.js';
import type { SignInLink } from '../../services/admin-api/index.js';

export default class AdminLink extends BaseCommand<typeof AdminLink> {
  static override summary = 'Print a one-time sign-in link to the admin panel';
  static override description =
    'Roles: viewer (stats, users, lists; no message content) < operator (also bans, roles, quotas, broadcasts, ' +
    'backups) < owner (also message content). The link works once, for 10 minutes unless --ttl says otherwise ' +
    '(1m to 1h), and opens a session of 30 minutes that the panel keeps alive while used (12 hours at most). ' +
    "It points at adminUrl (BOTCTL_ADMIN_URL), else the webhook URL's origin, else the HTTP server; the panel " +
    'is served only with BOTCTL_ADMIN=on. Only a hash is stored; recorded in the audit log.' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> admin link',
    '<%= config.bin %> admin link --role viewer --ttl 15m --json',
  ];
  static override flags = {
    role: Flags.string({
      description: 'what the session may do',
      options: [...ADMIN_ROLES],
      default: 'operator',
    }),
    ttl: Flags.string({ description: 'how long the link stays valid: 5m, 15m, 1h (default 10m)' }),
  };
  static jsonShape: JsonShape = { id: 'number', role: 'string', url: 'string', expiresAt: 'string' };

  async run(): Promise<SignInLink> {
    const { flags } = this;
    const ttlMs = flags.ttl === undefined ? undefined : parseAge(flags.ttl);
    const link = await (
      await this.useCase('adminSessions')
    ).createLink({ role: flags.role as AdminRole, ...(ttlMs === undefined ? {} : { ttlMs }) });
    this.say(`Sign-in link for the admin panel (role ${link.role}, works once, until ${link.expiresAt}):`);
    this.say(link.url);
    return link;
  }
}
