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
 *
 * The same write marks the update done. What its handler does after the delivery (a spoken copy)
 * is never replayed anyway: a replay finds the answer delivered and stops there. So waiting for
 * the handler's end to mark it done would cost one more write per answer and change nothing. A
 * handler that stores anything must do so before the delivery.
 */
import type { ConversationRepository, UpdateInboxRepository } from '../../domain/ports/index.js';
import type { Answered, AnsweredEvent } from './turn.js';

export function createDeliveryService(deps: {
  conversations: Pick<ConversationRepository, 'markDelivered'>;
  updates: Pick<UpdateInboxRepository, 'setReplyMessage' | 'replyMessage'>;
  now: () => Date;
  /**
   * Told once an answer is delivered (e.g. to title the conversation), so background model calls
   * start after the answer is out, never beside it; must not throw or block.
   */
  onDelivered?: (event: AnsweredEvent) => void;
}) {
  return {
    /**
     * Telegram accepted the stored answer to update `updateId` as messages `sent`: it is done, a
     * replay would send nothing; a reply to one of `sent` continues its conversation.
     */
    async delivered(
      answer: Pick<Answered, 'messageId' | 'event'>,
      updateId: number,
      sent?: readonly number[],
    ): Promise<void> {
      await deps.conversations.markDelivered(answer.messageId, deps.now(), updateId, sent);
      if (answer.event) deps.onDelivered?.(answer.event);
    },
    /** The group stream of update `updateId` created message `messageId` (its preview). */
    rememberPreview: (updateId: number, messageId: number) =>
      deps.updates.setReplyMessage(updateId, messageId),
    /** The preview a crashed run of this update left in the chat, if any. */
    previewOf: (updateId: number) => deps.updates.replyMessage(updateId),
  };
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;
