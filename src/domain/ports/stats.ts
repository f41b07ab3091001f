/** Operator statistics computed in the database (`botctl stats`, `botctl users show`). */

/** Operator statistics over [since, until): UTC days, `until` exclusive. */
export interface StatsSummary {
  /** Users created before `until`; `new`: created in the period; status counts are current. */
  users: { total: number; new: number; banned: number; blocked: number };
  /** Distinct users with a usage row in the last 1, 7 and 30 UTC days ending with the period's last day. */
  active: { day1: number; day7: number; day30: number };
  /** Stored messages created in the period, by role. */
  messages: { user: number; model: number };
  /** daily_usage summed over the period's days: every request, including images, speech and inline answers. */
  usage: {
    messages: number;
    tokensIn: number;
    tokensOut: number;
    audioSeconds: number;
    images: number;
    /** Answers grounded in Google Search. */
    searches: number;
  };
  /** Stored answers (model rows) per model, most tokens first; `model` null when none was recorded. */
  models: { model: string | null; answers: number; tokensIn: number; tokensOut: number }[];
  /** Answer latency over model rows with a latency (percentile_cont: interpolated), null when none. */
  latency: { samples: number; p50Ms: number | null; p95Ms: number | null };
  /** Failed requests counted per day in the period (daily_errors), by code, most first. */
  errors: { total: number; byCode: { code: string; count: number }[] };
}

export interface StatsDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** Users with a usage row that day. */
  activeUsers: number;
  userMessages: number;
  modelMessages: number;
  /** daily_usage's tokens that day: every request, including images, speech and inline answers. */
  tokensIn: number;
  tokensOut: number;
  /** Failed requests that day (daily_errors, every code). */
  errors: number;
}

interface UserActivity {
  conversations: number;
  messages: number;
  lastMessageAt: Date | null;
}

/** Aggregations for `botctl stats` and `botctl users show`, computed in the database. */
export interface StatsRepository {
  summary(since: Date, until: Date): Promise<StatsSummary>;
  /** Days of [since, until) that have activity, messages or errors, oldest first (quiet days are absent). */
  daily(since: Date, until: Date): Promise<StatsDay[]>;
  /**
   * Counts one failed request on a UTC day (YYYY-MM-DD) under its error code: one atomic upsert,
   * so instances counting at once lose nothing.
   */
  recordError(day: string, code: string): Promise<void>;
  userActivity(userId: number): Promise<UserActivity>;
}
