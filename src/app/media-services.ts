/**
 * The media half of the daemon's services: Telegram file downloads, the Gemini Files API,
 * ffmpeg, and the media, speech, image, inline and suggestion services over them. Part of
 * the composition root (it imports adapters); split from services.ts to keep both short.
 */
import path from 'node:path';
import { createFfmpegEncoder } from '../adapters/system/ffmpeg.js';
import { createMediaArchive } from '../adapters/system/media-archive.js';
import { createTelegramFiles } from '../adapters/telegram/files.js';
import { downloadLimit } from '../domain/media.js';
import type { Cache, ChatModel, FileUploader, Repositories } from '../domain/ports/index.js';
import type { Config } from '../config/config.js';
import type { AccessService } from '../services/access/index.js';
import { type ChatService, createInlineService, createSuggestionService } from '../services/chat/index.js';
import { createImageService, createMediaService, createSpeechService } from '../services/media/index.js';
import type { ModelCaller } from '../services/model/index.js';
import type { Logger } from './logger.js';

export function createMediaServices(deps: {
  config: Readonly<Config>;
  repos: Repositories;
  logger: Logger;
  model: ChatModel & FileUploader;
  caller: ModelCaller;
  cache: Cache;
  chat: ChatService;
  access: AccessService;
  now: () => Date;
}) {
  const { config, repos, logger, caller, cache, now } = deps;
  const files = createTelegramFiles({ token: config.telegramToken!, apiRoot: config.telegramApiRoot });
  const maxBytes = downloadLimit(config.telegramApiRoot, config.maxFileBytes);
  const quotas = config.quotas;
  const media = createMediaService({
    chat: deps.chat,
    files,
    uploader: deps.model,
    audioFiles: repos.audioFiles,
    usage: repos.usage,
    archive: config.keepAudio ? createMediaArchive(path.join(config.dataDir, 'audio')) : null,
    quotas,
    limits: { maxBytes, maxVoiceSeconds: config.maxVoiceSeconds },
    now,
  });
  const speech = createSpeechService({
    caller,
    encoder: createFfmpegEncoder({ binary: config.ffmpegPath }),
    conversations: repos.conversations,
    usage: repos.usage,
    quotas,
    config,
    log: logger,
    now,
  });
  const images = createImageService({
    caller,
    files,
    uploader: deps.model,
    usage: repos.usage,
    quotas,
    config,
    limits: { maxBytes },
    now,
  });
  const inline = createInlineService({
    caller,
    cache,
    usage: repos.usage,
    admit: deps.access.admit,
    release: deps.access.release,
    config,
    now,
  });
  const suggestions = createSuggestionService({ cache });
  return { media, speech, images, inline, suggestions };
}
