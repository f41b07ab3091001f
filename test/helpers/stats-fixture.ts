/**
 * One small, fixed history for `stats` and `users` tests, seeded through the real
 * repositories: the period 2025-06-01 .. 2025-06-07 (until 2025-06-08T00:00Z, exclusive),
 * with rows on both sides of each boundary so an off-by-one shows as a wrong number.
 */
import type { Role, User, UserStatus } from '../../src/domain/entities.js';
import type { Repositories, StatsDay, StatsSummary } from '../../src/domain/ports/index.js';

export const SINCE = new Date('2025-06-01T00:00:00Z');
export const UNTIL = new Date('2025-06-08T00:00:00Z');
const at = (iso: string) => new Date(iso);

interface Person {
  telegramId: number;
  username: string | null;
  firstName: string;
  created: string;
  role?: Role;
  status?: UserStatus;
  usage: Record<
    string,
    {
      messages?: number;
      tokensIn?: number;
      tokensOut?: number;
      audioSeconds?: number;
      images?: number;
      searches?: number;
    }
  >;
}

export const PEOPLE = {
  ann: {
    telegramId: 7001,
    username: 'ann_a',
    firstName: 'Ann',
    created: '2025-05-20T08:00:00Z',
    usage: {
      '2025-06-01': { messages: 2, tokensIn: 1000, tokensOut: 200, searches: 2 },
      '2025-06-03': { messages: 1, tokensIn: 3000, tokensOut: 400, audioSeconds: 90 },
      '2025-06-07': { messages: 1, tokensIn: 100, tokensOut: 10, images: 2 },
    },
  },
  bob: {
    telegramId: 7002,
    username: 'Bobby',
    firstName: 'Bob',
    created: '2025-06-02T12:00:00Z',
    role: 'premium',
    usage: {
      '2025-06-07': { messages: 1, tokensIn: 50, tokensOut: 60, audioSeconds: 30, searches: 1 },
    },
  },
  cat: {
    telegramId: 7003,
    username: null,
    firstName: 'Cat 100%',
    created: '2025-06-05T00:00:00Z',
    status: 'banned',
    usage: {
      // 500 tokens in and 20 out of an image request: spent, but on no stored answer.
      '2025-06-05': { messages: 1, tokensIn: 10_500, tokensOut: 1020, images: 1 },
    },
  },
  // Created after the period: not in `total`.
  dan: {
    telegramId: 7004,
    username: 'dan',
    firstName: 'Dan',
    created: '2025-06-09T00:00:00Z',
    usage: {
      '2025-06-09': { messages: 5 },
    },
  },
  eve: {
    telegramId: 7005,
    username: 'eve',
    firstName: 'Eve',
    created: '2025-04-01T00:00:00Z',
    status: 'blocked',
    usage: {
      '2025-05-01': { messages: 3 },
    },
  },
  // Active within 30 days of the period's end, but not in the period.
  fay: {
    telegramId: 7006,
    username: 'fay',
    firstName: 'Fay',
    created: '2025-05-01T00:00:00Z',
    usage: {
      '2025-05-20': { messages: 1 },
      '2025-05-31': { messages: 4, tokensIn: 999 },
    },
  },
} satisfies Record<string, Person>;

export type FixtureUsers = Record<keyof typeof PEOPLE, User>;

/** [author, createdAt, role, model, latencyMs, tokensIn, tokensOut] */
type Row = [keyof typeof PEOPLE, string, 'user' | 'model', string | null, number | null, number, number];
const MESSAGES: Row[] = [
  ['fay', '2025-05-31T23:59:59.999Z', 'user', null, null, 5, 0],
  ['fay', '2025-05-31T23:59:59.999Z', 'model', 'gemini-2.5-flash', 9000, 999, 99],
  ['ann', '2025-06-01T00:00:00.000Z', 'user', null, null, 7, 0],
  ['ann', '2025-06-01T00:00:01.000Z', 'model', 'gemini-2.5-flash', 100, 1000, 200],
  ['ann', '2025-06-03T10:00:00.000Z', 'user', null, null, 3, 0],
  ['ann', '2025-06-03T10:00:02.000Z', 'model', 'gemini-2.5-flash', 300, 3000, 400],
  ['cat', '2025-06-05T09:00:00.000Z', 'user', null, null, 4, 0],
  ['cat', '2025-06-05T09:00:05.000Z', 'model', 'gemini-2.5-pro', 500, 10_000, 1000],
  ['bob', '2025-06-07T23:59:59.000Z', 'user', null, null, 2, 0],
  ['bob', '2025-06-07T23:59:59.999Z', 'model', 'mystery-model', 200, 50, 60],
  // An answer without a recorded latency (a replayed update): counted, not a latency sample.
  ['ann', '2025-06-07T12:00:00.000Z', 'model', 'gemini-2.5-flash', null, 100, 10],
  ['dan', '2025-06-08T00:00:00.000Z', 'user', null, null, 1, 0],
];

