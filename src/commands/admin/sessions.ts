import { BaseCommand } from '../../cli/base-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import type { AdminSessionView } from '../../services/admin-api/index.js';

const at = (iso: string | null) => (iso === null ? '-' : iso.slice(0, 16).replace('T', ' '));

export default class AdminSessions extends BaseCommand<typeof AdminSessions> {
  static override summary = 'List admin panel sign-in links and sessions, newest first';
  static override description =
    'States: link (not opened yet), link-expired, active, ended, revoked. End one or all with `botctl admin revoke`.' +
    EXIT_CODES_HELP;
  static override examples = ['<%= config.bin %> admin sessions', '<%= config.bin %> admin sessions --json'];
  static jsonShape: JsonShape = {
    sessions: [
      {
        id: 'number',
        role: 'string',
        state: 'string',
        createdBy: 'string',
        createdAt: 'string',
        signedInAt: 'string|null',
        expiresAt: 'string|null',
        address: 'string|null',
      },
    ],
  };

  async run(): Promise<{ sessions: AdminSessionView[] }> {
    const sessions = await (await this.useCase('adminSessions')).list();
    if (sessions.length === 0)
      this.say('No sign-in links or sessions. Make a link with `botctl admin link`.');
    else {
      this.say(
        [
          'ID'.padEnd(5),
          'ROLE'.padEnd(9),
          'STATE'.padEnd(13),
          'BY'.padEnd(16),
          'SIGNED IN'.padEnd(16),
          'FROM',
        ].join(' '),
      );
      for (const s of sessions) {
        this.say(
          [
            String(s.id).padEnd(5),
            s.role.padEnd(9),
            s.state.padEnd(13),
            s.createdBy.padEnd(16),
            at(s.signedInAt).padEnd(16),
            s.address ?? '-',
          ].join(' '),
        );
      }
    }
    return { sessions };
  }
}
