/**
 * The intake's waiting line on its own: the order updates leave it in, what a long flood wait
 * holds, and its bound. The daemon's use of it is in test/e2e/flood-long-wait.test.ts.
 */
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { createWaitingLine, type RunHow } from '../../src/daemon/waiting-line.js';
import { captureLogs } from '../helpers/logs.js';
import { waitFor } from '../helpers/ports.js';

const update = (id: number): Update => ({ update_id: id }) as Update;

function line(options: { room?: number; floodWaitMs?: () => Promise<number>; maxWaiting?: number } = {}) {
  const logs = captureLogs();
  const ran: Array<{ id: number } & RunHow> = [];
  let running = 0;
  let deferred = 0;
  const created = createWaitingLine({
    run: (u, how) => {
      running += 1;
      ran.push({ id: u.update_id, ...how });
    },
    room: () => running < (options.room ?? 10),
    floodWaitMs: options.floodWaitMs,
    log: logs.logger,
    metrics: { updateDeferred: () => void (deferred += 1) },
    now: Date.now,
    ...(options.maxWaiting === undefined ? {} : { maxWaiting: options.maxWaiting }),
  });
  /** A run finished: its room is free, and the intake pumps the line. */
  const finish = () => {
    running -= 1;
    created.pump();
  };
  return { line: created, ran, finish, logs, deferred: () => deferred };
}

describe('waiting line', () => {
  it('holds every update through a flood wait and then runs them by update_id, however they joined, at most the room at once', async () => {
    const { line: l, ran, finish, logs, deferred } = line({ room: 2 });
    expect(l.busy()).toBe(false);
    l.defer(update(10), 1);
    expect(l.busy()).toBe(true);
    await l.add(update(12), { replay: false });
    await l.add(update(11), { replay: false });
    // An older update whose reply the wait refused later still goes first: its chat keeps its order.
    l.defer(update(9), 1);
    expect(ran).toEqual([]);
    expect(l.size()).toBe(4);

    await waitFor(() => expect(ran.map((r) => r.id)).toEqual([9, 10]), 5000);
    expect(ran).toEqual([
      { id: 9, replay: true },
      { id: 10, replay: true },
    ]);
    finish();
    finish();
    expect(ran.slice(2)).toEqual([
      { id: 11, replay: false },
      { id: 12, replay: false },
    ]);
    expect(l.busy()).toBe(false);
    expect(deferred()).toBe(2);
    const lines = logs.lines();
    expect(lines.filter((x) => x.level === 40)).toEqual([
      expect.objectContaining({
        waitSeconds: 1,
        msg: 'Telegram flood wait: answers are held in the inbox and sent when it ends',
      }),
    ]);
    expect(lines.filter((x) => x.level === 30)).toEqual([expect.objectContaining({ held: 4 })]);
  });

  it('waits as long as the shared flood gate says, beyond the refused reply’s own retry_after', async () => {
    const answers = [1200, 0];
    let asked = 0;
    const { line: l, ran } = line({ floodWaitMs: async () => answers[Math.min(asked++, 1)]! });
    l.defer(update(20), 1);
    await waitFor(() => expect(ran).toHaveLength(1), 6000);
    // Run on its own 1 s, it would have asked once; a timer may wake a millisecond early and ask again.
    expect(asked).toBeGreaterThanOrEqual(2);
  });

  it('full: the caller waits until its update leaves the line; shutdown lets every caller go and runs nothing', async () => {
    const { line: l, ran } = line({ maxWaiting: 2 });
    l.defer(update(30), 150);
    await l.add(update(31), { replay: false });
    expect(l.full()).toBe(true);
    let admitted = false;
    const turn = l.add(update(32), { replay: false }).then(() => (admitted = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(admitted).toBe(false);
    l.close();
    await turn;
    expect(ran).toEqual([]);
    expect(l.size()).toBe(0);
    l.defer(update(33), 150); // a reply refused during shutdown stays pending for the next start
    expect(l.size()).toBe(0);
  });
});
