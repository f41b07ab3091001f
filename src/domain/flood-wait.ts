/**
 * Telegram's flood wait (a 429 with `retry_after`) holds every send of the bot. A handler sits
 * out a short one in place (auto-retry, the shared flood gate). A longer one would hold the
 * handler, its chat and a slot of the intake for minutes, so it is not waited out in place: the
 * handler gives up with FloodDeferred, and the intake keeps its update pending in the inbox and
 * runs it again once the wait ends. The answer it generated is stored, so that second run sends
 * it without asking the model again (services/delivery.ts).
 */

/** The longest flood wait a handler sits out in place; a longer one defers its update. */
export const MAX_HELD_FLOOD_WAIT_SECONDS = 120;

/** Whether a 429's `retry_after` is longer than a handler waits in place. */
export function isLongFloodWait(retryAfterSeconds: number | undefined): retryAfterSeconds is number {
  return retryAfterSeconds !== undefined && retryAfterSeconds > MAX_HELD_FLOOD_WAIT_SECONDS;
}

/** A handler met a long flood wait: its update is to be run again once the wait is over. */
export class FloodDeferred extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(`Telegram flood wait of ${retryAfterSeconds} s: the update runs again when it ends`, options);
    this.name = 'FloodDeferred';
  }
}