/**
 * [UTC day, error code, how many]: 2025-06-04 has errors and nothing else, 2025-06-02 and
 * 2025-06-06 nothing at all (zeros), and a day on each side of the period is left out.
 */
const ERRORS: [string, string, number][] = [
  ['2025-05-31', 'GEMINI_UNAVAILABLE', 1],
  ['2025-06-01', 'GEMINI_UNAVAILABLE', 2],
  ['2025-06-01', 'INTERNAL', 1],
  ['2025-06-04', 'GEMINI_BLOCKED', 1],
  ['2025-06-08', 'INTERNAL', 1],
];

export async function seedStatsFixture(repos: Repositories): Promise<FixtureUsers> {
  const users = {} as FixtureUsers;
  for (const [name, p] of Object.entries(PEOPLE) as [keyof typeof PEOPLE, Person][]) {
    let user = await repos.users.upsertFromTelegram(
      {
        telegramId: p.telegramId,
        username: p.username,
        firstName: p.firstName,
        lastName: null,
        languageCode: 'en',
        language: 'en',
      },
      at(p.created),
    );
    if (p.role) user = await repos.users.setRole(user.id, p.role);
    if (p.status) user = await repos.users.setStatus(user.id, p.status);
    for (const [day, delta] of Object.entries(p.usage)) await repos.usage.increment(user.id, day, delta);
    users[name] = user;
  }
  // Ann has two conversations; the others one each.
  await repos.conversations.start(
    { userId: users.ann.id, chatId: 7001, threadId: 1 },
    at('2025-05-20T08:00:00Z'),
  );
  for (const [who, created, role, model, latencyMs, tokensIn, tokensOut] of MESSAGES) {
    const user = users[who];
    const conversation = await repos.conversations.getOrStart(
      { userId: user.id, chatId: user.telegramId, threadId: null },
      at(created),
    );
    await repos.conversations.appendMessage({
      conversationId: conversation.id,
      role,
      content: `${who} ${role}`,
      model,
      latencyMs,
      tokensIn,
      tokensOut,
      createdAt: at(created),
    });
  }
  for (const [day, code, times] of ERRORS) {
    for (let i = 0; i < times; i++) await repos.stats.recordError(day, code);
  }
  // Stars payments on both sides of each boundary, one refunded; roles are left as they are.
  const PAYMENTS: [keyof typeof PEOPLE, string, number, string | null][] = [
    ['ann', '2025-05-31T23:59:59Z', 100, null],
    ['ann', '2025-06-01T00:00:00Z', 150, null],
    ['bob', '2025-06-03T10:00:00Z', 300, '2025-06-04T10:00:00Z'],
    ['bob', '2025-06-07T23:59:59Z', 200, null],
    ['cat', '2025-06-08T00:00:00Z', 400, null],
  ];
  for (const [n, [who, created, amount, refunded]] of PAYMENTS.entries()) {
    const user = users[who];
    await repos.payments.record(
      {
        chargeId: `stats-${n}`,
        userId: user.id,
        amount,
        currency: 'XTR',
        payload: `premium:v1:${user.telegramId}:${amount}:30`,
        periodDays: 30,
      },
      (u) => ({ role: u.role, premiumUntil: u.premiumUntil }),
      at(created),
    );
    if (refunded) {
      await repos.payments.markRefunded(
        `stats-${n}`,
        (u) => ({ role: u.role, premiumUntil: null }),
        at(refunded),
      );
    }
  }
  return users;
}

