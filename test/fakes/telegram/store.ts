// What the fake Telegram remembers: chats, every message in them (incoming and sent), and files.
import type { Chat, Message } from 'grammy/types';
import { badRequest } from './errors.js';

export type ChatId = number | string;

export interface StoredMessage {
  chatId: ChatId;
  messageId: number;
  /** Sent by the bot (through the API) rather than pushed as an incoming update. */
  fromBot: boolean;
  /** The message as it is now (after edits). */
  message: Message;
  /** Texts (or captions) before each edit, oldest first. */
  history: string[];
  deleted: boolean;
  /** Epoch ms when the fake stored it. */
  at: number;
}

export interface FileRecord {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  /** Declared size; may exceed bytes.length so a test can fake a 25 MB file without allocating it. */
  size: number;
  bytes: Buffer;
  contentType?: string;
  filename?: string;
}

export const chatKey = (chatId: ChatId): string => String(chatId);

/** Normalises a chat_id parameter: numeric strings become numbers, '@name' stays a string. */
export function readChatId(value: unknown, what = 'chat_id'): ChatId {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  if (typeof value === 'string' && value.startsWith('@') && value.length > 1) return value;
  throw badRequest(`${what} is empty`);
}

let uniqueCounter = 0;
/** Telegram-looking ids: the prefix tells the file kind (AwAC voice, AgAC photo, BQAC document, CQAC audio). */
export function newFileIds(kind: 'voice' | 'photo' | 'document' | 'audio' | 'file'): {
  fileId: string;
  fileUniqueId: string;
} {
  uniqueCounter++;
  const prefix = {
    voice: 'AwACAgIAAxkBAAI',
    photo: 'AgACAgIAAxkBAAI',
    document: 'BQACAgIAAxkBAAI',
    audio: 'CQACAgIAAxkBAAI',
    file: 'BQACAgIAAxkBAAI',
  }[kind];
  const tail = Buffer.from(`${kind}-${uniqueCounter}-${Date.now()}`).toString('base64url');
  return { fileId: `${prefix}${tail}`, fileUniqueId: `AgAD${uniqueCounter.toString(36).padStart(6, '0')}` };
}

export class Store {
  readonly chats = new Map<string, Chat>();
  private readonly counters = new Map<string, number>();
  private readonly byChat = new Map<string, Map<number, StoredMessage>>();
  readonly ordered: StoredMessage[] = [];
  readonly files = new Map<string, FileRecord>();
  private readonly filesByPath = new Map<string, FileRecord>();
  private fileCounter = 0;

  constructor(private readonly strictChats: () => boolean) {}

  addChat(chat: Chat): void {
    this.chats.set(chatKey(chat.id), chat);
  }

  /** The chat for a chat_id; unknown ids are invented (private if positive, groups if negative) unless strict. */
  chat(chatId: ChatId): Chat {
    const known = this.chats.get(chatKey(chatId));
    if (known !== undefined) return known;
    if (this.strictChats() || typeof chatId === 'string') throw badRequest('chat not found');
    const chat: Chat =
      chatId > 0
        ? { id: chatId, type: 'private', first_name: 'User' }
        : String(chatId).startsWith('-100')
          ? { id: chatId, type: 'supergroup', title: 'Test supergroup' }
          : { id: chatId, type: 'group', title: 'Test group' };
    this.addChat(chat);
    return chat;
  }

  /** Message ids grow per chat and are shared by both directions, as in Telegram. */
  nextMessageId(chatId: ChatId): number {
    const next = (this.counters.get(chatKey(chatId)) ?? 0) + 1;
    this.counters.set(chatKey(chatId), next);
    return next;
  }

  record(message: Message, fromBot: boolean): StoredMessage {
    const key = chatKey(message.chat.id);
    // An incoming message tells the truth about its chat (name, forum flag); a sent one only echoes it.
    if (!fromBot || !this.chats.has(key)) this.addChat(message.chat);
    // A hand-written incoming update may carry any id: later ids must stay above it.
    if ((this.counters.get(key) ?? 0) < message.message_id) this.counters.set(key, message.message_id);
    const stored: StoredMessage = {
      chatId: message.chat.id,
      messageId: message.message_id,
      fromBot,
      message,
      history: [],
      deleted: false,
      at: Date.now(),
    };
    let chatMessages = this.byChat.get(key);
    if (chatMessages === undefined) this.byChat.set(key, (chatMessages = new Map()));
    chatMessages.set(message.message_id, stored);
    this.ordered.push(stored);
    return stored;
  }

  find(chatId: ChatId, messageId: number): StoredMessage | undefined {
    const stored = this.byChat.get(chatKey(chatId))?.get(messageId);
    return stored?.deleted === true ? undefined : stored;
  }

  addFile(input: {
    fileId?: string;
    fileUniqueId?: string;
    bytes?: Buffer | Uint8Array | string;
    filePath?: string;
    size?: number;
    contentType?: string;
    filename?: string;
    kind?: 'voice' | 'photo' | 'document' | 'audio' | 'file';
  }): FileRecord {
    const kind = input.kind ?? 'file';
    const ids = newFileIds(kind);
    const bytes = Buffer.from(input.bytes ?? '');
    this.fileCounter++;
    // Telegram keeps a document's own extension in file_path.
    const own =
      input.filename !== undefined && input.filename.includes('.')
        ? input.filename.split('.').pop()
        : undefined;
    const ext = own ?? { voice: 'oga', photo: 'jpg', audio: 'mp3', document: 'dat', file: 'dat' }[kind];
    const folder = {
      voice: 'voice',
      photo: 'photos',
      audio: 'music',
      document: 'documents',
      file: 'documents',
    }[kind];
    const record: FileRecord = {
      fileId: input.fileId ?? ids.fileId,
      fileUniqueId: input.fileUniqueId ?? ids.fileUniqueId,
      filePath: input.filePath ?? `${folder}/file_${this.fileCounter}.${ext}`,
      size: input.size ?? bytes.length,
      bytes,
    };
    if (input.contentType !== undefined) record.contentType = input.contentType;
    if (input.filename !== undefined) record.filename = input.filename;
    this.files.set(record.fileId, record);
    this.filesByPath.set(record.filePath, record);
    return record;
  }

  fileByPath(path: string): FileRecord | undefined {
    return this.filesByPath.get(path);
  }

  clear(): void {
    this.chats.clear();
    this.counters.clear();
    this.byChat.clear();
    this.ordered.length = 0;
    this.files.clear();
    this.filesByPath.clear();
  }
}
