// The Gemini ChatModel against the fake Gemini server: what it sends, what it returns.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGeminiChatModel, type GeminiCallInfo } from '../../src/adapters/gemini/index.js';
import type { ChatRequest } from '../../src/domain/ports/index.js';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini.js';

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
    timeoutMs: 5000,
    onCall: (info) => calls.push(info),
  });
};

const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'gemini-flash-latest',
  turns: [{ role: 'user', parts: [{ text }] }],
  ...extra,
});

describe('Gemini ChatModel', () => {
  it('streams chunks in order through onText and returns the text with the final usage', async () => {
    gemini.queue({
      chunks: ['Hel', 'lo, ', 'world', '!'],
      chunkDelayMs: 10,
      usage: { promptTokenCount: 12, candidatesTokenCount: 7 },
      modelVersion: 'gemini-3-flash-001',
    });
    const seen: [string, string][] = [];
    const result = await model().stream(ask('hi'), (delta, soFar) => seen.push([delta, soFar]));
    expect(seen).toEqual([
      ['Hel', 'Hel'],
      ['lo, ', 'Hello, '],
      ['world', 'Hello, world'],
      ['!', 'Hello, world!'],
    ]);
    expect(result).toEqual({
      text: 'Hello, world!',
      tokensIn: 12,
      tokensOut: 7,
      finishReason: 'STOP',
      model: 'gemini-3-flash-001',
    });
    expect(calls).toEqual([
      expect.objectContaining({
        model: 'gemini-flash-latest',
        method: 'streamGenerateContent',
        tokensIn: 12,
        tokensOut: 7,
        outcome: 'ok',
      }),
    ]);
  });

  it('sends the system instruction, every turn and part, and the output limit', async () => {
    const request: ChatRequest = {
      model: 'gemini-flash-latest',
      systemInstruction: 'You are terse. Отвечай кратко.',
      maxOutputTokens: 256,
      turns: [
        {
          role: 'user',
          parts: [
            { text: 'What is on this photo?' },
            { inlineData: { mimeType: 'image/jpeg', data: 'AAEC' } },
          ],
        },
        { role: 'model', parts: [{ text: 'A cat.' }] },
        {
          role: 'user',
          parts: [
            { fileData: { mimeType: 'audio/ogg', fileUri: `${gemini.baseUrl}/v1/files/abc` } },
            { text: 'And this?' },
          ],
        },
      ],
    };
    await model().stream(request, () => {});
    const sent = await gemini.waitForRequest();
    expect(sent).toMatchObject({
      method: 'streamGenerateContent',
      model: 'gemini-flash-latest',
      apiVersion: 'v1',
      query: { alt: 'sse' },
      apiKey: gemini.apiKey,
      lastUserText: 'And this?',
    });
    expect(sent.systemInstruction?.parts).toEqual([{ text: 'You are terse. Отвечай кратко.' }]);
    expect(sent.contents).toEqual(request.turns);
    expect(sent.generationConfig).toEqual({ maxOutputTokens: 256 });
  });

  it('generates without streaming and leaves thought parts out of the text', async () => {
    gemini.queue({ text: 'Forty-two.', thought: 'Let me think about it...', usage: { promptTokenCount: 3 } });
    const result = await model().generate(ask('meaning of life?'));
    expect(result.text).toBe('Forty-two.');
    expect(result.tokensIn).toBe(3);
    expect(result.finishReason).toBe('STOP');
    expect(gemini.requests.map((r) => [r.method, r.query.alt])).toEqual([['generateContent', undefined]]);
    expect(gemini.requests[0]?.systemInstruction).toBeUndefined();
    expect(calls[0]).toMatchObject({ method: 'generateContent', outcome: 'ok' });
  });

  it('never passes thought summaries to onText', async () => {
    gemini.queue({ chunks: ['Yes', '.'], thought: 'hmm' });
    const deltas: string[] = [];
    const result = await model().stream(ask('?'), (delta) => deltas.push(delta));
    expect(deltas).toEqual(['Yes', '.']);
    expect(result.text).toBe('Yes.');
  });

  it('lists every model across pages, ids without the models/ prefix', async () => {
    gemini.models = Array.from({ length: 60 }, (_, i) => ({
      ...gemini.models[0]!,
      name: `models/gemini-test-${i}`,
      displayName: `Test ${i}`,
      supportedGenerationMethods: i === 59 ? ['embedContent'] : ['generateContent', 'countTokens'],
    }));
    const models = await model().listModels();
    expect(models).toHaveLength(60);
    expect(models[0]).toEqual({
      id: 'gemini-test-0',
      displayName: 'Test 0',
      methods: ['generateContent', 'countTokens'],
    });
    expect(models[59]).toEqual({ id: 'gemini-test-59', displayName: 'Test 59', methods: ['embedContent'] });
    const pages = gemini.requests.filter((r) => r.method === 'models.list');
    expect(pages).toHaveLength(2);
    expect(pages[1]?.query.pageToken).toBeTruthy();
    expect(calls).toEqual([expect.objectContaining({ method: 'listModels', outcome: 'ok' })]);
  });

  it('fails with CONFIG_MISSING, without a request, when no key is configured', async () => {
    const noKey = createGeminiChatModel({ apiKey: '', baseUrl: gemini.baseUrl, timeoutMs: 1000 });
    await expect(noKey.generate(ask('hi'))).rejects.toMatchObject({ code: 'CONFIG_MISSING' });
    expect(gemini.requests).toHaveLength(0);
  });
});
