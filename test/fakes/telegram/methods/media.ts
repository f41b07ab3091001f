// Media sends and getFile. Uploaded bytes are kept (tests inspect e.g. the OGG of a voice reply) and
// registered as files, so the returned file_id works with getFile and the download URL like on Telegram.
import type { Message } from 'grammy/types';
import { isUploadedFile, type Params } from '../body.js';
import { badRequest } from '../errors.js';
import { formatCaption } from '../format/index.js';
import type { MethodHandler, TelegramState } from '../state.js';
import { readChatId, type FileRecord } from '../store.js';
import { newBotMessage } from './messages.js';

type Kind = 'voice' | 'audio' | 'photo' | 'document';

// Telegram derives mime types from the file name: grammY labels every part application/octet-stream.
const MIME: Record<string, string> = {
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/x-wav',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  zip: 'application/zip',
};

function mimeOf(filename: string | undefined, declared: string | undefined): string {
  const ext = filename?.includes('.') === true ? filename.split('.').pop()?.toLowerCase() : undefined;
  const byName = ext !== undefined ? MIME[ext] : undefined;
  if (byName !== undefined) return byName;
  return declared !== undefined && declared !== 'application/octet-stream'
    ? declared
    : 'application/octet-stream';
}

/** Resolves the file parameter: an upload, a known file_id, or an HTTP URL (Telegram would fetch it). */
function inputFile(state: TelegramState, value: unknown, kind: Kind): FileRecord {
  if (isUploadedFile(value)) {
    return state.store.addFile({
      bytes: value.bytes,
      kind,
      contentType: mimeOf(value.filename, value.contentType),
      filename: value.filename,
    });
  }
  if (typeof value === 'string' && value !== '') {
    const known = state.store.files.get(value);
    if (known !== undefined) return known;
    if (/^https?:\/\//.test(value)) {
      const filename = new URL(value).pathname.split('/').pop() ?? kind;
      return state.store.addFile({ kind, contentType: mimeOf(filename, undefined), filename });
    }
    throw badRequest('wrong file identifier/HTTP URL specified');
  }
  throw badRequest(`there is no ${kind} in the request`);
}

type Attach = (message: Message, file: FileRecord, params: Params, state: TelegramState) => void;

function sendMedia(kind: Kind, attach: Attach): MethodHandler {
  return (params, state) => {
    const chatId = readChatId(params.chat_id);
    const caption = formatCaption(params.caption, params.parse_mode, params.caption_entities);
    const file = inputFile(state, params[kind], kind);
    const message = newBotMessage(state, chatId, params);
    attach(message, file, params, state);
    if (caption !== undefined) {
      const m = message as Message.CaptionableMessage;
      m.caption = caption.text;
      if (caption.entities.length > 0) m.caption_entities = caption.entities;
    }
    state.store.record(message, true);
    return message;
  };
}

const num = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);

export const mediaMethods: Record<string, MethodHandler> = {
  sendVoice: sendMedia('voice', (message, file, params) => {
    (message as Message.VoiceMessage).voice = {
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      duration: num(params.duration, 1),
      mime_type: 'audio/ogg',
      file_size: file.size,
    };
  }),

  sendAudio: sendMedia('audio', (message, file, params) => {
    const audio: Message.AudioMessage['audio'] = {
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      duration: num(params.duration, 1),
      mime_type: file.contentType ?? 'audio/mpeg',
      file_size: file.size,
    };
    if (file.filename !== undefined) audio.file_name = file.filename;
    if (typeof params.title === 'string') audio.title = params.title;
    if (typeof params.performer === 'string') audio.performer = params.performer;
    (message as Message.AudioMessage).audio = audio;
  }),

  sendPhoto: sendMedia('photo', (message, file, _params, state) => {
    // Telegram answers with several sizes; each is a real file (here: the same bytes).
    const thumb = state.store.addFile({ bytes: file.bytes, kind: 'photo', contentType: 'image/jpeg' });
    (message as Message.PhotoMessage).photo = [
      {
        file_id: thumb.fileId,
        file_unique_id: thumb.fileUniqueId,
        width: 90,
        height: 90,
        file_size: thumb.size,
      },
      {
        file_id: file.fileId,
        file_unique_id: file.fileUniqueId,
        width: 800,
        height: 800,
        file_size: file.size,
      },
    ];
  }),

  sendDocument: sendMedia('document', (message, file) => {
    const document: Message.DocumentMessage['document'] = {
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      mime_type: file.contentType ?? 'application/octet-stream',
      file_size: file.size,
    };
    if (file.filename !== undefined) document.file_name = file.filename;
    (message as Message.DocumentMessage).document = document;
  }),

  getFile(params, state) {
    const record = typeof params.file_id === 'string' ? state.store.files.get(params.file_id) : undefined;
    if (record === undefined) throw badRequest('invalid file_id');
    if (record.size > state.maxDownloadBytes) throw badRequest('file is too big');
    return {
      file_id: record.fileId,
      file_unique_id: record.fileUniqueId,
      file_size: record.size,
      file_path: record.filePath,
    };
  },
};
