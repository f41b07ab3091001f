/**
 * The shapes every media answer shares: the file as Telegram declared it, the result of the
 * checks before a download, and what each answer needs besides the file. Their own module so
 * the media service and its photo/document half (visual.ts) both read them without importing
 * each other.
 */
import type { User } from '../../domain/entities.js';
import type { ConversationKey, OnText } from '../../domain/ports/index.js';
import type { UsageHold } from '../access/index.js';

export interface MediaFile {
  fileId: string;
  fileUniqueId: string;
  /** As Telegram declared it; absent when Telegram did not say. */
  size?: number | undefined;
  mimeType?: string | undefined;
  fileName?: string | undefined;
}

export type MediaCheck =
  /** hold: what the check reserved in today's usage (audio seconds, a picture), kept once used. */
  | { ok: true; hold?: UsageHold }
  | { ok: false; reason: 'too-large'; size: number; limit: number }
  | { ok: false; reason: 'too-long'; seconds: number; limit: number }
  | { ok: false; reason: 'quota'; resetsAt: Date };

/** What every media answer needs besides the file. */
export interface MediaAsk {
  user: User;
  key: ConversationKey;
  telegramMessageId: number | null;
  /** Left pending by a crashed run (see AnswerInput.replayed). */
  replayed: boolean;
  caption?: string | undefined;
  signal?: AbortSignal;
  onText?: OnText;
}