export const EXPECTED_SUMMARY: StatsSummary = {
  users: { total: 5, new: 2, banned: 1, blocked: 1 },
  active: { day1: 2, day7: 3, day30: 4 },
  messages: { user: 4, model: 5 },
  usage: { messages: 6, tokensIn: 14_650, tokensOut: 1690, audioSeconds: 120, images: 3, searches: 3 },
  models: [
    { model: 'gemini-2.5-pro', answers: 1, tokensIn: 10_000, tokensOut: 1000 },
    { model: 'gemini-2.5-flash', answers: 3, tokensIn: 4100, tokensOut: 610 },
    { model: 'mystery-model', answers: 1, tokensIn: 50, tokensOut: 60 },
  ],
  // Samples 100, 200, 300, 500: p50 = 250, p95 = 300 + 0.85 * 200.
  latency: { samples: 4, p50Ms: 250, p95Ms: 470 },
  errors: {
    total: 4,
    byCode: [
      { code: 'GEMINI_UNAVAILABLE', count: 2 },
      { code: 'GEMINI_BLOCKED', count: 1 },
      { code: 'INTERNAL', count: 1 },
    ],
  },
};

export const EXPECTED_DAYS: StatsDay[] = [
  {
    day: '2025-06-01',
    activeUsers: 1,
    userMessages: 1,
    modelMessages: 1,
    tokensIn: 1000,
    tokensOut: 200,
    errors: 3,
  },
  {
    day: '2025-06-03',
    activeUsers: 1,
    userMessages: 1,
    modelMessages: 1,
    tokensIn: 3000,
    tokensOut: 400,
    errors: 0,
  },
  // Errors only: listed, like a day with only activity.
  {
    day: '2025-06-04',
    activeUsers: 0,
    userMessages: 0,
    modelMessages: 0,
    tokensIn: 0,
    tokensOut: 0,
    errors: 1,
  },
  {
    day: '2025-06-05',
    activeUsers: 1,
    userMessages: 1,
    modelMessages: 1,
    tokensIn: 10_500,
    tokensOut: 1020,
    errors: 0,
  },
  {
    day: '2025-06-07',
    activeUsers: 2,
    userMessages: 1,
    modelMessages: 2,
    tokensIn: 150,
    tokensOut: 70,
    errors: 0,
  },
];

const zeroDay = (day: string) => ({
  day,
  activeUsers: 0,
  userMessages: 0,
  modelMessages: 0,
  tokensIn: 0,
  tokensOut: 0,
  errors: 0,
});

/** `botctl stats --since 2025-06-01 --until 2025-06-07 --json` over the fixture, default prices. */
export const EXPECTED_REPORT = {
  period: { since: '2025-06-01T00:00:00.000Z', until: '2025-06-08T00:00:00.000Z', days: 7 },
  users: { total: 5, new: 2, banned: 1, blocked: 1, active: { day1: 2, day7: 3, day30: 4 } },
  messages: { user: 4, model: 5 },
  voiceMinutes: 2,
  images: 3,
  searches: 3,
  tokens: { in: 14_650, out: 1690 },
  cost: {
    currency: 'USD',
    // gemini-2.5-pro 10,000 in x $1.25/M + 1,000 out x $10/M; gemini-2.5-flash 4,100 x $0.30/M + 610 x $2.50/M;
    // 3 grounded answers x $35 per 1,000.
    estimated: 0.130255,
    complete: false,
    unknownModels: ['mystery-model'],
    byModel: [
      { model: 'gemini-2.5-pro', answers: 1, tokensIn: 10_000, tokensOut: 1000, cost: 0.0225 },
      { model: 'gemini-2.5-flash', answers: 3, tokensIn: 4100, tokensOut: 610, cost: 0.002755 },
      { model: 'mystery-model', answers: 1, tokensIn: 50, tokensOut: 60, cost: null },
    ],
    searches: { count: 3, perThousand: 35, cost: 0.105 },
    unattributed: { tokensIn: 500, tokensOut: 20 },
  },
  latency: { samples: 4, p50Ms: 250, p95Ms: 470 },
  errors: EXPECTED_SUMMARY.errors,
  // 150 + 200 (the refunded 300 not counted); the payments just outside the period left out.
  stars: { earned: 350, payments: 3, refunded: 1 },
  daily: [
    EXPECTED_DAYS[0]!,
    zeroDay('2025-06-02'),
    EXPECTED_DAYS[1]!,
    EXPECTED_DAYS[2]!,
    EXPECTED_DAYS[3]!,
    zeroDay('2025-06-06'),
    EXPECTED_DAYS[4]!,
  ],
};
