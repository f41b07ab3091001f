// How the Gemini ChatModel fails on HTTP errors: status -> coded error, retryability, retry delay, no key leaks.
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGeminiChatModel, type GeminiCallInfo } from '../../src/adapters/gemini/index.js';
import { BotctlError } from '../../src/domain/errors.js';
import type { ChatModel, ChatRequest } from '../../src/domain/ports/index.js';
import { startFakeGemini, type FakeGemini, type GeminiReply } from '../fakes/gemini.js';

let gemini: FakeGemini;
let calls: GeminiCallInfo[];

beforeAll(async () => {
  gemini = await startFakeGemini();
});
afterEach(() => gemini.reset());
afterAll(() => gemini.close());

const model = (options: { timeoutMs?: number; apiKey?: string; baseUrl?: string } = {}): ChatModel => {
  calls = [];
  return createGeminiChatModel({
    apiKey: options.apiKey ?? gemini.apiKey,
    baseUrl: options.baseUrl ?? gemini.baseUrl,
    timeoutMs: options.timeoutMs ?? 5000,
    onCall: (info) => calls.push(info),
  });
};
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'gemini-flash-latest',
  turns: [{ role: 'user', parts: [{ text: 'hello' }] }],
  ...extra,
});
/** Runs the call and returns what it rejected with (failing the test if it resolved). */
async function failure(call: Promise<unknown>): Promise<BotctlError> {
  const error = await call.then(
    (value) => new Error(`expected a rejection, got ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BotctlError);
  return error as BotctlError;
}
const both = (reply: GeminiReply) =>
  [
    ['generate', () => (gemini.queue(reply), model().generate(ask()))],
    ['stream', () => (gemini.queue(reply), model().stream(ask(), () => {}))],
  ] as const;

describe('Gemini ChatModel: HTTP errors', () => {
  it.each(both({ error: { status: 429, retryDelaySeconds: 2 } }))(
    '429 with RetryInfo -> GEMINI_BUSY, retryable, retryAfterSeconds (%s)',
    async (_mode, run) => {
      const error = await failure(run());
      expect(error).toMatchObject({ code: 'GEMINI_BUSY', retryable: true });
      expect(error.params).toMatchObject({ status: 429, retryAfterSeconds: 2 });
      expect(error.message).toContain('RESOURCE_EXHAUSTED');
      expect(calls[0]?.outcome).toBe('rate_limited');
    },
  );

  it('rounds a fractional retryDelay up and omits it when the server gave none', async () => {
    gemini.queue({ error: { status: 429, retryDelaySeconds: 1.5 } }, { error: { status: 429 } });
    expect((await failure(model().generate(ask()))).params.retryAfterSeconds).toBe(2);
    expect((await failure(model().generate(ask()))).params).not.toHaveProperty('retryAfterSeconds');
  });

  it.each([500, 503, 504])('%i -> GEMINI_UNAVAILABLE, retryable', async (status) => {
    gemini.queue({ error: { status } });
    expect(await failure(model().generate(ask()))).toMatchObject({
      code: 'GEMINI_UNAVAILABLE',
      retryable: true,
    });
  });

  it('400 -> GEMINI_UNAVAILABLE, not retryable', async () => {
    gemini.queue({ error: { status: 400, message: 'Request contains an invalid argument.' } });
    const error = await failure(model().generate(ask()));
    expect(error).toMatchObject({ code: 'GEMINI_UNAVAILABLE', retryable: false, params: { status: 400 } });
    expect(calls[0]?.outcome).toBe('gemini_unavailable');
  });

  it('404 unknown model -> not retryable, hint names botctl setup and BOTCTL_MODEL', async () => {
    const error = await failure(model().generate(ask({ model: 'gemini-1.0-retired' })));
    expect(error).toMatchObject({ code: 'GEMINI_UNAVAILABLE', retryable: false, params: { status: 404 } });
    expect(error.hint).toMatch(/botctl setup/);
    expect(error.hint).toMatch(/BOTCTL_MODEL/);
    expect(error.hint).toContain('gemini-1.0-retired');
  });

  it.each(['generate', 'stream'] as const)(
    'a wrong key -> GEMINI_UNAUTHORIZED, key nowhere in the error (%s)',
    async (mode) => {
      const secret = 'AIzaSyWRONG-key-0123456789';
      const wrong = model({ apiKey: secret });
      const error = await failure(
        mode === 'generate' ? wrong.generate(ask()) : wrong.stream(ask(), () => {}),
      );
      expect(error).toMatchObject({ code: 'GEMINI_UNAUTHORIZED', retryable: false });
      expect(error.hint).toMatch(/BOTCTL_GEMINI_API_KEY/);
      expect(gemini.requests[0]?.apiKey).toBe(secret);
      const everything = [
        error.message,
        error.hint,
        String(error.cause),
        error.stack,
        JSON.stringify(error.params),
      ].join(' ');
      expect(everything).not.toContain(secret);
      expect(calls[0]?.outcome).toBe('gemini_unauthorized');
    },
  );

  it('an error event inside the stream -> GEMINI_UNAVAILABLE, retryable', async () => {
    gemini.queue({ chunks: ['a', 'b', 'c'], streamError: { status: 503, afterChunks: 1 } });
    const deltas: string[] = [];
    const error = await failure(model().stream(ask(), (delta) => deltas.push(delta)));
    expect(error).toMatchObject({ code: 'GEMINI_UNAVAILABLE', retryable: true, params: { status: 503 } });
    expect(deltas).toEqual(['a']);
  });

  it('an unreachable server -> GEMINI_UNAVAILABLE, retryable', async () => {
    const error = await failure(model({ baseUrl: `http://127.0.0.1:${await closedPort()}` }).generate(ask()));
    expect(error).toMatchObject({ code: 'GEMINI_UNAVAILABLE', retryable: true });
    expect(error.message).toMatch(/ECONNREFUSED/);
  });
});

/** A port that was free a moment ago and has nothing listening now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}
