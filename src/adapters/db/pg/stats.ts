/**
 * StatsRepository on PostgreSQL: the same aggregations as SQLite, with percentile_cont for
 * latency. Counts and sums come back as bigint/numeric strings and are converted here.
 */
import { sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { StatsRepository } from '../../../domain/ports/index.js';
import {
  DAY_MS,
  mergeDays,
  num,
  periodDays,
  roundLatency,
  shapeErrors,
  shapeMessages,
  type ModelGroupRow,
} from '../shared/stats.js';
import { conversations, dailyErrors as de, dailyUsage as du, messages as m, users } from './schema.js';

type Row = Record<string, unknown>;

const dayNumber = (date: Date) => Math.floor(date.getTime() / DAY_MS);

export function pgStats(db: PostgresJsDatabase): StatsRepository {
  const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
  const inPeriod = (since: Date, until: Date) =>
    sql`${m.createdAt} >= ${at(since)} and ${m.createdAt} < ${at(until)}`;
  const one = async (query: ReturnType<typeof sql>): Promise<Row> =>
    ((await db.execute(query)) as Row[])[0] ?? {};
  const all = async <T>(query: ReturnType<typeof sql>): Promise<T[]> =>
    (await db.execute(query)) as unknown as T[];

  return {
    async summary(since, until) {
      const days = periodDays(since, until);
      // Independent queries: the pool runs them side by side.
      const [people, active, usage, asked, models, latency, errors] = await Promise.all([
        one(sql`
          select count(*) as total, count(*) filter (where ${users.createdAt} >= ${at(since)}) as fresh,
            count(*) filter (where ${users.status} = 'banned') as banned,
            count(*) filter (where ${users.status} = 'blocked') as blocked
          from ${users} where ${users.createdAt} < ${at(until)}`),
        one(sql`
          select count(*) filter (where last >= ${days.back(0)}) as day1,
            count(*) filter (where last >= ${days.back(6)}) as day7, count(*) as day30
          from (select max(${du.day}) as last from ${du}
                where ${du.day} >= ${days.back(29)} and ${du.day} <= ${days.last} group by ${du.userId}) as recent`),
        one(sql`
          select sum(${du.messages}) as messages, sum(${du.tokensIn}) as "tokensIn", sum(${du.tokensOut}) as "tokensOut",
            sum(${du.audioSeconds}) as "audioSeconds", sum(${du.images}) as images,
            sum(${du.searches}) as searches
          from ${du} where ${du.day} >= ${days.first} and ${du.day} <= ${days.last}`),
        one(sql`select count(*) as n from ${m} where ${m.role} = 'user' and ${inPeriod(since, until)}`),
        all<ModelGroupRow>(sql`
          select ${m.model} as model, count(*) as n, sum(${m.tokensIn}) as "tokensIn", sum(${m.tokensOut}) as "tokensOut"
          from ${m} where ${m.role} = 'model' and ${inPeriod(since, until)} group by ${m.model}`),
        // One percentile_cont over an array of fractions: the answers are sorted once, not once per percentile.
        one(sql`
          select samples, p[1] as p50, p[2] as p95 from (
            select count(*) as samples, percentile_cont(array[0.5, 0.95]) within group (order by ${m.latencyMs}) as p
            from ${m} where ${m.role} = 'model' and ${m.latencyMs} is not null and ${inPeriod(since, until)}) as answers`),
        all<{ code: string; n: string }>(sql`
          select ${de.code} as code, sum(${de.count}) as n from ${de}
          where ${de.day} >= ${days.first} and ${de.day} <= ${days.last} group by ${de.code}`),
      ]);
      const latencyOf = (value: unknown) => roundLatency(value == null ? null : Number(value));
      return {
        users: {
          total: num(people.total),
          new: num(people.fresh),
          banned: num(people.banned),
          blocked: num(people.blocked),
        },
        active: { day1: num(active.day1), day7: num(active.day7), day30: num(active.day30) },
        ...shapeMessages(asked.n, models),
        usage: {
          messages: num(usage.messages),
          tokensIn: num(usage.tokensIn),
          tokensOut: num(usage.tokensOut),
          audioSeconds: num(usage.audioSeconds),
          images: num(usage.images),
          searches: num(usage.searches),
        },
        latency: {
          samples: num(latency.samples),
          p50Ms: latencyOf(latency.p50),
          p95Ms: latencyOf(latency.p95),
        },
        errors: shapeErrors(errors),
      };
    },

    async daily(since, until) {
      const days = periodDays(since, until);
      const count = (role: string) => sql`(select count(*) from ${m} where ${m.role} = ${role}
        and ${m.createdAt} >= greatest(to_timestamp(d * 86400), ${at(since)})
        and ${m.createdAt} < least(to_timestamp((d + 1) * 86400), ${at(until)}))`;
      const [usage, errors, perDay] = await Promise.all([
        all<{ day: string; n: string; tokensIn: string | null; tokensOut: string | null }>(sql`
          select ${du.day} as day, count(*) as n, sum(${du.tokensIn}) as "tokensIn", sum(${du.tokensOut}) as "tokensOut"
          from ${du} where ${du.day} >= ${days.first} and ${du.day} <= ${days.last} group by ${du.day}`),
        all<{ day: string; n: string }>(sql`
          select ${de.day} as day, sum(${de.count}) as n from ${de}
          where ${de.day} >= ${days.first} and ${de.day} <= ${days.last} group by ${de.day}`),
        // One index range count per day and role (messages_stats_idx), not a scan of the period grouped by day.
        all<{ d: number; user: string; model: string }>(sql`
          select d, ${count('user')} as "user", ${count('model')} as model
          from generate_series(${dayNumber(since)}::int, ${dayNumber(new Date(days.last))}::int) as d`),
      ]);
      return mergeDays({ usage, errors, messages: perDay });
    },

    async recordError(day, code) {
      await db
        .insert(de)
        .values({ day, code, count: 1 })
        .onConflictDoUpdate({ target: [de.day, de.code], set: { count: sql`${de.count} + 1` } });
    },

    async userActivity(userId) {
      const row = await one(sql`
        select (select count(*) from ${conversations} where ${conversations.userId} = ${userId}) as conversations,
          count(${m.id}) as messages, extract(epoch from max(${m.createdAt})) * 1000 as last
        from ${m} join ${conversations} on ${m.conversationId} = ${conversations.id}
        where ${conversations.userId} = ${userId}`);
      return {
        conversations: num(row.conversations),
        messages: num(row.messages),
        lastMessageAt: row.last == null ? null : new Date(Math.round(Number(row.last))),
      };
    },
  };
}
