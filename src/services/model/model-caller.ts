/**
 * Calls the model the way production needs it: through a circuit breaker (fail fast while
 * Gemini is down), with retries by the named retry policy (honouring the server's retry
 * delay), and with every call's latency and tokens reported to metrics.
 */
import type { CircuitBreaker } from '../../domain/circuit-breaker.js';
import { isBotctlError } from '../../domain/errors.js';
import type { ChatModel, ChatRequest, ChatResult, OnText } from '../../domain/ports/index.js';
import { retry, type RetryPolicy } from '../../domain/retry-policy.js';
import type { Log, Metrics } from '../../domain/telemetry.js';

export interface ModelCaller {
  stream(request: ChatRequest, onText: OnText): Promise<ChatResult>;
  generate(request: ChatRequest): Promise<ChatResult>;
  breakerState(): string;
}

export function createModelCaller(deps: {
  model: ChatModel;
  breaker: CircuitBreaker;
  policy: RetryPolicy;
  metrics: Metrics;
  log: Log;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}): ModelCaller {
  const { model, breaker, policy, metrics, log, sleep } = deps;

  async function call(request: ChatRequest, run: () => Promise<ChatResult>): Promise<ChatResult> {
    return retry(
      async () => {
        const started = performance.now();
        try {
          const result = await breaker.run(run);
          metrics.geminiCall({
            model: request.model,
            outcome: 'ok',
            seconds: (performance.now() - started) / 1000,
            tokensIn: result.tokensIn,
            tokensOut: result.tokensOut,
          });
          return result;
        } catch (error) {
          const outcome = isBotctlError(error) ? error.code.toLowerCase() : 'error';
          metrics.geminiCall({
            model: request.model,
            outcome,
            seconds: (performance.now() - started) / 1000,
            tokensIn: 0,
            tokensOut: 0,
          });
          throw error;
        }
      },
      policy,
      {
        sleep: (ms) => sleep(ms, request.signal),
        signal: request.signal,
        onRetry: (error, attempt, delayMs) =>
          log.warn({ err: error, attempt, delayMs, model: request.model }, 'gemini call failed, retrying'),
      },
    );
  }

  return {
    // A retried stream starts over; renderers show `soFar`, so the draft simply restarts.
    stream: (request, onText) => call(request, () => model.stream(request, onText)),
    generate: (request) => call(request, () => model.generate(request)),
    breakerState: () => breaker.state(),
  };
}
