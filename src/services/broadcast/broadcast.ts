/**
 * Broadcasts, the use case: pick the audience, record one delivery per recipient, then send
 * at a steady pace (run.ts), each delivery written before and after its send so
 * a rerun resumes without duplicates. A broadcast stays `pending` until its recipients are
 * recorded (the audience is fixed then), `running` until every delivery is settled.
 */
import type { Broadcast, BroadcastAudience, DeliveryStatus } from '../../domain/entities.js';
import { BotctlError } from '../../domain/errors.js';
import type { BroadcastRepository, Messenger, UserFilter, UserRepository } from '../../domain/ports/index.js';
import { prepareContent, type ParseMode } from './content.js';
import { runBroadcast, type RunOptions, type RunStats } from './run.js';
import { idleRun } from './run-stats.js';
import { defaultSleep, newBroadcastId } from './support.js';

const DAY_MS = 86_400_000;

export interface BroadcastServiceDeps {
  users: UserRepository;
  broadcasts: BroadcastRepository;
  /** Asked for only when sending, so dry runs and listings need no token. */
  messenger: () => Promise<Messenger>;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface NewBroadcast {
  /** Default: b-<utc timestamp>-<random>. Reusing an id resumes that broadcast. */
  id?: string;
  text: string;
  parseMode: ParseMode;
  photo: string | null;
  audience: BroadcastAudience;
  ratePerSecond: number;
}

export interface BroadcastReport {
  broadcast: Broadcast;
  counts: Record<DeliveryStatus, number>;
}

export type BroadcastService = ReturnType<typeof createBroadcastService>;

export function createBroadcastService(deps: BroadcastServiceDeps) {
  const { users, broadcasts } = deps;
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;

  /** Blocked and banned users are never in an audience. */
  function filterOf(audience: BroadcastAudience): UserFilter {
    return {
      status: 'active',
      ...(audience.role ? { role: audience.role } : {}),
      ...(audience.language ? { language: audience.language } : {}),
      ...(audience.activeWithinDays
        ? { activeSince: new Date(now() - audience.activeWithinDays * DAY_MS) }
        : {}),
    };
  }

  async function report(id: string): Promise<BroadcastReport> {
    const broadcast = await broadcasts.get(id);
    if (!broadcast) {
      throw new BotctlError('NOT_FOUND', `broadcast ${id} does not exist`, { hint: 'botctl broadcast list' });
    }
    return { broadcast, counts: await broadcasts.deliveryCounts(id) };
  }

  async function recordRecipients(broadcast: Broadcast): Promise<void> {
    const ids: number[] = [];
    const filter = filterOf(broadcast.audience);
    for (let offset = 0; ; offset += 1000) {
      const page = await users.list({ ...filter, limit: 1000, offset });
      ids.push(...page.map((u) => u.id));
      if (page.length < 1000) break;
    }
    // One call, one transaction: the audience is recorded whole or not at all.
    await broadcasts.enqueueRecipients(broadcast.id, ids);
  }

  return {
    /** The dry run: checks the message and counts the audience; writes nothing. */
    async preview(input: Omit<NewBroadcast, 'id' | 'ratePerSecond'>): Promise<{ recipients: number }> {
      prepareContent(input);
      return { recipients: await users.count(filterOf(input.audience)) };
    },

    /** Checks the content and records the broadcast; an existing id with the same content is returned as is. */
    async create(input: NewBroadcast): Promise<{ broadcast: Broadcast; existed: boolean }> {
      prepareContent(input);
      // A missing token fails here, before anything is recorded.
      await deps.messenger();
      const id = input.id ?? newBroadcastId(now(), deps.random ?? Math.random);
      const existing = await broadcasts.get(id);
      if (existing) {
        const same =
          existing.text === input.text &&
          existing.photo === input.photo &&
          existing.parseMode === input.parseMode;
        if (!same) {
          throw new BotctlError('USAGE', `broadcast ${id} already exists with a different message`, {
            hint: `pick another --id, or botctl broadcast resume ${id}`,
          });
        }
        return { broadcast: existing, existed: true };
      }
      const broadcast = await broadcasts.create({ ...input, id, now: new Date(now()) });
      return { broadcast, existed: false };
    },

    /** Sends what is left of the broadcast; the caller holds the broadcast lock. */
    async run(
      id: string,
      options: Partial<Pick<RunOptions, 'ratePerSecond' | 'signal' | 'onProgress' | 'concurrency'>> = {},
    ): Promise<BroadcastReport & { run: RunStats }> {
      let { broadcast } = await report(id);
      if (broadcast.status === 'cancelled') {
        throw new BotctlError('USAGE', `broadcast ${id} was cancelled`, { hint: 'send a new broadcast' });
      }
      const content = prepareContent(broadcast);
      const messenger = await deps.messenger();
      if (broadcast.status === 'done') return { ...(await report(id)), run: idleRun() };
      if (broadcast.status === 'pending') await recordRecipients(broadcast);
      await broadcasts.setStatus(id, 'running', new Date(now()));
      const run = await runBroadcast(
        id,
        content,
        { broadcasts, users, messenger, now, sleep },
        { ...options, ratePerSecond: options.ratePerSecond ?? broadcast.ratePerSecond },
      );
      ({ broadcast } = await report(id));
      if (run.stop === 'finished' && broadcast.status === 'running') {
        await broadcasts.setStatus(id, 'done', new Date(now()));
      }
      return { ...(await report(id)), run };
    },

    list: () => broadcasts.list(),
    status: report,

    /** Marks it cancelled; a run in progress notices within about a second and stops. */
    async cancel(id: string): Promise<BroadcastReport> {
      const { broadcast } = await report(id);
      if (broadcast.status === 'done') {
        throw new BotctlError('USAGE', `broadcast ${id} has already finished`, {
          hint: `botctl broadcast status ${id}`,
        });
      }
      if (broadcast.status !== 'cancelled') await broadcasts.setStatus(id, 'cancelled', new Date(now()));
      return report(id);
    },
  };
}
