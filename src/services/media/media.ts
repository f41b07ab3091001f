/**
 * Media in: voice notes, audio files, video notes, photos and documents answered in the
 * conversation. Limits are checked on what Telegram declares before anything is downloaded
 * (size, duration, today's audio quota); the download enforces the size again as the bytes
 * arrive. The bytes go to the model with this one turn and are not kept (unless keepAudio),
 * the conversation remembers a text marker, and only an answered audio turn gets its
 * audio_files row and keeps its seconds (reserved by the check, released when no answer comes).
 */
import type { Role, User } from '../../domain/entities.js';
import { audioMarker, classifyDocument, type AudioKind, type DocumentKind } from '../../domain/media.js';
import type {
  AudioFileRepository,
  FileDownloader,
  FileUploader,
  MediaArchive,
  UsageRepository,
} from '../../domain/ports/index.js';
import { nextResetAt, type QuotaLimits } from '../../domain/quota.js';
import { createQuotaHolds, type UsageHold } from '../access/index.js';
import type { AnswerOutcome, ChatService, MediaTurn } from '../chat/index.js';
import { audioInstruction, audioMime, mediaPart } from './parts.js';
import type { MediaAsk, MediaCheck, MediaFile } from './types.js';
import { createVisualAnswers } from './visual.js';

export type { MediaAsk, MediaCheck, MediaFile } from './types.js';

export interface MediaDeps {
  chat: Pick<ChatService, 'answer'>;
  files: FileDownloader;
  uploader: FileUploader;
  audioFiles: AudioFileRepository;
  usage: UsageRepository;
  /** Set when keepAudio is on. */
  archive: MediaArchive | null;
  quotas: Readonly<Record<Role, QuotaLimits>>;
  /** maxBytes: the effective download limit (see domain/media.ts downloadLimit). */
  limits: { maxBytes: number; maxVoiceSeconds: number };
  now: () => Date;
}

export function createMediaService(deps: MediaDeps) {
  const { limits, now } = deps;
  const holds = createQuotaHolds(deps);

  function checkSize(size: number | undefined): MediaCheck {
    return size !== undefined && size > limits.maxBytes
      ? { ok: false, reason: 'too-large', size, limit: limits.maxBytes }
      : { ok: true };
  }

  /**
   * Size, duration, and today's audio quota: the seconds are reserved here (the question was when
   * admitted), so two notes at once cannot both take the last of it. A replay reserved them before.
   */
  async function checkAudio(
    user: User,
    seconds: number,
    size: number | undefined,
    replayed = false,
  ): Promise<MediaCheck> {
    const bySize = checkSize(size);
    if (!bySize.ok) return bySize;
    if (seconds > limits.maxVoiceSeconds) {
      return { ok: false, reason: 'too-long', seconds, limit: limits.maxVoiceSeconds };
    }
    if (replayed) return { ok: true };
    const reserved = await holds.reserve(user, { audioSeconds: seconds });
    return reserved.ok
      ? { ok: true, hold: reserved.hold }
      : { ok: false, reason: 'quota', resetsAt: nextResetAt(now()) };
  }

  const download = (file: MediaFile, signal?: AbortSignal) =>
    deps.files.download(file.fileId, { maxBytes: limits.maxBytes, ...(signal ? { signal } : {}) });

  const ask = (input: MediaAsk, media: MediaTurn): Promise<AnswerOutcome> =>
    deps.chat.answer({
      user: input.user,
      key: input.key,
      text: input.caption ?? '',
      telegramMessageId: input.telegramMessageId,
      replayed: input.replayed,
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.onText ? { onText: input.onText } : {}),
      media,
    });

  /** Answers an audio turn; its reserved seconds (`hold`, from checkAudio) are released unless it is answered. */
  async function answerAudio(
    input: MediaAsk & { kind: AudioKind; file: MediaFile; seconds: number; hold?: UsageHold | undefined },
  ): Promise<AnswerOutcome> {
    const release = () => (input.hold ? holds.release(input.hold) : Promise.resolve());
    const outcome = await heard(input).catch(async (error: unknown) => {
      await release();
      throw error;
    });
    if (outcome.kind !== 'answered' || outcome.userMessageId === null) await release();
    return outcome;
  }

  async function heard(input: MediaAsk & { kind: AudioKind; file: MediaFile; seconds: number }) {
    const { kind, file, seconds, caption } = input;
    const bytes = await download(file, input.signal);
    const mime = audioMime(kind, file.mimeType);
    const part = await mediaPart(deps.uploader, bytes, mime, {
      displayName: `${kind}-${file.fileUniqueId}`,
      signal: input.signal,
    });
    const outcome = await ask(input, {
      parts: [part, { text: audioInstruction(kind, caption) }],
      transcribe: true,
      describe: (transcript) => audioMarker(kind, seconds, transcript, caption),
    });
    if (outcome.kind !== 'answered' || outcome.userMessageId === null) return outcome;
    const extension = mime.includes('mp4') ? 'mp4' : mime.includes('mpeg') ? 'mp3' : 'ogg';
    // A full disk must not cost the user the answer: the row then records no copy.
    const storedPath = deps.archive
      ? await deps.archive.save(`${file.fileUniqueId}.${extension}`, bytes).catch(() => null)
      : null;
    await deps.audioFiles.add({
      messageId: outcome.userMessageId,
      fileId: file.fileId,
      fileUniqueId: file.fileUniqueId,
      durationSec: seconds,
      mime,
      size: bytes.byteLength,
      storedPath,
    });
    return outcome;
  }

  return {
    checkSize,
    checkAudio,
    documentKind: (file: MediaFile): DocumentKind | null => classifyDocument(file.fileName, file.mimeType),
    answerAudio,
    ...createVisualAnswers(deps.uploader, download, ask),
  };
}

export type MediaService = ReturnType<typeof createMediaService>;
