/**
 * /stop across instances. Each update of a chat may go to another instance (webhooks behind a
 * load balancer), so the answer a /stop means may run elsewhere. The instance that gets the /stop
 * cancels the chat's answer if it runs here; otherwise it asks every instance on the shared Redis
 * (channel `stop`), and the one running it cancels it and says so on the asker's own channel. No
 * answer within ACK_WAIT_MS means none runs anywhere.
 *
 * At most once, like Redis pub/sub: an instance that is reconnecting misses the request, and the
 * user is told nothing was stopped (the answer then finishes).
 */
import { randomUUID } from 'node:crypto';
import type { Cache } from '../domain/ports/index.js';
import type { Log } from '../domain/telemetry.js';

const ACK_WAIT_MS = 1_000;

interface StopRequest {
  chat: string;
  id: string;
  from: string;
}

export function createStopRelay(options: {
  bus: Pick<Cache, 'publish' | 'subscribe'>;
  /** This instance's id (the inbox owner). */
  owner: string;
  /** Cancels the chat's answer if it runs here. */
  cancelHere: (chatKey: string) => boolean;
  log: Pick<Log, 'info'>;
  ackWaitMs?: number;
}): { stopElsewhere(chatKey: string): Promise<boolean> } {
  const { bus, owner } = options;
  const waiting = new Map<string, (stopped: boolean) => void>();

  void bus.subscribe('stop', (raw) => {
    const request = parse(raw);
    if (!request || request.from === owner || !options.cancelHere(request.chat)) return;
    options.log.info({ from: request.from }, "stopped an answer at another instance's /stop");
    void bus.publish(`stopped:${request.from}`, request.id);
  });
  void bus.subscribe(`stopped:${owner}`, (id) => waiting.get(id)?.(true));

  return {
    async stopElsewhere(chat) {
      const id = randomUUID();
      let timer: NodeJS.Timeout | undefined;
      const acknowledged = new Promise<boolean>((resolve) => {
        waiting.set(id, resolve);
        timer = setTimeout(() => resolve(false), options.ackWaitMs ?? ACK_WAIT_MS);
      });
      try {
        await bus.publish('stop', JSON.stringify({ chat, id, from: owner } satisfies StopRequest));
        return await acknowledged;
      } finally {
        clearTimeout(timer);
        waiting.delete(id);
      }
    },
  };
}

function parse(raw: string): StopRequest | undefined {
  try {
    const value = JSON.parse(raw) as Partial<StopRequest> | null;
    return typeof value?.chat === 'string' && typeof value.id === 'string' && typeof value.from === 'string'
      ? (value as StopRequest)
      : undefined;
  } catch {
    return undefined;
  }
}
