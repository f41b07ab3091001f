/**
 * ChatModel over @google/genai. The SDK is imported on the first call (it costs ~70 ms, and most
 * CLI commands never talk to Gemini), from its web entry: the same client over fetch, without the
 * Node entry's google-auth-library, gaxios and ws (Vertex credentials, file paths and the Live API,
 * none of which an API key and in-memory uploads use): 2 MB less heap for the daemon's life.
 * Every failure leaves as a BotctlError (see errors.ts), except a caller's abort, which rejects
 * with the signal's reason (an AbortError) so callers can tell cancellation from failure.
 *
 * Deadline: `timeoutMs` bounds the wait for an answer; for a stream it is re-armed by each chunk,
 * so a long answer that keeps arriving is never cut, while a stalled one fails after timeoutMs.
 * We keep this deadline ourselves instead of `httpOptions.timeout`, which would bound a whole
 * stream and abort it with the same error as a caller's cancel.
 */
import type { GoogleGenAI } from '@google/genai/web';
import { BotctlError } from '../../domain/errors.js';
import type { ChatModel, ChatResult, FileUploader, ModelInfo } from '../../domain/ports/index.js';
import { createUploader } from './files.js';
import { AnswerAccumulator, toSdkParams } from './request.js';
import { CallbackError, createRunner, type GeminiCallInfo } from './runner.js';

export interface GeminiChatModelOptions {
  apiKey: string;
  /** A proxy or gateway; default: Google's endpoint (or GOOGLE_GEMINI_BASE_URL, which the SDK reads). */
  baseUrl?: string;
  /** How long to wait for an answer, or for the next chunk of a stream (ms). */
  timeoutMs: number;
  /** Called once per call, success or not, e.g. for metrics. Its own errors are ignored. */
  onCall?: (info: GeminiCallInfo) => void;
}

export function createGeminiChatModel(options: GeminiChatModelOptions): ChatModel & FileUploader {
  const { apiKey, baseUrl, timeoutMs, onCall } = options;
  let client: Promise<GoogleGenAI> | undefined;
  const sdk = (): Promise<GoogleGenAI> => {
    if (apiKey.trim() === '') {
      throw new BotctlError('CONFIG_MISSING', 'No Gemini API key is configured', {
        hint: 'Set BOTCTL_GEMINI_API_KEY (create a key at https://aistudio.google.com/apikey).',
      });
    }
    // vertexai: false pins the Gemini API even if GOOGLE_GENAI_USE_VERTEXAI is set in the environment.
    client ??= import('@google/genai/web').then(
      ({ GoogleGenAI }) =>
        new GoogleGenAI({ apiKey, vertexai: false, httpOptions: baseUrl ? { baseUrl } : {} }),
    );
    return client;
  };
  const run = createRunner({ apiKey, timeoutMs, sdk, onCall });
  const usage = (r: ChatResult | undefined) => ({ tokensIn: r?.tokensIn ?? 0, tokensOut: r?.tokensOut ?? 0 });

  return {
    uploadFile: createUploader(run),

    stream(request, onText) {
      return run(
        'streamGenerateContent',
        request.model,
        request.signal,
        async (ai, call) => {
          const answer = new AnswerAccumulator();
          const chunks = await ai.models.generateContentStream(toSdkParams(request, call.signal));
          for await (const chunk of chunks) {
            call.touch();
            const delta = answer.add(chunk);
            if (delta === '') continue;
            try {
              onText(delta, answer.text, answer.finishReason !== null);
            } catch (error) {
              throw new CallbackError(error);
            }
          }
          return answer.result(request.model);
        },
        usage,
      );
    },

    generate(request) {
      return run(
        'generateContent',
        request.model,
        request.signal,
        async (ai, call) => {
          const answer = new AnswerAccumulator();
          answer.add(await ai.models.generateContent(toSdkParams(request, call.signal)));
          return answer.result(request.model);
        },
        usage,
      );
    },

    listModels() {
      const none = () => ({ tokensIn: 0, tokensOut: 0 });
      return run(
        'listModels',
        '',
        undefined,
        async (ai, call) => {
          const models: ModelInfo[] = [];
          // The pager requests the next page (pageToken) when iteration reaches the end of one.
          for await (const model of await ai.models.list({ config: { abortSignal: call.signal } })) {
            call.touch();
            if (!model.name) continue;
            models.push({
              id: model.name.replace(/^models\//, ''),
              displayName: model.displayName ?? null,
              methods: model.supportedActions ?? [],
            });
          }
          return models;
        },
        none,
      );
    },
  };
}
