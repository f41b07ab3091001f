/**
 * StatsRepository on SQLite. Everything is aggregated in SQL, each query shaped to walk one
 * covering index range instead of sorting the period's rows: percentiles read two rows at an
 * ORDER BY ... OFFSET position of messages_latency_idx (SQLite has no percentile_cont), and
 * per-day counts are one index range count per day rather than a GROUP BY over the period.
 */
import { sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { StatsRepository } from '../../../domain/ports/index.js';
import {
  DAY_MS,
  interpolate,
  mergeDays,
  num,
  percentilePosition,
  periodDays,
  roundLatency,
  shapeErrors,
  shapeMessages,
  type ModelGroupRow,
} from '../shared/stats.js';
import { conversations, dailyErrors as de, dailyUsage as du, messages as m, users } from './schema.js';

type Row = Record<string, number | null>;

export function sqliteStats(db: BetterSQLite3Database): StatsRepository {
  /** created_at is integer milliseconds on SQLite. */
  const inPeriod = (since: Date, until: Date) =>
    sql`${m.createdAt} >= ${since.getTime()} and ${m.createdAt} < ${until.getTime()}`;
  const inDays = (first: string, last: string) => sql`${du.day} >= ${first} and ${du.day} <= ${last}`;

  /** samples: the answers with a latency, counted by the per-model query. */
  function latency(since: Date, until: Date, samples: number) {
    const answers = sql`${m.role} = 'model' and ${m.latencyMs} is not null and ${inPeriod(since, until)}`;
    const at = (p: number) => {
      if (samples === 0) return null;
      const { offset, frac } = percentilePosition(samples, p);
      const rows = db.all<{ v: number }>(
        // Without ANALYZE statistics the planner prefers messages_stats_idx and sorts; this index is already in order.
        sql`select ${m.latencyMs} as v from ${m} indexed by messages_latency_idx
            where ${answers} order by ${m.latencyMs} limit 2 offset ${offset}`,
      );
      const values = rows.map((r) => r.v);
      return roundLatency(interpolate(values, frac));
    };
    return { samples, p50Ms: at(0.5), p95Ms: at(0.95) };
  }

  return {
    async summary(since, until) {
      const days = periodDays(since, until);
      const people = db.get<Row>(sql`
        select count(*) as total, sum(${users.createdAt} >= ${since.getTime()}) as fresh,
          sum(${users.status} = 'banned') as banned, sum(${users.status} = 'blocked') as blocked
        from ${users} where ${users.createdAt} < ${until.getTime()}`);
      const active = db.get<Row>(sql`
        select sum(last >= ${days.back(0)}) as day1, sum(last >= ${days.back(6)}) as day7, count(*) as day30
        from (select max(${du.day}) as last from ${du} where ${inDays(days.back(29), days.last)} group by ${du.userId})`);
      const usage = db.get<Row>(sql`
        select sum(${du.messages}) as messages, sum(${du.tokensIn}) as tokensIn, sum(${du.tokensOut}) as tokensOut,
          sum(${du.audioSeconds}) as audioSeconds, sum(${du.images}) as images,
          sum(${du.searches}) as searches
        from ${du} where ${inDays(days.first, days.last)}`);
      const asked = db.get<Row>(
        sql`select count(*) as n from ${m} where ${m.role} = 'user' and ${inPeriod(since, until)}`,
      );
      const models = db.all<ModelGroupRow>(sql`
        select ${m.model} as model, count(*) as n, sum(${m.tokensIn}) as tokensIn, sum(${m.tokensOut}) as tokensOut,
          count(${m.latencyMs}) as timed
        from ${m} where ${m.role} = 'model' and ${inPeriod(since, until)} group by ${m.model}`);
      const errors = db.all<{ code: string; n: number }>(sql`
        select ${de.code} as code, sum(${de.count}) as n from ${de}
        where ${de.day} >= ${days.first} and ${de.day} <= ${days.last} group by ${de.code}`);
      const timed = models.reduce((sum, row) => sum + num(row.timed), 0);
      return {
        users: {
          total: num(people?.total),
          new: num(people?.fresh),
          banned: num(people?.banned),
          blocked: num(people?.blocked),
        },
        active: { day1: num(active?.day1), day7: num(active?.day7), day30: num(active?.day30) },
        ...shapeMessages(asked?.n, models),
        usage: {
          messages: num(usage?.messages),
          tokensIn: num(usage?.tokensIn),
          tokensOut: num(usage?.tokensOut),
          audioSeconds: num(usage?.audioSeconds),
          images: num(usage?.images),
          searches: num(usage?.searches),
        },
        latency: latency(since, until, timed),
        errors: shapeErrors(errors),
      };
    },

    async daily(since, until) {
      const days = periodDays(since, until);
      const usage = db.all<{ day: string; n: number; tokensIn: number; tokensOut: number }>(sql`
        select ${du.day} as day, count(*) as n, sum(${du.tokensIn}) as tokensIn, sum(${du.tokensOut}) as tokensOut
        from ${du} where ${inDays(days.first, days.last)} group by ${du.day}`);
      const errors = db.all<{ day: string; n: number }>(sql`
        select ${de.day} as day, sum(${de.count}) as n from ${de}
        where ${de.day} >= ${days.first} and ${de.day} <= ${days.last} group by ${de.day}`);
      const count = (role: string) => sql`(select count(*) from ${m} where ${m.role} = ${role}
        and ${m.createdAt} >= max(d * ${DAY_MS}, ${since.getTime()}) and ${m.createdAt} < min((d + 1) * ${DAY_MS}, ${until.getTime()}))`;
      const perDay = db.all<{ d: number; user: number; model: number }>(sql`
        with recursive period(d) as (
          select ${Math.floor(since.getTime() / DAY_MS)}
          union all select d + 1 from period where d < ${Math.floor(Date.parse(days.last) / DAY_MS)})
        select d, ${count('user')} as user, ${count('model')} as model from period`);
      return mergeDays({ usage, errors, messages: perDay });
    },

    async recordError(day, code) {
      db.insert(de)
        .values({ day, code, count: 1 })
        .onConflictDoUpdate({ target: [de.day, de.code], set: { count: sql`${de.count} + 1` } })
        .run();
    },

    async userActivity(userId) {
      const row = db.get<Row>(sql`
        select (select count(*) from ${conversations} where ${conversations.userId} = ${userId}) as conversations,
          count(${m.id}) as messages, max(${m.createdAt}) as last
        from ${m} join ${conversations} on ${m.conversationId} = ${conversations.id}
        where ${conversations.userId} = ${userId}`);
      return {
        conversations: num(row?.conversations),
        messages: num(row?.messages),
        lastMessageAt: row?.last == null ? null : new Date(row.last),
      };
    },
  };
}
