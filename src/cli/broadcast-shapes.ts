/** The `--json` shapes of the broadcast commands (see json-shape.ts for the grammar). */
import type { JsonShape } from './json-shape.js';

const SUMMARY_SHAPE = {
  id: 'string',
  status: 'string',
  outcome: 'string',
  recipients: 'number',
  sent: 'number',
  blocked: 'number',
  failed: 'number',
  pending: 'number',
  thisRun: {
    sent: 'number',
    blocked: 'number',
    failed: 'number',
    rateLimited: 'number',
    unknownAfterCrash: 'number',
    skipped: 'number',
    pausedSeconds: 'number',
    elapsedSeconds: 'number',
  },
} satisfies Record<string, JsonShape>;

/** One run's BroadcastSummary, as `broadcast resume` (and a sending `broadcast`) report it. */
export const BROADCAST_SHAPE: JsonShape = SUMMARY_SHAPE;

/**
 * `broadcast` reports a BroadcastSummary, or with --dry-run only {dryRun: true, recipients}:
 * recipients is always there, everything else is optional.
 */
export const BROADCAST_SEND_SHAPE: JsonShape = {
  'dryRun?': 'boolean',
  ...Object.fromEntries(
    Object.entries(SUMMARY_SHAPE).map(([key, shape]) => [key === 'recipients' ? key : `${key}?`, shape]),
  ),
};

/** A BroadcastReport (`broadcast status`, `cancel`, and each item of `list`); dates are ISO strings. */
export const BROADCAST_REPORT_SHAPE: JsonShape = {
  broadcast: {
    id: 'string',
    text: 'string',
    parseMode: 'string|null',
    photo: 'string|null',
    audience: { 'activeWithinDays?': 'number', 'language?': 'string', 'role?': 'string' },
    ratePerSecond: 'number',
    status: 'string',
    createdAt: 'string',
    startedAt: 'string|null',
    finishedAt: 'string|null',
  },
  counts: { pending: 'number', sending: 'number', sent: 'number', failed: 'number', blocked: 'number' },
};
