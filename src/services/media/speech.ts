/**
 * Spoken answers: Gemini TTS (24 kHz 16-bit mono PCM) -> OGG/Opus through the AudioEncoder
 * (ffmpeg) -> a Telegram voice note. Without ffmpeg the bot stays text-only and says so once
 * in the log. Answers longer than SPOKEN_LIMIT are not read out whole, nor split into a string
 * of notes: a short spoken summary is made first (one cheap text call), since the full text is
 * right above it and a minutes-long chain of notes is tedious to listen to. Spoken seconds
 * count toward the user's audio quota.
 */
import type { Role, User } from '../../domain/entities.js';
import { BotctlError } from '../../domain/errors.js';
import { languageName } from '../../domain/prompt.js';
import type { QuotaLimits } from '../../domain/quota.js';
import { createQuotaHolds, type UsageHold } from '../access/index.js';
import { stripToPlainText } from '../../domain/telegram-html.js';
import type { AudioEncoder, ConversationRepository, UsageRepository } from '../../domain/ports/index.js';
import type { Log } from '../../domain/telemetry.js';
import type { ModelCaller } from '../model/index.js';

/** About 80 seconds of speech; longer answers are summarised for listening. */
const SPOKEN_LIMIT = 1200;
/** For the quota pre-check: speech runs at roughly 15 characters a second. */
const CHARS_PER_SECOND = 15;

export type SpeechOutcome =
  | { kind: 'spoken'; ogg: Uint8Array; seconds: number; summarised: boolean }
  | { kind: 'unavailable' }
  | { kind: 'quota' };

export interface SpeechDeps {
  caller: ModelCaller;
  encoder: AudioEncoder;
  conversations: Pick<ConversationRepository, 'getMessage' | 'getById'>;
  usage: UsageRepository;
  quotas: Readonly<Record<Role, QuotaLimits>>;
  config: { model: string; ttsModel: string; ttsVoice: string };
  log: Log;
  now: () => Date;
}

export function createSpeechService(deps: SpeechDeps) {
  const { caller, config, log } = deps;
  const holds = createQuotaHolds(deps);
  let warned = false;

  async function available(): Promise<boolean> {
    const ok = await deps.encoder.available().catch(() => false);
    if (!ok && !warned) {
      warned = true;
      log.warn(
        {},
        'ffmpeg not found: spoken answers are off and answers stay text (install ffmpeg; see botctl doctor)',
      );
    }
    return ok;
  }

  async function forListening(user: User, plain: string): Promise<string> {
    const result = await caller.generate({
      model: user.settings.model ?? config.model,
      systemInstruction:
        `Rewrite the text for listening: a spoken summary of at most 120 words in ${languageName(user.language)} ` +
        '(or the language of the text), plain sentences, no lists, no Markdown, no code.',
      turns: [{ role: 'user', parts: [{ text: plain }] }],
      maxOutputTokens: 2048,
    });
    return result.text.trim() || plain.slice(0, SPOKEN_LIMIT);
  }

  /** Speaks an answer (Markdown) for this user. */
  async function speak(user: User, markdown: string, signal?: AbortSignal): Promise<SpeechOutcome> {
    if (!(await available())) return { kind: 'unavailable' };
    const plain = stripToPlainText(markdown).trim();
    const summarised = plain.length > SPOKEN_LIMIT;
    const estimate = Math.ceil(Math.min(plain.length, SPOKEN_LIMIT) / CHARS_PER_SECOND);
    // The estimate is reserved (one conditional statement, shared by instances), then corrected
    // to the seconds spoken; released when no audio comes.
    const reserved = await holds.reserve(user, { audioSeconds: estimate });
    if (!reserved.ok) return { kind: 'quota' };
    const { hold } = reserved;
    try {
      return await spoken(user, plain, summarised, hold, signal);
    } catch (error) {
      await holds.release(hold);
      throw error;
    }
  }

  async function spoken(
    user: User,
    plain: string,
    summarised: boolean,
    hold: UsageHold,
    signal: AbortSignal | undefined,
  ): Promise<SpeechOutcome> {
    const text = summarised ? await forListening(user, plain) : plain;
    const result = await caller.generate({
      model: config.ttsModel,
      turns: [{ role: 'user', parts: [{ text }] }],
      output: { kind: 'speech', voice: config.ttsVoice },
      ...(signal ? { signal } : {}),
    });
    const audio = result.media?.find((m) => m.mimeType.startsWith('audio/'));
    if (!audio) {
      throw new BotctlError('GEMINI_EMPTY', 'The TTS model answered without audio', {
        params: { reason: result.finishReason ?? 'NONE' },
      });
    }
    const rate = Number(/rate=(\d+)/.exec(audio.mimeType)?.[1] ?? 24_000);
    const pcm = Buffer.from(audio.data, 'base64');
    const ogg = await deps.encoder.pcmToOggOpus(pcm, rate);
    const seconds = Math.max(1, Math.round(pcm.byteLength / 2 / rate));
    await deps.usage.increment(user.id, hold.day, {
      audioSeconds: seconds - (hold.delta.audioSeconds ?? 0),
      tokensIn: result.tokensIn,
      tokensOut: result.tokensOut,
    });
    return { kind: 'spoken', ogg, seconds, summarised };
  }

  /**
   * The stored answer a speak button points at, but only in the chat it was given in: a button
   * copied or forged with another chat's message id finds nothing. Anyone who can see the
   * answer may listen to it; the seconds count against whoever pressed.
   */
  async function findAnswer(messageId: number, chatId: number): Promise<string | null> {
    const message = await deps.conversations.getMessage(messageId);
    const conversation = message ? await deps.conversations.getById(message.conversationId) : null;
    return message?.role === 'model' && conversation?.chatId === chatId ? message.content : null;
  }

  return { available, speak, findAnswer };
}

export type SpeechService = ReturnType<typeof createSpeechService>;
