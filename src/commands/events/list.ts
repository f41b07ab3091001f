import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { EVENT_HEADER, EVENT_SHAPE, eventRow, eventView, type EventView } from '../../cli/events-command.js';
import { EXIT_CODES_HELP } from '../../cli/exit-codes.js';
import type { JsonShape } from '../../cli/json-shape.js';
import { OUTBOX_STATUSES, type OutboxStatus } from '../../domain/events.js';

export default class EventsList extends BaseCommand<typeof EventsList> {
  static override summary = 'List event webhook deliveries (newest first): pending, delivered, dead';
  static override description =
    'One row per event and endpoint: its delivery id (for `events retry`), type, endpoint, status, attempts and ' +
    'the last error (an HTTP status or a network code). Bodies are not shown (ids and counts only anyway).' +
    EXIT_CODES_HELP;
  static override examples = [
    '<%= config.bin %> events list',
    '<%= config.bin %> events list --status dead',
    '<%= config.bin %> events list --status pending --json',
  ];
  static override flags = {
    status: Flags.option({ options: OUTBOX_STATUSES, description: 'only deliveries in this state' })(),
    limit: Flags.integer({ description: 'at most this many', default: 50, min: 1, max: 1000 }),
  };
  static jsonShape: JsonShape = {
    events: [EVENT_SHAPE],
    counts: { pending: 'number', delivered: 'number', dead: 'number' },
  };

  async run(): Promise<{ events: EventView[]; counts: Record<OutboxStatus, number> }> {
    const { flags } = await this.parse(EventsList);
    const service = await this.useCase('events');
    const [rows, counts] = await Promise.all([
      service.list({ ...(flags.status ? { status: flags.status } : {}), limit: flags.limit }),
      service.counts(),
    ]);
    const events = rows.map(eventView);
    if (events.length === 0) this.say('No event deliveries' + (flags.status ? ` ${flags.status}.` : '.'));
    else {
      this.say(EVENT_HEADER);
      for (const event of events) this.say(eventRow(event));
    }
    this.say(`pending ${counts.pending}, delivered ${counts.delivered}, dead ${counts.dead}`);
    if (service.endpoints.length === 0)
      this.note('no endpoint is configured (eventWebhooks): nothing is delivered');
    return { events, counts };
  }
}
