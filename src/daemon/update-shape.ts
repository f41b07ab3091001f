/**
 * What an update must look like for the bot to route it. Telegram's own updates always pass;
 * anything else (a null chat, a string id, a type nobody knows, a megabyte of text) is rejected
 * at intake with a short reason instead of reaching code that assumes Telegram's shape, where
 * one bad update used to stop polling for good. Objects are loose: fields we do not read pass
 * through untouched, so a new Bot API field never rejects an update.
 */
import { z } from 'zod';
import { TELEGRAM_CAPTION_LIMIT, TELEGRAM_MESSAGE_LIMIT } from '../domain/split-message.js';

/** Every update type of the Bot API (9.x): the only values of the update-type metric label, plus `other`. */
export const TELEGRAM_UPDATE_TYPES = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'business_connection',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'message_reaction',
  'message_reaction_count',
  'inline_query',
  'chosen_inline_result',
  'callback_query',
  'shipping_query',
  'pre_checkout_query',
  'purchased_paid_media',
  'poll',
  'poll_answer',
  'my_chat_member',
  'chat_member',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
] as const;

type UpdateType = (typeof TELEGRAM_UPDATE_TYPES)[number];

/** Why an update was not routed; the values of `botctl_updates_rejected_total{reason}`. */
export const REJECT_REASONS = ['empty', 'unknown_type', 'malformed'] as const;
type RejectReason = (typeof REJECT_REASONS)[number];

const KNOWN = new Set<string>(TELEGRAM_UPDATE_TYPES);

const id = z.number().int().refine(Number.isSafeInteger);
// Telegram counts characters; UTF-16 units of the same text are at most twice as many.
const text = (limit: number) => z.string().max(2 * limit);
const user = z.looseObject({
  id,
  is_bot: z.boolean(),
  first_name: z.string().max(256),
  username: z.string().max(256).optional(),
  language_code: z.string().max(35).optional(),
});
const chat = z.looseObject({ id, type: z.enum(['private', 'group', 'supergroup', 'channel']) });
const message = z.looseObject({
  message_id: z.number().int(),
  date: z.number().int(),
  chat,
  from: user.optional(),
  message_thread_id: z.number().int().optional(),
  is_topic_message: z.boolean().optional(),
  text: text(TELEGRAM_MESSAGE_LIMIT).optional(),
  caption: text(TELEGRAM_CAPTION_LIMIT).optional(),
  entities: z
    .array(z.looseObject({ type: z.string(), offset: z.number().int(), length: z.number().int() }))
    .optional(),
});
const member = z.looseObject({ status: z.string(), user });

/** Shapes of the types the bot reads (polling.ts ALLOWED_UPDATES and message kinds); others need an object. */
const SHAPES: Partial<Record<UpdateType, z.ZodType>> = {
  message,
  edited_message: message,
  channel_post: message,
  edited_channel_post: message,
  business_message: message,
  edited_business_message: message,
  callback_query: z.looseObject({
    id: z.string().max(256),
    from: user,
    message: message.optional(),
    chat_instance: z.string().max(256),
    data: z.string().max(64).optional(),
  }),
  inline_query: z.looseObject({
    id: z.string().max(256),
    from: user,
    query: text(256),
    offset: z.string().max(256),
  }),
  pre_checkout_query: z.looseObject({
    id: z.string().max(256),
    from: user,
    currency: z.string().max(8),
    total_amount: z.number().int(),
    invoice_payload: z.string().max(256),
  }),
  my_chat_member: z.looseObject({
    chat,
    from: user,
    date: z.number().int(),
    old_chat_member: member,
    new_chat_member: member,
  }),
};
const ANY_OBJECT = z.looseObject({});

export type Routing =
  | { ok: true; type: UpdateType }
  | {
      ok: false;
      reason: RejectReason;
      /** The field and check that failed; never a value. */ detail: string;
    };

/** Decides whether the bot can route the update; `update_id` was checked by the caller. */
export function routeUpdate(update: Record<string, unknown>): Routing {
  const keys = Object.keys(update).filter((k) => k !== 'update_id');
  if (keys.length === 0) return { ok: false, reason: 'empty', detail: 'no update type' };
  const [type] = keys as [string];
  if (keys.length > 1) return { ok: false, reason: 'malformed', detail: `${keys.length} update types` };
  if (!KNOWN.has(type))
    return { ok: false, reason: 'unknown_type', detail: /^[a-z_]{1,40}$/.test(type) ? type : '?' };
  const schema = SHAPES[type as UpdateType] ?? ANY_OBJECT;
  const result = schema.safeParse(update[type]);
  if (result.success) return { ok: true, type: type as UpdateType };
  const issue = result.error.issues[0]!;
  return {
    ok: false,
    reason: 'malformed',
    detail: [type, ...issue.path.map(String)].join('.') + ` ${issue.code}`,
  };
}
