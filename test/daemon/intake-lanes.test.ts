/**
 * The intake hands a chat's updates to the bot one at a time: a later update of a chat waits in
 * the intake, as Telegram sent it, until the chat's running handler ends, while other chats run
 * meanwhile; a /stop overtakes. (Waiting inside the bot instead, each held its whole context and
 * middleware frames for as long as its chat's earlier answers took.) On a real inbox, both dialects.
 */
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake } from '../../src/daemon/intake.js';
import { createInboxService } from '../../src/services/inbox/index.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../helpers/db.js';
import { captureLogs } from '../helpers/logs.js';
import { waitFor } from '../helpers/ports.js';

const ann = { id: 6_200_000_001, is_bot: false, first_name: 'Ann' };
const bob = { id: 6_200_000_002, is_bot: false, first_name: 'Bob' };
let nextId = 1;
function text(from: typeof ann, body: string): Update {
  return {
    update_id: nextId++,
    message: {
      message_id: nextId,
      date: 1_750_000_000,
      chat: { id: from.id, type: 'private', first_name: from.first_name },
      from,
      text: body,
    },
  };
}

describe.each(DIALECTS)('the intake on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => db?.cleanup());

  it("hands a chat's next update to the bot only once its running one ended; other chats and a /stop go on", async () => {
    /** What the bot was handed, in order, and how to end each handler. */
    const handed: string[] = [];
    const finish = new Map<string, () => void>();
    const intake = createIntake({
      inbox: createInboxService({ updates: db.repos.updates, now: () => new Date() }),
      owner: 'lanes-test',
      crossInstanceOrder: dialect === 'postgres',
      handle: (update) => {
        const body = update.message?.text ?? '';
        handed.push(body);
        return new Promise<void>((resolve) => finish.set(body, resolve));
      },
      log: captureLogs().logger,
      maxInFlight: 200,
    });
    const updates = [
      text(ann, 'ann 1'),
      text(ann, 'ann 2'),
      text(bob, 'bob 1'),
      text(ann, 'ann 3'),
      text(bob, 'bob 2'),
    ];
    const fresh = await intake.record(updates);
    expect(fresh).toHaveLength(5);
    const runs = fresh.map((update) => intake.dispatch(update));

    await waitFor(() => expect(handed).toEqual(['ann 1', 'bob 1']));
    // A few event loop turns and database round trips later, nothing more was handed over.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(handed).toEqual(['ann 1', 'bob 1']);

    // A /stop does not wait for the answer it stops.
    const stop = text(ann, '/stop');
    const [stopUpdate] = await intake.record([stop]);
    const stopRun = intake.dispatch(stopUpdate!);
    await waitFor(() => expect(handed).toContain('/stop'));
    finish.get('/stop')!();
    await stopRun;

    finish.get('ann 1')!();
    await waitFor(() => expect(handed.at(-1)).toBe('ann 2'));
    finish.get('bob 1')!();
    await waitFor(() => expect(handed.at(-1)).toBe('bob 2'));
    finish.get('ann 2')!();
    await waitFor(() => expect(handed.at(-1)).toBe('ann 3'));
    finish.get('ann 3')!();
    finish.get('bob 2')!();
    await Promise.all(runs);
    expect(handed).toEqual(['ann 1', 'bob 1', '/stop', 'ann 2', 'bob 2', 'ann 3']);
    // Each ended handler's update is done: nothing is left pending.
    expect(await db.repos.updates.pending(100)).toEqual([]);
  });
});
