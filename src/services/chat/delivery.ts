/**
 * Answered once, counted at delivery. An answer is stored as soon as the model finishes, but a
 * message only counts as answered once Telegram has accepted the answer (returned the sent
 * message): a crash in between leaves the answer undelivered, and the replay of its update sends
 * it then. A group answer streams into one message edited as the model writes; that message is
 * remembered with its update, so a replay edits the truncated preview into the answer instead of
 * leaving it and sending another.
 *
 * Telegram's sendMessage has no idempotency key: a crash after Telegram accepted a message and
 * before `delivered` recorded it (one database write later) sends that answer again on replay.
 * That window is kept to the one write; everything before it is replayed, nothing is lost.
 */
import type { ConversationRepository, UpdateInboxRepository } from '../../domain/ports/index.js';

export function createDeliveryService(deps: {
  conversations: Pick<ConversationRepository, 'markDelivered'>;
  updates: Pick<UpdateInboxRepository, 'setReplyMessage' | 'replyMessage'>;
  now: () => Date;
}) {
  return {
    /** Telegram accepted the stored answer `answerId`: a replay of its update now sends nothing. */
    delivered: (answerId: number) => deps.conversations.markDelivered(answerId, deps.now()),
    /** The group stream of update `updateId` created message `messageId` (its preview). */
    rememberPreview: (updateId: number, messageId: number) =>
      deps.updates.setReplyMessage(updateId, messageId),
    /** The preview a crashed run of this update left in the chat, if any. */
    previewOf: (updateId: number) => deps.updates.replyMessage(updateId),
  };
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;
