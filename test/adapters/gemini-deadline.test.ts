// Deadlines and cancellation of Gemini calls: a hanging or stalled server times out within timeoutMs,
// a caller's abort stops the call and is told apart from a failure.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGeminiChatModel, type GeminiCallInfo } from '../../src/adapters/gemini/index.js';
import { BotctlError } from '../../src/domain/errors.js';
import type { ChatRequest } from '../../src/domain/ports/index.js';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini.js';

const TIMEOUT_MS = 1000;
// Generous upper bound: the first call also pays the SDK import.
const SLACK_MS = 5000;

let gemini: FakeGemini;
let calls: GeminiCallInfo[];

beforeAll(async () => {
  gemini = await startFakeGemini();
});
afterEach(() => gemini.reset());
afterAll(() => gemini.close());

const model = () => {
  calls = [];
  return createGeminiChatModel({
    apiKey: gemini.apiKey,
    baseUrl: gemini.baseUrl,
    timeoutMs: TIMEOUT_MS,
    onCall: (info) => calls.push(info),
  });
};
const ask = (signal?: AbortSignal): ChatRequest => ({
  model: 'gemini-flash-latest',
  turns: [{ role: 'user', parts: [{ text: 'hello' }] }],
  ...(signal ? { signal } : {}),
});

async function timed<T>(work: Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: performance.now() - started };
}

describe('Gemini ChatModel deadlines and cancellation', () => {
  it.each(['generate', 'stream'] as const)(
    'a hanging server -> timeout error within timeoutMs (%s)',
    async (mode) => {
      gemini.queue({ hang: true });
      const m = model();
      const { error, ms } = await timed(mode === 'generate' ? m.generate(ask()) : m.stream(ask(), () => {}));
      expect(error).toBeInstanceOf(BotctlError);
      expect(error).toMatchObject({
        code: 'GEMINI_UNAVAILABLE',
        retryable: true,
        params: { timeoutMs: TIMEOUT_MS },
      });
      expect((error as BotctlError).message).toMatch(new RegExp(`within ${TIMEOUT_MS} ms`));
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      expect(calls[0]?.outcome).toBe('timeout');
    },
  );

  it('a stream that stalls after its first chunk times out', async () => {
    gemini.queue({ chunks: ['first ', 'late'], chunkDelayMs: TIMEOUT_MS * 4 });
    const deltas: string[] = [];
    const { error, ms } = await timed(model().stream(ask(), (delta) => deltas.push(delta)));
    expect(error).toMatchObject({ code: 'GEMINI_UNAVAILABLE', retryable: true });
    expect(deltas).toEqual(['first ']);
    expect(ms).toBeLessThan(TIMEOUT_MS * 4);
  });

  it('a stream that keeps arriving may take longer than timeoutMs in total', async () => {
    const chunks = ['a', 'b', 'c', 'd', 'e', 'f'];
    gemini.queue({ chunks, chunkDelayMs: TIMEOUT_MS / 3 });
    const { error, ms } = await timed(model().stream(ask(), () => {}));
    expect(error).toBeUndefined();
    expect(ms).toBeGreaterThan(TIMEOUT_MS);
  });

  it.each(['generate', 'stream'] as const)(
    'an abort stops the call and rejects with an AbortError, not a BotctlError (%s)',
    async (mode) => {
      gemini.queue({ hang: true });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const m = model();
      const run =
        mode === 'generate' ? m.generate(ask(controller.signal)) : m.stream(ask(controller.signal), () => {});
      const { error, ms } = await timed(run);
      expect(error).not.toBeInstanceOf(BotctlError);
      expect(error).toMatchObject({ name: 'AbortError' });
      expect(ms).toBeLessThan(TIMEOUT_MS);
      expect(calls[0]?.outcome).toBe('aborted');
    },
  );

  it('an abort mid-stream stops the deltas', async () => {
    gemini.queue({ chunks: ['one ', 'two ', 'three'], chunkDelayMs: 100 });
    const controller = new AbortController();
    const deltas: string[] = [];
    const { error } = await timed(
      model().stream(ask(controller.signal), (delta) => {
        deltas.push(delta);
        controller.abort();
      }),
    );
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(deltas).toEqual(['one ']);
  });

  it('rejects with the reason the caller gave, and makes no request when already aborted', async () => {
    const reason = new Error('user sent /stop');
    const { error } = await timed(model().generate(ask(AbortSignal.abort(reason))));
    expect(error).toBe(reason);
    expect(gemini.requests).toHaveLength(0);
  });
});
