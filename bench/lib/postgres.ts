/** Scratch PostgreSQL databases and bulk seeding for the benchmarks. */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export const PG_ADMIN_URL =
  process.env.BENCH_PG_URL ?? process.env.BOTCTL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, empty database on the admin URL's server; drop() removes it even with open connections. */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `botctl_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Runs `work` on a scratch database and drops it afterwards, whatever happens. */
export async function withScratchDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const scratch = await createScratchDatabase();
  try {
    return await work(scratch.url);
  } finally {
    await scratch.drop();
  }
}

/**
 * Inserts `messages` rows of ~100 characters, alternating user and model, spread over
 * conversations 1..`conversations` (which must exist), in one statement; then analyzes the table.
 */
export async function bulkInsertMessages(
  url: string,
  messages: number,
  conversations: number,
): Promise<void> {
  const raw = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await raw.unsafe(
      `insert into messages (conversation_id, role, content, tokens_in, tokens_out, created_at)
       select (g % $2) + 1, case g % 2 when 0 then 'user' else 'model' end,
              'message ' || g || ' ' || left(md5(g::text) || md5((g + 1)::text) || md5((g + 2)::text), 90), 10, 20, now()
       from generate_series(1, $1::int) g`,
      [messages, conversations],
    );
    await raw.unsafe('vacuum analyze messages');
  } finally {
    await raw.end();
  }
}
