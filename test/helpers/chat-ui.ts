/**
 * A chatter's hands for e2e tests: send commands and texts, press inline buttons by their
 * label (using the callback_data the bot actually sent, as the fake Telegram stored it after
 * every edit), and wait until the daemon has finished handling each update (its inbox row
 * is marked done), so assertions never race the bot.
 */
import type { InlineKeyboardButton, Update } from 'grammy/types';
import type { StoredMessage } from '../fakes/telegram.js';
import type { Harness } from './bot-harness.js';
import { waitFor } from './ports.js';

export interface Chatter {
  chatId: number;
  language: string;
  /** Sends "/command args" and waits until it is handled. */
  command(command: string, args?: string): Promise<Update>;
  /** Sends a text message and waits until it is handled (answers included). */
  say(text: string): Promise<Update>;
  /** Pushes any update built for this chat and waits until it is handled. */
  push(update: Partial<Update>): Promise<Update>;
  /** Presses the button whose label matches, on the newest bot message that has it (or on `messageId`). */
  press(label: string | RegExp, messageId?: number): Promise<{ notice: string | undefined; update: Update }>;
  /** Pushes a callback with this data on a bot message; returns the answerCallbackQuery text. */
  callback(data: string, messageId: number): Promise<{ notice: string | undefined; update: Update }>;
  /** The newest bot message with an inline keyboard. */
  keyboardMessage(): StoredMessage;
  /** Texts of the bot's messages in this chat, oldest first. */
  texts(): string[];
  lastText(): string;
}

export function buttonsOf(message: StoredMessage): InlineKeyboardButton.CallbackButton[] {
  const markup = (message.message as { reply_markup?: { inline_keyboard?: InlineKeyboardButton[][] } })
    .reply_markup;
  return (markup?.inline_keyboard ?? [])
    .flat()
    .filter((b): b is InlineKeyboardButton.CallbackButton => 'callback_data' in b);
}

/**
 * Resolves once the daemon marked the update done in its inbox. An update the bot has fetched
 * whose row is gone was deleted by /forget while it ran: that counts as handled too. An answered
 * update is done once its answer is delivered: a spoken copy after it may still be on its way.
 */
export async function handled(h: Harness, updateId: number, timeoutMs = 10_000): Promise<void> {
  await waitFor(async () => {
    const [row] = await h.db.raw('select status from update_inbox where update_id = ?', [updateId]);
    const fetched = !h.telegram.pendingUpdates.some((u) => u.update_id === updateId);
    if (row?.status === 'done' || (row === undefined && fetched)) return;
    throw new Error(`update ${updateId} not handled yet (${String(row?.status)})`);
  }, timeoutMs);
}

export function chatter(h: Harness, chatId: number, language = 'en'): Chatter {
  const push = async (input: Partial<Update>) => {
    const update = h.telegram.pushUpdate(input);
    await handled(h, update.update_id);
    return update;
  };
  const keyboardMessage = () => {
    const found = h.telegram
      .messages(chatId)
      .filter((m) => m.fromBot && !m.deleted && buttonsOf(m).length > 0)
      .at(-1);
    if (!found) throw new Error(`chat ${chatId}: no message with an inline keyboard`);
    return found;
  };
  const callback = async (data: string, messageId: number) => {
    const update = await push(
      h.telegram.updates.callback({ chatId, messageId, data, languageCode: language }),
    );
    const id = update.callback_query!.id;
    const answer = await h.telegram.waitForCall(
      'answerCallbackQuery',
      (c) => c.params.callback_query_id === id,
    );
    return { notice: answer.params.text as string | undefined, update };
  };
  const texts = () => h.telegram.sentMessages(chatId);
  return {
    chatId,
    language,
    command: (command, args) =>
      push(h.telegram.updates.command({ chatId, command, args, languageCode: language })),
    say: (text) => push(h.telegram.updates.text({ chatId, text, languageCode: language })),
    push,
    keyboardMessage,
    async press(label, messageId) {
      const matches = (b: InlineKeyboardButton.CallbackButton) =>
        typeof label === 'string' ? b.text === label : label.test(b.text);
      // Answers carry buttons too (speak, suggestions): take the newest message with this button.
      const message = messageId
        ? h.telegram.messages(chatId).find((m) => m.messageId === messageId && m.fromBot)!
        : (h.telegram
            .messages(chatId)
            .filter((m) => m.fromBot && !m.deleted && buttonsOf(m).some(matches))
            .at(-1) ?? keyboardMessage());
      const buttons = buttonsOf(message);
      const button = buttons.find(matches);
      if (!button)
        throw new Error(`no button ${String(label)} in ${JSON.stringify(buttons.map((b) => b.text))}`);
      return callback(button.callback_data, message.messageId);
    },
    callback,
    texts,
    lastText: () => texts().at(-1) ?? '',
  };
}
