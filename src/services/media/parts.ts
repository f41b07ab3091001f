/**
 * Files -> model parts. Small media go inline (base64 in the request); anything whose encoding
 * would pass ~15 MB goes through the provider's file store and is referenced by uri, so a
 * request stays under Gemini's ~20 MB inline limit with room for the conversation.
 * The instructions here are for the model, not for users, so they stay in English.
 */
import type { AudioKind } from '../../domain/media.js';
import { base64Size, INLINE_REQUEST_LIMIT } from '../../domain/media.js';
import type { ChatPart, FileUploader } from '../../domain/ports/index.js';

export async function mediaPart(
  uploader: FileUploader,
  bytes: Uint8Array,
  mimeType: string,
  options: { displayName?: string; signal?: AbortSignal | undefined; inlineLimit?: number } = {},
): Promise<ChatPart> {
  if (base64Size(bytes.byteLength) <= (options.inlineLimit ?? INLINE_REQUEST_LIMIT)) {
    return { inlineData: { mimeType, data: Buffer.from(bytes).toString('base64') } };
  }
  const uploaded = await uploader.uploadFile({
    bytes,
    mimeType,
    ...(options.displayName ? { displayName: options.displayName } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { fileData: { mimeType: uploaded.mimeType, fileUri: uploaded.uri } };
}

const AUDIO_NAMES: Record<AudioKind, string> = {
  voice: 'a voice message',
  audio: 'an audio file',
  video_note: 'a video message',
};

export function audioInstruction(kind: AudioKind, caption: string | undefined): string {
  const what = AUDIO_NAMES[kind];
  return caption?.trim()
    ? `The user sent ${what} with this caption: """${caption.trim()}""". Listen to it and answer.`
    : `The user sent ${what}. Listen to it and answer it as if they had typed it.`;
}

export function photoInstruction(caption: string | undefined): string {
  return caption?.trim()
    ? caption.trim()
    : 'The user sent this picture without a caption. Say briefly what it shows and anything notable about it.';
}

export function documentInstruction(name: string, caption: string | undefined): string {
  const ask = caption?.trim()
    ? `Their message: """${caption.trim()}"""`
    : 'Summarise it briefly and offer to answer questions about it.';
  return `The user sent the document "${name}". ${ask}`;
}

export function textDocumentPart(name: string, text: string, truncated: boolean): ChatPart {
  const note = truncated ? '\n[The document was cut here: it is longer than the bot reads.]' : '';
  return { text: `Contents of "${name}":\n"""\n${text}\n"""${note}` };
}

/** Telegram's mime type for audio is sometimes missing or generic; Gemini needs a real one. */
export function audioMime(kind: AudioKind, declared: string | undefined): string {
  if (declared && declared !== 'application/octet-stream')
    return declared === 'audio/opus' ? 'audio/ogg' : declared;
  return kind === 'video_note' ? 'video/mp4' : kind === 'voice' ? 'audio/ogg' : 'audio/mpeg';
}
