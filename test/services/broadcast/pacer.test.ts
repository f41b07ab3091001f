/** The broadcast pacer on a virtual clock: spacing, no drift, 429 pauses that hold every sender. */
import { describe, expect, it } from 'vitest';
import { createPacer, createSendPacing } from '../../../src/services/broadcast/pacer.js';

/** A virtual clock whose sleeps resolve in time order when run() drives it. */
function virtualTime(oversleepMs = 0) {
  let now = 0;
  const timers: Array<{ at: number; wake: () => void }> = [];
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        timers.push({ at: now + ms + oversleepMs, wake: resolve });
        signal?.addEventListener('abort', () => resolve(), { once: true });
      }),
    /** Runs until `done` settles, advancing the clock to each next timer. */
    async run<T>(done: Promise<T>): Promise<T> {
      let settled = false;
      void done.finally(() => (settled = true));
      await flush();
      while (!settled) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (next === undefined) break;
        now = Math.max(now, next.at);
        next.wake();
        await flush();
      }
      return done;
    },
  };
}

function maxInAnyWindow(starts: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (starts[i]! - starts[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('broadcast pacer', () => {
  it('spaces starts at the rate and never puts more than rate + 2 in one second', async () => {
    const time = virtualTime();
    const pacer = createPacer({ ratePerSecond: 25, now: time.now, sleep: time.sleep });
    const starts: number[] = [];
    await time.run(
      (async () => {
        for (let i = 0; i < 100; i++) {
          await pacer.take();
          starts.push(time.now());
        }
      })(),
    );
    expect(starts.at(-1)).toBe(99 * 40);
    expect(maxInAnyWindow(starts, 1000)).toBeLessThanOrEqual(27);
  });

  it('keeps its schedule when timers fire late, so the achieved rate does not drift', async () => {
    const time = virtualTime(7);
    const pacer = createPacer({ ratePerSecond: 25, now: time.now, sleep: time.sleep });
    const starts: number[] = [];
    await time.run(
      (async () => {
        for (let i = 0; i < 250; i++) {
          await pacer.take();
          starts.push(time.now());
        }
      })(),
    );
    const achieved = (starts.length - 1) / (starts.at(-1)! / 1000);
    expect(achieved).toBeGreaterThanOrEqual(25 * 0.95);
    expect(maxInAnyWindow(starts, 1000)).toBeLessThanOrEqual(27);
  });

  it('strict: never two starts closer than one interval, even after a late timer', async () => {
    const time = virtualTime(7);
    const pacer = createPacer({ ratePerSecond: 25, now: time.now, sleep: time.sleep, strict: true });
    const starts: number[] = [];
    await time.run(
      (async () => {
        for (let i = 0; i < 50; i++) {
          await pacer.take();
          starts.push(time.now());
        }
      })(),
    );
    const gaps = starts.slice(1).map((at, i) => at - starts[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(40);
  });

  it('send pacing: slow writes between admit and call cannot bunch calls, and do not slow the rate', async () => {
    const time = virtualTime();
    const { admit, calls } = createSendPacing({ ratePerSecond: 25, now: time.now, sleep: time.sleep });
    const callTimes: number[] = [];
    await time.run(
      (async () => {
        const inFlight: Promise<void>[] = [];
        for (let i = 0; i < 100; i++) {
          await admit.take();
          const writeMs = i % 10 === 0 ? 200 : 5; // every tenth `sending` write is slow
          inFlight.push(
            time.sleep(writeMs).then(() => calls.take().then(() => void callTimes.push(time.now()))),
          );
        }
        await Promise.all(inFlight);
      })(),
    );
    callTimes.sort((a, b) => a - b);
    const gaps = callTimes.slice(1).map((at, i) => at - callTimes[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / 27.5 - 1e-9);
    expect(maxInAnyWindow(callTimes, 1000)).toBeLessThanOrEqual(28);
    expect(callTimes.at(-1)).toBeLessThanOrEqual(99 * 40 + 250);
    // A 429 seen by a call holds the admissions too.
    const before = time.now();
    calls.pause(1000);
    await time.run(admit.take());
    expect(time.now()).toBeGreaterThanOrEqual(before + 1000);
    expect(calls.pausedMs).toBe(1000);
  });

  it('a pause holds every sender, including one already waiting for its slot', async () => {
    const time = virtualTime();
    const pacer = createPacer({ ratePerSecond: 10, now: time.now, sleep: time.sleep });
    const starts: number[] = [];
    await time.run(
      (async () => {
        await pacer.take();
        starts.push(time.now());
        const waiting = pacer.take().then(() => starts.push(time.now()));
        pacer.pause(3000);
        pacer.pause(1000); // a shorter pause does not cut the longer one
        await waiting;
        await pacer.take();
        starts.push(time.now());
      })(),
    );
    expect(starts).toEqual([0, 3000, 3100]);
    expect(pacer.pausedMs).toBe(3000);
  });

  it('returns at once when aborted, and refuses a rate that is not positive', async () => {
    const time = virtualTime();
    const pacer = createPacer({ ratePerSecond: 1, now: time.now, sleep: time.sleep });
    const controller = new AbortController();
    await pacer.take();
    pacer.pause(60_000);
    const waiting = pacer.take(controller.signal);
    controller.abort();
    await waiting;
    expect(time.now()).toBe(0);
    expect(() => createPacer({ ratePerSecond: 0, now: time.now, sleep: time.sleep })).toThrow(RangeError);
  });
});
