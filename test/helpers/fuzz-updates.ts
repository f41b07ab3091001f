/**
 * A seeded mix of valid and malformed Telegram updates for intake fuzz tests (fast-check):
 * nulls and missing fields where Telegram always sends values, wrong types, huge strings,
 * unknown and extra update types, whole values replaced by junk; valid private text messages
 * mixed in, each in a chat of its own so its answers can be counted.
 */
import fc from 'fast-check';

export interface FuzzUpdate {
  /** Without update_id: the fake Telegram (or the test) numbers it. */
  update: Record<string, unknown>;
  /** Set for the valid text messages: the chat that must get exactly one answer. */
  valid?: { chatId: number; text: string };
}

/** Valid chats live in their own id range, so no malformed update answers into them. */
const VALID_CHAT_BASE = 7_700_000_000;

const user = (id: number) => ({ id, is_bot: false, first_name: 'Fuzz', language_code: 'en' });
const chat = (id: number) => ({ id, type: 'private', first_name: 'Fuzz' });
const message = (id: number, text: string) => ({
  message_id: 1 + (id % 1000),
  date: 1_750_000_000,
  chat: chat(id),
  from: user(id),
  text,
});

/** Well-formed updates of each type the bot reads, in chats outside the valid range. */
const bases = fc.integer({ min: 1, max: 1_000_000 }).chain((id) =>
  fc.constantFrom<Record<string, unknown>>(
    { message: message(id, 'hello') },
    { edited_message: { ...message(id, 'edited'), edit_date: 1_750_000_001 } },
    {
      callback_query: {
        id: `cq${id}`,
        from: user(id),
        chat_instance: 'ci',
        data: 'x',
        message: message(id, 'bot said'),
      },
    },
    { inline_query: { id: `iq${id}`, from: user(id), query: 'q', offset: '' } },
    {
      my_chat_member: {
        chat: chat(id),
        from: user(id),
        date: 1_750_000_000,
        old_chat_member: { status: 'member', user: user(id) },
        new_chat_member: { status: 'kicked', user: user(id), until_date: 0 },
      },
    },
  ),
);

const huge = fc.constantFrom(5_000, 20_000, 200_000).map((n) => 'x'.repeat(n));
/** Anything JSON can carry where Telegram sends something else; `undefined` becomes a missing field. */
const junk = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  huge,
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }),
);

/** Replaces (or with `undefined`, removes) the value at a path that exists in the base. */
function mutate(base: Record<string, unknown>, pick: number, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  const paths: string[][] = [];
  const walk = (node: unknown, path: string[]) => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, child] of Object.entries(node)) {
      paths.push([...path, key]);
      walk(child, [...path, key]);
    }
  };
  walk(copy, []);
  const path = paths[pick % paths.length]!;
  let parent = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const last = path.at(-1)!;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

const malformed: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.tuple(bases, fc.nat(), junk).map(([base, pick, value]) => mutate(base, pick, value)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.stringMatching(/^[a-z_]{1,20}$/), junk)
      .map(([key, value]) => ({ [`x_${key}`]: value })),
  },
  { weight: 1, arbitrary: fc.tuple(bases, bases).map(([a, b]) => ({ ...a, ...b, poll: { id: 'p' } })) },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: junk.map((value) => ({ message: value })) },
);

/** `count` updates, about one in four valid, the same for the same seed. */
export function fuzzUpdates(count: number, seed: number): FuzzUpdate[] {
  const kinds = fc.sample(
    fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: malformed }),
    { seed, numRuns: count },
  );
  return kinds.map((update, i) => {
    if (update !== null) return { update: JSON.parse(JSON.stringify(update)) as Record<string, unknown> };
    const chatId = VALID_CHAT_BASE + i;
    const text = `fuzz question ${i}`;
    return { update: { message: message(chatId, text) }, valid: { chatId, text } };
  });
}
