/**
 * Pictures out: `/image <prompt>` through the image model, or an edit of a photo the user
 * replied to. Images have their own daily quota (imagesPerDay), reserved before and kept only for a picture
 * actually made. Pictures are not part of the conversation history: they are one-off
 * requests, and their bytes would swamp the context.
 */
import type { Role, User } from '../../domain/entities.js';
import { BotctlError } from '../../domain/errors.js';
import type { ChatPart, FileDownloader, FileUploader, UsageRepository } from '../../domain/ports/index.js';
import { nextResetAt, utcDay, type QuotaLimits } from '../../domain/quota.js';
import { createQuotaHolds, type UsageHold } from '../access/index.js';
import type { MediaCheck, MediaFile } from './types.js';
import { mediaPart } from './parts.js';
import type { ModelCaller } from '../model/index.js';

export interface Picture {
  image: Uint8Array;
  mimeType: string;
  /** Text the model wrote beside the picture (may be empty). */
  caption: string;
}

export interface ImageDeps {
  caller: ModelCaller;
  files: FileDownloader;
  uploader: FileUploader;
  usage: UsageRepository;
  quotas: Readonly<Record<Role, QuotaLimits>>;
  config: { imageModel: string };
  limits: { maxBytes: number };
  now: () => Date;
}

export function createImageService(deps: ImageDeps) {
  const { now } = deps;
  const holds = createQuotaHolds(deps);

  /**
   * For an edit, the source photo's size; then the picture is reserved in today's image quota
   * (one conditional statement: two requests at once cannot both take the last one).
   */
  async function check(user: User, sourceSize?: number): Promise<MediaCheck> {
    if (sourceSize !== undefined && sourceSize > deps.limits.maxBytes) {
      return { ok: false, reason: 'too-large', size: sourceSize, limit: deps.limits.maxBytes };
    }
    const reserved = await holds.reserve(user, { images: 1 });
    return reserved.ok
      ? { ok: true, hold: reserved.hold }
      : { ok: false, reason: 'quota', resetsAt: nextResetAt(now()) };
  }

  /** Draws the picture; the one `check` reserved (`hold`) is released when none comes. */
  async function create(input: {
    user: User;
    prompt: string;
    source?: MediaFile;
    signal?: AbortSignal;
    hold?: UsageHold | undefined;
  }): Promise<Picture> {
    return draw(input).catch(async (error: unknown) => {
      if (input.hold) await holds.release(input.hold);
      throw error;
    });
  }

  async function draw(input: { user: User; prompt: string; source?: MediaFile; signal?: AbortSignal }) {
    const parts: ChatPart[] = [];
    if (input.source) {
      const bytes = await deps.files.download(input.source.fileId, {
        maxBytes: deps.limits.maxBytes,
        ...(input.signal ? { signal: input.signal } : {}),
      });
      parts.push(
        await mediaPart(deps.uploader, bytes, input.source.mimeType ?? 'image/jpeg', {
          signal: input.signal,
        }),
      );
    }
    parts.push({ text: input.prompt });
    const result = await deps.caller.generate({
      model: deps.config.imageModel,
      turns: [{ role: 'user', parts }],
      output: { kind: 'image' },
      ...(input.signal ? { signal: input.signal } : {}),
    });
    const image = result.media?.find((m) => m.mimeType.startsWith('image/'));
    if (!image) {
      // Image models refuse some prompts with text only; that text says why.
      throw new BotctlError('GEMINI_EMPTY', 'The image model answered without a picture', {
        params: { reason: result.finishReason ?? 'NONE', text: result.text.slice(0, 300) },
      });
    }
    await deps.usage.increment(input.user.id, utcDay(now()), {
      tokensIn: result.tokensIn,
      tokensOut: result.tokensOut,
    });
    return {
      image: Buffer.from(image.data, 'base64'),
      mimeType: image.mimeType,
      caption: result.text.trim(),
    };
  }

  /** Whether a photo of this declared size may be downloaded as an edit's source. */
  const fits = (size: number | undefined) => size === undefined || size <= deps.limits.maxBytes;

  return { check, create, fits };
}

export type ImageService = ReturnType<typeof createImageService>;
