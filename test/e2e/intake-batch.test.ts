/**
 * A getUpdates batch is stored all or none. When storing one update of a batch fails (a full disk,
 * a lost connection; here a trigger refuses one update_id), getUpdates' offset stays put and the
 * same batch comes again. Stored one by one, the updates before the failed one were in the inbox
 * already and were then dropped as duplicates: pending, under this instance's lease, and never
 * answered until the next restart. Every update of the batch is answered once the write works.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Dialect } from '../../src/domain/ports/index.js';
import { startHarness, type Harness } from '../helpers/bot-harness.js';
import { DIALECTS } from '../helpers/db.js';
import { waitFor } from '../helpers/ports.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const REFUSED = 'refused by the test';

async function refuse(harness: Harness, dialect: Dialect, updateId: number): Promise<() => Promise<void>> {
  if (dialect === 'sqlite') {
    await harness.db.raw(
      `create trigger refuse_one before insert on update_inbox when new.update_id = ${updateId}
       begin select raise(abort, '${REFUSED}'); end`,
    );
    return async () => void (await harness.db.raw('drop trigger refuse_one'));
  }
  await harness.db.raw(
    `create function refuse_one() returns trigger language plpgsql as
     $$ begin if new.update_id = ${updateId} then raise exception '${REFUSED}'; end if; return new; end $$`,
  );
  await harness.db.raw(
    'create trigger refuse_one before insert on update_inbox for each row execute function refuse_one()',
  );
  return async () => void (await harness.db.raw('drop trigger refuse_one on update_inbox'));
}

describe.each(DIALECTS)('a getUpdates batch (%s)', (dialect) => {
  it('is stored all or none: after a failed write every update of it is answered, none lost as a duplicate', async () => {
    h = await startHarness({ dialect });
    const harness = h;
    const chats = [7101, 7102, 7103, 7104, 7105];
    // Update ids come in push order: m3 is refused, behind m1 and m2 of its batch.
    const next = harness.telegram.updates.text({ chatId: chats[0]!, text: 'probe' });
    const firstId = harness.telegram.pushUpdate(next).update_id;
    await waitFor(() => expect(harness.telegram.sentMessages(chats[0]!)).toEqual(['Echo: probe']), 15_000);
    const allow = await refuse(harness, dialect, firstId + 4);
    for (const [index, chatId] of chats.entries())
      harness.telegram.pushUpdate(harness.telegram.updates.text({ chatId, text: `m${index}` }));
    await waitFor(
      () => expect(harness.logs.lines().some((line) => JSON.stringify(line).includes(REFUSED))).toBe(true),
      15_000,
    );
    // The first push wakes the waiting long poll alone; the refused one's batch holds the next three.
    expect(chats.slice(1).flatMap((chatId) => harness.telegram.sentMessages(chatId))).toEqual([]);

    await allow();
    await waitFor(
      () =>
        expect(chats.map((chatId) => harness.telegram.sentMessages(chatId))).toEqual([
          ['Echo: probe', 'Echo: m0'],
          ['Echo: m1'],
          ['Echo: m2'],
          ['Echo: m3'],
          ['Echo: m4'],
        ]),
      20_000,
    );
  });
});
