/**
 * The frame around every Gemini call: deadline and abort wiring, error translation, and one
 * onCall report per call whatever its outcome.
 */
import type { GoogleGenAI } from '@google/genai/web';
import { BotctlError } from '../../domain/errors.js';
import { abortReason, startCall, type CallControl } from './call.js';
import { timeoutError, translateOtherError } from './errors.js';

export interface GeminiCallInfo {
  /** The model asked for (config / user setting), not the version that answered; '' for listModels. */
  model: string;
  /** REST method: generateContent, streamGenerateContent or listModels. */
  method: string;
  latencyMs: number;
  tokensIn: number;
  tokensOut: number;
  /** ok | aborted | timeout | rate_limited | gemini_unavailable | gemini_unauthorized | gemini_blocked | gemini_empty | error */
  outcome: string;
}

export interface Usage {
  tokensIn: number;
  tokensOut: number;
}

export interface RunnerDeps {
  apiKey: string;
  timeoutMs: number;
  sdk: () => Promise<GoogleGenAI>;
  onCall?: (info: GeminiCallInfo) => void;
}

/** Wraps an error thrown by the caller's onText: it is rethrown as it was, never translated. */
export class CallbackError extends Error {
  constructor(readonly original: unknown) {
    super('onText threw', { cause: original });
  }
}

export function createRunner({ apiKey, timeoutMs, sdk, onCall }: RunnerDeps) {
  return async function run<T>(
    method: string,
    model: string,
    signal: AbortSignal | undefined,
    work: (ai: GoogleGenAI, call: CallControl) => Promise<T>,
    usage: (value: T | undefined) => Usage,
  ): Promise<T> {
    const started = performance.now();
    const call = startCall(signal, timeoutMs);
    let value: T | undefined;
    let outcome = 'ok';
    let completed = false;
    try {
      if (signal?.aborted) throw abortReason(signal);
      value = await work(await sdk(), call);
      completed = true;
      return value;
    } catch (error) {
      const translated = classify(error);
      outcome = outcomeOf(translated, call);
      throw translated;
    } finally {
      call.finish({ completed });
      report({ model, method, latencyMs: Math.round(performance.now() - started), ...usage(value), outcome });
    }

    function classify(error: unknown): unknown {
      if (error instanceof CallbackError) return error.original;
      // Cancellation is not a failure: reject with the caller's own reason, untranslated.
      if (signal?.aborted) return abortReason(signal);
      if (call.timedOut) return timeoutError(timeoutMs, method);
      return translateOtherError(error, { apiKey, model });
    }
  };

  function report(info: GeminiCallInfo): void {
    try {
      onCall?.(info);
    } catch {
      // Metrics must never turn an answer into a failure.
    }
  }
}

function outcomeOf(error: unknown, call: CallControl): string {
  if (call.callerAborted) return 'aborted';
  if (call.timedOut) return 'timeout';
  if (!(error instanceof BotctlError)) return 'error';
  return error.params.status === 429 ? 'rate_limited' : error.code.toLowerCase();
}
