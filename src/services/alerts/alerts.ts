/**
 * Operator alerts without Prometheus: the daemon's events (the Gemini circuit, handler errors,
 * quota refusals) become alerts by the rules in domain/alerts.ts, and every alert goes to each
 * configured target (admin Telegram chat, Slack). One message per kind per interval: the rest of
 * the interval is counted and sent after as one "N more" summary. notify() and the watchers
 * return at once and never throw: an alert never holds up or fails an answer.
 */
import { ALERT_RULES, type Alert, type AlertKind } from '../../domain/alerts.js';
import type { AlertTarget } from '../../domain/ports/index.js';
import type { Log } from '../../domain/telemetry.js';

export interface AlertReport {
  target: string;
  ok: boolean;
  /** Why it was not delivered (no secret: the URL is never part of it). */
  error: string | null;
}

export interface AlertServiceDeps {
  targets: readonly AlertTarget[];
  log: Log;
  /** Epoch ms. */
  now: () => number;
  /** Runs fn after ms (a timer that does not keep the process alive); returns a cancel. */
  schedule: (ms: number, fn: () => void) => () => void;
  /** Default ALERT_RULES.intervalMs. */
  intervalMs?: number;
}

interface KindState {
  sentAt: number;
  suppressed: number;
  cancel: (() => void) | null;
}

export function createAlertService(deps: AlertServiceDeps) {
  const { targets, log, now, schedule } = deps;
  const intervalMs = deps.intervalMs ?? ALERT_RULES.intervalMs;
  const enabled = targets.length > 0;
  const kinds = new Map<AlertKind, KindState>();
  let errors: { at: number; code: string }[] = [];
  let quotaUsers = new Map<number, number>();

  /** Every target at once; a target that fails is reported, never thrown. */
  async function send(alert: Alert): Promise<AlertReport[]> {
    return Promise.all(
      targets.map((target) =>
        target.deliver(alert).then(
          (): AlertReport => ({ target: target.name, ok: true, error: null }),
          (error: unknown): AlertReport => ({
            target: target.name,
            ok: false,
            error: error instanceof Error ? error.message : String(error),
          }),
        ),
      ),
    );
  }

  function dispatch(alert: Alert): void {
    void send(alert).then((reports) => {
      for (const report of reports.filter((r) => !r.ok))
        log.warn({ alert: alert.kind, target: report.target, error: report.error }, 'alert not delivered');
    });
  }

  const summary = (kind: AlertKind, count: number): Alert => ({
    kind: 'repeated',
    params: { of: kind, count, minutes: intervalMs / 60_000 },
  });

  /** Ends a kind's interval: the summary of what it held, if anything, starts the next one. */
  function endInterval(kind: AlertKind): void {
    const state = kinds.get(kind);
    if (!state) return;
    state.cancel = null;
    if (state.suppressed === 0) return;
    dispatch(summary(kind, state.suppressed));
    state.sentAt = now();
    state.suppressed = 0;
    state.cancel = schedule(intervalMs, () => endInterval(kind));
  }

  /** Sends at most one alert per kind per interval; the rest become the interval's summary. */
  function notify(alert: Alert): void {
    if (!enabled) return;
    const t = now();
    const state = kinds.get(alert.kind);
    if (state && t - state.sentAt < intervalMs) {
      state.suppressed += 1;
      state.cancel ??= schedule(state.sentAt + intervalMs - t, () => endInterval(alert.kind));
      return;
    }
    // An interval over whose timer has not run yet: its summary goes first.
    state?.cancel?.();
    if (state && state.suppressed > 0) dispatch(summary(alert.kind, state.suppressed));
    kinds.set(alert.kind, { sentAt: t, suppressed: 0, cancel: null });
    dispatch(alert);
  }

  /** A handler error (by code): enough of them within the window is a burst. */
  function errorOccurred(code: string): void {
    if (!enabled) return;
    const t = now();
    const { count, windowMs } = ALERT_RULES.errorBurst;
    errors = errors.filter((e) => t - e.at < windowMs);
    errors.push({ at: t, code });
    if (errors.length < count) return;
    const byCode = new Map<string, number>();
    for (const e of errors) byCode.set(e.code, (byCode.get(e.code) ?? 0) + 1);
    const codes = [...byCode]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([c, n]) => `${c} ×${n}`)
      .join(', ');
    notify({ kind: 'error-burst', params: { count: errors.length, seconds: windowMs / 1000, codes } });
    // The next burst needs as many errors again.
    errors = [];
  }

  /** A user refused by their daily quota: enough distinct users within the window is worth knowing. */
  function quotaRefused(userId: number): void {
    if (!enabled) return;
    const t = now();
    const { users, windowMs } = ALERT_RULES.quotaExhausted;
    for (const [id, at] of quotaUsers) if (t - at >= windowMs) quotaUsers.delete(id);
    quotaUsers.set(userId, t);
    if (quotaUsers.size < users) return;
    notify({ kind: 'quota-exhausted', params: { users: quotaUsers.size, minutes: windowMs / 60_000 } });
    quotaUsers = new Map();
  }

  function circuitChanged(state: 'open' | 'closed'): void {
    notify({ kind: state === 'open' ? 'gemini-down' : 'gemini-recovered', params: {} });
  }

  return {
    /** The configured targets' names (empty: alerts are off). */
    targets: targets.map((target) => target.name),
    send,
    notify,
    errorOccurred,
    quotaRefused,
    circuitChanged,
    /** Stops the summary timers (a summary still pending is dropped, and logged). */
    close(): void {
      for (const [kind, state] of kinds) {
        state.cancel?.();
        if (state.suppressed > 0)
          log.info({ alert: kind, suppressed: state.suppressed }, 'alert summary dropped at exit');
      }
      kinds.clear();
    },
  };
}

export type AlertService = ReturnType<typeof createAlertService>;
