// Answers that are not answers (blocked, empty, cut by safety) and the caller's callbacks failing.
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

const model = (): ChatModel => {
  calls = [];
  return createGeminiChatModel({
    apiKey: gemini.apiKey,
    baseUrl: gemini.baseUrl,
    timeoutMs: 5000,
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

describe('Gemini ChatModel: blocked, empty and partial answers', () => {
  it.each(both({ blockReason: 'PROHIBITED_CONTENT' }))(
    'promptFeedback.blockReason -> GEMINI_BLOCKED (%s)',
    async (_mode, run) => {
      const error = await failure(run());
      expect(error).toMatchObject({
        code: 'GEMINI_BLOCKED',
        retryable: false,
        params: { reason: 'PROHIBITED_CONTENT' },
      });
    },
  );

  it.each(both({ text: '', finishReason: 'SAFETY' }))(
    'finishReason SAFETY with no text -> GEMINI_BLOCKED (%s)',
    async (_mode, run) => {
      expect(await failure(run())).toMatchObject({ code: 'GEMINI_BLOCKED', params: { reason: 'SAFETY' } });
    },
  );

  it.each(both({ empty: true, finishReason: 'OTHER' }))(
    'no text at all -> GEMINI_EMPTY (%s)',
    async (_mode, run) => {
      const error = await failure(run());
      expect(error).toMatchObject({ code: 'GEMINI_EMPTY', retryable: false, params: { reason: 'OTHER' } });
      expect(calls[0]?.outcome).toBe('gemini_empty');
    },
  );

  it('a stream that showed text and then stopped for SAFETY returns the partial text', async () => {
    gemini.queue({ chunks: ['Here is how ', 'to'], finishReason: 'SAFETY' });
    const deltas: string[] = [];
    const result = await model().stream(ask(), (delta) => deltas.push(delta));
    expect(result).toMatchObject({ text: 'Here is how to', finishReason: 'SAFETY' });
    expect(deltas).toEqual(['Here is how ', 'to']);
  });

  it('passes an error thrown by onText through untouched', async () => {
    gemini.queue({ chunks: ['one', 'two'] });
    const mine = new Error('renderer broke');
    await expect(
      model().stream(ask(), () => {
        throw mine;
      }),
    ).rejects.toBe(mine);
  });

  it('ignores an onCall that throws', async () => {
    gemini.queue('fine');
    const noisy = createGeminiChatModel({
      apiKey: gemini.apiKey,
      baseUrl: gemini.baseUrl,
      timeoutMs: 5000,
      onCall: () => {
        throw new Error('metrics broke');
      },
    });
    await expect(noisy.generate(ask())).resolves.toMatchObject({ text: 'fine' });
  });
});
