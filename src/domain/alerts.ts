/**
 * Operator alerts the daemon and the CLI send themselves (to an admin Telegram chat, a Slack
 * webhook) for owners without Prometheus: what kinds exist and what may go in one. Parameters
 * are ids, counts and codes only: never message content, never a secret.
 */

/** Each kind's text is `alert-<kind>` in the locale files. */
export const ALERT_KINDS = [
  'gemini-down',
  'gemini-recovered',
  'error-burst',
  'quota-exhausted',
  'broadcast-finished',
  'broadcast-failed',
  'backup-failed',
  'event-dead',
  'test',
  // "N more like this": the summary after a kind was rate-limited.
  'repeated',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface Alert {
  kind: AlertKind;
  params: Readonly<Record<string, string | number>>;
}

export type AlertSeverity = 'critical' | 'warning' | 'info';

export const ALERT_SEVERITY: Readonly<Record<AlertKind, AlertSeverity>> = {
  'gemini-down': 'critical',
  'gemini-recovered': 'info',
  'error-burst': 'warning',
  'quota-exhausted': 'warning',
  'broadcast-finished': 'info',
  'broadcast-failed': 'warning',
  'backup-failed': 'critical',
  'event-dead': 'warning',
  test: 'info',
  repeated: 'warning',
};

/** The rules that turn a stream of events into an alert: N events within a window. */
export const ALERT_RULES = {
  /** This many handler errors within the window is a burst. */
  errorBurst: { count: 10, windowMs: 60_000 },
  /** This many distinct users refused by their daily quota within the window. */
  quotaExhausted: { users: 10, windowMs: 60 * 60_000 },
  /** One message per kind per interval; what the interval held after the first comes as one summary. */
  intervalMs: 15 * 60_000,
} as const;
