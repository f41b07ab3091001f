/**
 * ChatRequest -> SDK parameters, and SDK responses (one, or a stream of chunks) -> ChatResult.
 * Only types come from the SDK here, so this module costs nothing at startup.
 */
import type { Content, GenerateContentParameters, GenerateContentResponse, Part } from '@google/genai/web';
import { BotctlError } from '../../domain/errors.js';
import type { ChatPart, ChatRequest, ChatResult } from '../../domain/ports/index.js';
import { groundingOf, toolsOf, unreadUrlsOf } from './grounding.js';

/** Finish reasons that mean "stopped by a safety filter" (not "had nothing to say"). */
const SAFETY_FINISH = new Set([
  'SAFETY',
  'PROHIBITED_CONTENT',
  'BLOCKLIST',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
]);

export function toSdkParams(request: ChatRequest, abortSignal: AbortSignal): GenerateContentParameters {
  const contents: Content[] = request.turns.map((turn) => ({
    role: turn.role,
    parts: turn.parts.map(toPart),
  }));
  const tools = toolsOf(request);
  return {
    model: request.model,
    contents,
    config: {
      ...(tools ? { tools } : {}),
      ...(request.systemInstruction ? { systemInstruction: request.systemInstruction } : {}),
      ...(request.maxOutputTokens === undefined ? {} : { maxOutputTokens: request.maxOutputTokens }),
      ...outputConfig(request.output),
      abortSignal,
    },
  };
}

/** Speech: audio only, in a prebuilt voice. Images: the image models answer with text and image parts. */
function outputConfig(output: ChatRequest['output']) {
  if (output?.kind === 'speech') {
    return {
      responseModalities: ['AUDIO'],
      speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: output.voice } } },
    };
  }
  if (output?.kind === 'image') return { responseModalities: ['TEXT', 'IMAGE'] };
  return {};
}

// Copies only the fields the API knows: a ChatPart built from a wider object must not leak extras.
function toPart(part: ChatPart): Part {
  if ('text' in part) return { text: part.text };
  if ('inlineData' in part)
    return { inlineData: { mimeType: part.inlineData.mimeType, data: part.inlineData.data } };
  return { fileData: { mimeType: part.fileData.mimeType, fileUri: part.fileData.fileUri } };
}

/**
 * Folds responses into one answer. A stream sends text deltas, a running usage total and the
 * finish reason on the last chunk; a unary call is a stream of one.
 */
export class AnswerAccumulator {
  text = '';
  finishReason: string | null = null;
  tokensIn = 0;
  tokensOut = 0;
  blockReason: string | null = null;
  modelVersion: string | null = null;
  media: { mimeType: string; data: string }[] = [];
  grounding: ChatResult['grounding'];
  unreadUrls: string[] = [];

  /** Adds one response; returns the new visible text (thought parts are skipped). */
  add(response: GenerateContentResponse): string {
    const block = response.promptFeedback?.blockReason;
    if (block) this.blockReason = block;
    if (response.modelVersion) this.modelVersion = response.modelVersion;
    const usage = response.usageMetadata;
    if (usage) {
      // Running totals, not increments: the latest chunk wins.
      this.tokensIn = usage.promptTokenCount ?? this.tokensIn;
      this.tokensOut = usage.candidatesTokenCount ?? this.tokensOut;
    }
    const candidate = response.candidates?.[0];
    if (candidate?.finishReason) this.finishReason = candidate.finishReason;
    this.grounding = groundingOf(candidate) ?? this.grounding;
    const unread = unreadUrlsOf(candidate);
    if (unread.length > 0) this.unreadUrls = unread;
    let delta = '';
    for (const part of candidate?.content?.parts ?? []) {
      if (typeof part.text === 'string' && part.thought !== true) delta += part.text;
      else if (part.inlineData?.data && part.thought !== true) {
        this.media.push({
          mimeType: part.inlineData.mimeType ?? 'application/octet-stream',
          data: part.inlineData.data,
        });
      }
    }
    this.text += delta;
    return delta;
  }

  /**
   * The answer, or the reason there is none. Text wins over a late block: a stream that already
   * showed text and then stopped for SAFETY returns what it had, marked finishReason SAFETY.
   */
  result(requestedModel: string): ChatResult {
    if (this.text === '' && this.media.length === 0) {
      const reason =
        this.blockReason ?? (SAFETY_FINISH.has(this.finishReason ?? '') ? this.finishReason : null);
      if (reason !== null) {
        throw new BotctlError(
          'GEMINI_BLOCKED',
          `Gemini blocked the ${this.blockReason ? 'prompt' : 'answer'} (${reason})`,
          {
            params: { reason },
          },
        );
      }
      const why = this.finishReason ?? 'NONE';
      throw new BotctlError('GEMINI_EMPTY', `Gemini returned no text (finish reason ${why})`, {
        params: { reason: why },
        ...(why === 'MAX_TOKENS'
          ? { hint: 'The output token limit was used up before any text (e.g. by thinking).' }
          : {}),
      });
    }
    return {
      text: this.text,
      tokensIn: this.tokensIn,
      tokensOut: this.tokensOut,
      finishReason: this.finishReason,
      model: this.modelVersion ?? requestedModel,
      ...(this.media.length > 0 ? { media: this.media } : {}),
      ...(this.grounding ? { grounding: this.grounding } : {}),
      ...(this.unreadUrls.length > 0 ? { unreadUrls: this.unreadUrls } : {}),
    };
  }
}
