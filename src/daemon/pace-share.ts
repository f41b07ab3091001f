/**
 * Several instances send with one bot token, and Telegram's 30 messages a second is per bot: each
 * instance paces to its share (adapters/telegram/pacer.ts shareWith), the count of instances read
 * from the database's instance claims now and every SHARE_EVERY_MS. An instance that starts or
 * stops changes the others' share within that time; a failed read keeps the last share.
 */
import type { Pacer } from '../adapters/telegram/pacer.js';
import type { Log } from '../domain/telemetry.js';

const SHARE_EVERY_MS = 5_000;

export function shareBotPace(
  pacer: Pick<Pacer, 'shareWith'>,
  instances: () => Promise<number>,
  log: Pick<Log, 'warn'>,
): { stop(): void } {
  let warned = false;
  const read = () =>
    instances().then(
      (count) => {
        pacer.shareWith(count);
        warned = false;
      },
      (error: unknown) => {
        if (!warned) log.warn({ err: error }, 'counting instances failed; pacing to the last share');
        warned = true;
      },
    );
  void read();
  const timer = setInterval(() => void read(), SHARE_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
