/** Where operator alerts go (domain/alerts.ts): an admin Telegram chat, a Slack incoming webhook. */
import type { Alert } from '../alerts.js';

export interface AlertTarget {
  /** 'telegram' or 'slack': what `botctl alerts test` reports per target. */
  readonly name: string;
  /** Renders and sends one alert; rejects when it was not delivered. */
  deliver(alert: Alert): Promise<void>;
}
