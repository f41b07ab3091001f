/** Inbound updates: what an edge that receives Telegram updates (the webhook) hands them to. */

/** A Telegram update as it arrives: Telegram's JSON object, known here by its id alone. */
export interface IncomingUpdate {
  readonly update_id: number;
}

/**
 * accepted: stored, and handled outside the request; duplicate: this update_id was seen before;
 * rejected: stored as one the bot cannot route (answered like any other, or Telegram re-sends it);
 * busy: too much in flight, so nothing was stored and Telegram should retry later.
 */
export type IntakeOutcome = 'accepted' | 'duplicate' | 'rejected' | 'busy';

/** Takes an update in, storing it before the sender is told it arrived (daemon/intake.ts). */
export interface UpdateIntake {
  accept(update: IncomingUpdate): Promise<IntakeOutcome>;
}
