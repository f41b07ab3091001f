// Drives the fake Gemini through the real @google/genai client.
import { ApiError, GoogleGenAI } from '@google/genai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini.js';

let gemini: FakeGemini;
let ai: GoogleGenAI;

beforeEach(async () => {
  gemini = await startFakeGemini();
  ai = new GoogleGenAI({ apiKey: gemini.apiKey, httpOptions: { baseUrl: gemini.baseUrl } });
});

afterEach(async () => {
  await gemini.close();
});

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('fake Gemini', () => {
  it('echoes by default and records the parsed request', async () => {
    const response = await ai.models.generateContent({
      model: 'gemini-flash-latest',
      contents: [
        { role: 'user', parts: [{ text: 'first' }] },
        { role: 'model', parts: [{ text: 'ok' }] },
        { role: 'user', parts: [{ text: 'hello there' }] },
      ],
      config: { systemInstruction: 'Be brief.', temperature: 0.3 },
    });
    expect(response.text).toBe('Echo: hello there');
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.usageMetadata?.totalTokenCount).toBeGreaterThan(0);

    const request = gemini.requests[0];
    expect(request).toMatchObject({
      method: 'generateContent',
      model: 'gemini-flash-latest',
      apiVersion: 'v1',
      apiKey: 'test-gemini-key',
      lastUserText: 'hello there',
      generationConfig: { temperature: 0.3 },
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
    });
    expect(request?.contents).toHaveLength(3);
  });

  it('streams scripted chunks over SSE in order, with usage and finishReason on the last', async () => {
    gemini.respond = (req) => ({
      chunks: ['One, ', 'two, ', `three: ${req.lastUserText}`],
      chunkDelayMs: 40,
      usage: { promptTokenCount: 11, candidatesTokenCount: 7 },
    });
    const started = Date.now();
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'count' });
    const seen: { text: string | undefined; at: number; finish: unknown; total: unknown }[] = [];
    for await (const chunk of stream) {
      seen.push({
        text: chunk.text,
        at: Date.now(),
        finish: chunk.candidates?.[0]?.finishReason,
        total: chunk.usageMetadata?.totalTokenCount,
      });
    }
    expect(seen.map((s) => s.text)).toEqual(['One, ', 'two, ', 'three: count']);
    expect(seen.map((s) => s.finish)).toEqual([undefined, undefined, 'STOP']);
    expect(seen.at(-1)?.total).toBe(18);
    // The server paces the chunks (2 x 40 ms); a busy client may bunch them, but never receive them early.
    expect((seen[2]?.at ?? 0) - started).toBeGreaterThanOrEqual(75);
    expect(gemini.requests[0]).toMatchObject({ method: 'streamGenerateContent', query: { alt: 'sse' } });
  });

  it('lists models page by page and gets one', async () => {
    const pager = await ai.models.list({ config: { pageSize: 3 } });
    const names: string[] = [];
    for await (const model of pager) names.push(model.name ?? '');
    expect(names).toEqual(
      expect.arrayContaining(['models/gemini-flash-latest', 'models/gemini-2.5-flash-preview-tts']),
    );
    expect(names.length).toBe(gemini.models.length);
    expect(gemini.requests.filter((r) => r.method === 'models.list').length).toBeGreaterThan(1);

    const tts = await ai.models.get({ model: 'gemini-2.5-flash-preview-tts' });
    expect(tts.displayName).toBe('Gemini 2.5 Flash Preview TTS');
  });

  it('answers a queued 429 as the real google.rpc error, then falls back to the handler', async () => {
    gemini.queue({ error: { status: 429, retryDelaySeconds: 2 } });
    const error = await apiError(ai.models.generateContent({ model: 'gemini-flash-latest', contents: 'hi' }));
    expect(error.status).toBe(429);
    const body = JSON.parse(error.message) as {
      error: { status: string; details: { retryDelay?: string }[] };
    };
    expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(body.error.details.some((d) => d.retryDelay === '2s')).toBe(true);

    const ok = await ai.models.generateContent({ model: 'gemini-flash-latest', contents: 'again' });
    expect(ok.text).toBe('Echo: again');
  });

  it('fails a stream before the first chunk with the same ApiError', async () => {
    gemini.queue({ error: { status: 503 } });
    const error = await apiError(
      ai.models.generateContentStream({ model: 'gemini-flash-latest', contents: 'x' }),
    );
    expect(error.status).toBe(503);
  });

  it('reports a prompt blocked for safety, an empty candidate and a safety finish', async () => {
    gemini.queue({ blockReason: 'SAFETY' }, { empty: true }, { finishReason: 'SAFETY', text: '' });
    const blocked = await ai.models.generateContent({ model: 'gemini-flash-latest', contents: 'bad' });
    expect(blocked.promptFeedback?.blockReason).toBe('SAFETY');
    expect(blocked.candidates).toBeUndefined();
    expect(blocked.text).toBeUndefined();

    const empty = await ai.models.generateContent({ model: 'gemini-flash-latest', contents: 'odd' });
    expect(empty.candidates?.[0]?.content?.parts).toBeUndefined();
    expect(empty.text).toBeUndefined();

    const unsafe = await ai.models.generateContent({ model: 'gemini-flash-latest', contents: 'worse' });
    expect(unsafe.candidates?.[0]?.finishReason).toBe('SAFETY');
    expect(unsafe.candidates?.[0]?.content).toBeUndefined();
  });

  it('returns TTS audio as inlineData', async () => {
    const pcm = Buffer.from([1, 2, 3, 4, 5, 6]);
    gemini.queue({ audio: pcm });
    const response = await ai.models.generateContent({
      model: 'gemini-2.5-flash-preview-tts',
      contents: 'say hi',
      config: { responseModalities: ['AUDIO'] },
    });
    const part = response.candidates?.[0]?.content?.parts?.[0];
    expect(part?.inlineData?.mimeType).toBe('audio/L16;codec=pcm;rate=24000');
    expect(Buffer.from(part?.inlineData?.data ?? '', 'base64').equals(pcm)).toBe(true);
  });

  it('rejects a wrong API key like Google, and unknown models with 404', async () => {
    const wrong = new GoogleGenAI({ apiKey: 'nope', httpOptions: { baseUrl: gemini.baseUrl } });
    const error = await apiError(
      wrong.models.generateContent({ model: 'gemini-flash-latest', contents: 'x' }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toContain('API key not valid. Please pass a valid API key.');

    const missing = await apiError(ai.models.generateContent({ model: 'gemini-0-nope', contents: 'x' }));
    expect(missing.status).toBe(404);
  });

  it('lets a client time out on a hanging request', async () => {
    gemini.queue({ hang: true });
    const impatient = new GoogleGenAI({
      apiKey: gemini.apiKey,
      httpOptions: { baseUrl: gemini.baseUrl, timeout: 150 },
    });
    await expect(
      impatient.models.generateContent({ model: 'gemini-flash-latest', contents: 'x' }),
    ).rejects.toThrow();
    const request = await gemini.waitForRequest((r) => r.lastUserText === 'x', 100);
    expect(request.status).toBeUndefined();
  });

  it('accepts a Files API upload and serves the file back', async () => {
    const bytes = new Blob([Buffer.from('%PDF-1.4 fake')], { type: 'application/pdf' });
    const file = await ai.files.upload({ file: bytes, config: { displayName: 'doc.pdf' } });
    expect(file).toMatchObject({
      mimeType: 'application/pdf',
      sizeBytes: '13',
      state: 'ACTIVE',
      displayName: 'doc.pdf',
    });
    expect(gemini.files[0]?.bytes.toString()).toBe('%PDF-1.4 fake');
    const fetched = await ai.files.get({ name: file.name ?? '' });
    expect(fetched.uri).toBe(file.uri);
  });

  it('is reachable through GOOGLE_GEMINI_BASE_URL when no baseUrl option is given', async () => {
    const previous = process.env.GOOGLE_GEMINI_BASE_URL;
    process.env.GOOGLE_GEMINI_BASE_URL = gemini.baseUrl;
    try {
      const fromEnv = new GoogleGenAI({ apiKey: gemini.apiKey });
      const response = await fromEnv.models.generateContent({
        model: 'gemini-flash-latest',
        contents: 'env',
      });
      expect(response.text).toBe('Echo: env');
    } finally {
      if (previous === undefined) delete process.env.GOOGLE_GEMINI_BASE_URL;
      else process.env.GOOGLE_GEMINI_BASE_URL = previous;
    }
  });

  it('can end a stream with an error event after some chunks', async () => {
    gemini.queue({ chunks: ['partial ', 'answer'], streamError: { status: 500, afterChunks: 1 } });
    const stream = await ai.models.generateContentStream({ model: 'gemini-flash-latest', contents: 'x' });
    const texts: (string | undefined)[] = [];
    const error = await (async () => {
      for await (const chunk of stream) texts.push(chunk.text);
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(texts).toEqual(['partial ']);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(500);
  });
});
