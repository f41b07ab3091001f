/**
 * The alert service's rules on a manual clock: one message per kind per interval and one "N
 * more" summary after it, bursts of handler errors, many users at their quota, and targets
 * that fail without the caller ever seeing it.
 */
import { describe, expect, it } from 'vitest';
import { ALERT_RULES, type Alert } from '../../../src/domain/alerts.js';
import { createAlertService } from '../../../src/services/alerts/index.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function setup(options: { failing?: boolean } = {}) {
  let clock = 1_000_000;
  const timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  const delivered: Alert[] = [];
  const warnings: object[] = [];
  const log = { ...silent, warn: (obj: object) => warnings.push(obj) };
  const alerts = createAlertService({
    targets: [
      {
        name: 'memo',
        deliver: async (alert) => {
          if (options.failing) throw new Error('down');
          delivered.push(alert);
        },
      },
    ],
    log,
    now: () => clock,
    schedule: (ms, fn) => {
      const timer = { at: clock + ms, fn, cancelled: false };
      timers.push(timer);
      return () => (timer.cancelled = true);
    },
  });
  /** Moves the clock on, running the timers that come due. */
  const advance = async (ms: number) => {
    clock += ms;
    for (const timer of timers.filter((t) => !t.cancelled && t.at <= clock)) {
      timer.cancelled = true;
      timer.fn();
    }
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { alerts, delivered, warnings, advance };
}

const interval = ALERT_RULES.intervalMs;

describe('alert service', () => {
  it('sends one alert per kind per interval, then one summary of the rest', async () => {
    const { alerts, delivered, advance } = setup();
    alerts.circuitChanged('open');
    alerts.circuitChanged('closed');
    for (let n = 0; n < 4; n++) alerts.circuitChanged('open');
    await advance(0);
    expect(delivered.map((a) => a.kind)).toEqual(['gemini-down', 'gemini-recovered']);
    await advance(interval);
    expect(delivered.slice(2)).toEqual([
      { kind: 'repeated', params: { of: 'gemini-down', count: 4, minutes: interval / 60_000 } },
    ]);
    // A quiet interval after the summary: nothing more; then the next one goes out at once.
    await advance(interval);
    expect(delivered).toHaveLength(3);
    alerts.circuitChanged('open');
    await advance(0);
    expect(delivered.at(-1)).toEqual({ kind: 'gemini-down', params: {} });
  });

  it('calls a burst of handler errors once per burst, with the commonest codes', async () => {
    const { alerts, delivered, advance } = setup();
    const { count, windowMs } = ALERT_RULES.errorBurst;
    for (let n = 0; n < count - 1; n++) alerts.errorOccurred('DATABASE_ERROR');
    await advance(windowMs);
    // The window moved on: these do not add up with the ones before.
    for (let n = 0; n < count - 2; n++) alerts.errorOccurred('GEMINI_UNAVAILABLE');
    alerts.errorOccurred('INTERNAL');
    await advance(0);
    expect(delivered).toEqual([]);
    alerts.errorOccurred('INTERNAL');
    await advance(0);
    expect(delivered).toEqual([
      {
        kind: 'error-burst',
        params: { count, seconds: windowMs / 1000, codes: `GEMINI_UNAVAILABLE ×${count - 2}, INTERNAL ×2` },
      },
    ]);
  });

  it('counts distinct users at their quota within the window', async () => {
    const { alerts, delivered, advance } = setup();
    const { users, windowMs } = ALERT_RULES.quotaExhausted;
    for (let n = 0; n < users * 3; n++) alerts.quotaRefused(1);
    for (let id = 2; id < users; id++) alerts.quotaRefused(id);
    await advance(0);
    expect(delivered).toEqual([]);
    alerts.quotaRefused(users);
    await advance(0);
    expect(delivered).toEqual([{ kind: 'quota-exhausted', params: { users, minutes: windowMs / 60_000 } }]);
  });

  it('never throws at the caller: a failing target is logged, and send() reports it', async () => {
    const { alerts, warnings, advance } = setup({ failing: true });
    expect(() => alerts.circuitChanged('open')).not.toThrow();
    await advance(0);
    expect(warnings).toEqual([{ alert: 'gemini-down', target: 'memo', error: 'down' }]);
    expect(await alerts.send({ kind: 'test', params: {} })).toEqual([
      { target: 'memo', ok: false, error: 'down' },
    ]);
  });

  it('does nothing at all without targets', async () => {
    const alerts = createAlertService({
      targets: [],
      log: silent,
      now: () => 0,
      schedule: () => {
        throw new Error('no timer expected');
      },
    });
    for (let n = 0; n < 100; n++) {
      alerts.errorOccurred('INTERNAL');
      alerts.quotaRefused(n);
      alerts.circuitChanged('open');
    }
    expect(alerts.targets).toEqual([]);
  });
});
