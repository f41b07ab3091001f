/**
 * The race the outbox claim must survive on PostgreSQL, made deterministic: one worker's
 * "delivered" is not committed yet while another worker's claim of the same head waits on the
 * row lock. When the first commits, PostgreSQL re-checks the waiting update against the new row
 * version (not the head subquery): a claim that only asked "unclaimed and due" took the delivered
 * row and posted it twice. The contract suite's race test finds this only some of the time.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../helpers/db.js';

let db: TestDatabase;
beforeEach(async () => {
  db = await openTestDatabase('postgres');
});
afterEach(async () => {
  await db.cleanup();
});

it('does not claim a row another worker delivered while this claim waited for it', async () => {
  const rows = [1, 2].map((n) => {
    const eventId = randomUUID();
    return {
      eventId,
      endpoint: 'a',
      type: 'user.created' as const,
      occurredAt: new Date(),
      body: `{"n":${n}}`,
    };
  });
  await db.repos.outbox.enqueue(rows);
  const lease = () => new Date(Date.now() + 60_000);
  const head = (await db.repos.outbox.claimNext('a', new Date(), lease()))!;
  // The lease ran out (a slow worker); a second worker may claim the row again meanwhile.
  await db.raw('update event_outbox set claimed_until = ? where id = ?', [new Date(Date.now() - 1), head.id]);

  const other = postgres(db.url, { max: 1, onnotice: () => undefined });
  try {
    let claim: Promise<unknown> | undefined;
    await other.begin(async (tx) => {
      // The first worker records its delivery; not committed yet.
      await tx`update event_outbox set status = 'delivered', claimed_until = null where id = ${head.id}`;
      claim = db.repos.outbox.claimNext('a', new Date(), lease());
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    const claimed = (await claim) as { id: number } | null;
    expect(claimed?.id).not.toBe(head.id);
  } finally {
    await other.end();
  }
  // The line goes on with the next row.
  expect((await db.repos.outbox.claimNext('a', new Date(), lease()))!.eventId).toBe(rows[1]!.eventId);
});
