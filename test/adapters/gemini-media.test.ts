// The Gemini adapter's media paths against the fake Gemini server: speech and image output
// requests, media parts in results, and Files API uploads that wait for ACTIVE.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGeminiChatModel, type GeminiCallInfo } from '../../src/adapters/gemini/index.js';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini.js';

let gemini: FakeGemini;
let calls: GeminiCallInfo[] = [];

beforeAll(async () => {
  gemini = await startFakeGemini({ fileProcessingMs: 700 });
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

describe('Gemini media', () => {
  it('asks a TTS model for audio in a prebuilt voice and returns the PCM part', async () => {
    const pcm = Buffer.alloc(4800, 9);
    gemini.queue({ audio: pcm });
    const result = await model().generate({
      model: 'gemini-2.5-flash-preview-tts',
      turns: [{ role: 'user', parts: [{ text: 'Say hello' }] }],
      output: { kind: 'speech', voice: 'Puck' },
    });
    expect(result.text).toBe('');
    expect(result.media).toEqual([
      { mimeType: 'audio/L16;codec=pcm;rate=24000', data: pcm.toString('base64') },
    ]);
    expect(gemini.requests[0]!.generationConfig).toEqual({
      responseModalities: ['AUDIO'],
      speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Puck' } } },
    });
  });

  it('asks an image model for text and image, and returns both', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    gemini.queue({ text: 'A cat.', image: png });
    const result = await model().generate({
      model: 'gemini-2.5-flash-image',
      turns: [
        { role: 'user', parts: [{ inlineData: { mimeType: 'image/jpeg', data: 'AAAA' } }, { text: 'draw' }] },
      ],
      output: { kind: 'image' },
    });
    expect(result).toMatchObject({
      text: 'A cat.',
      media: [{ mimeType: 'image/png', data: png.toString('base64') }],
    });
    expect(gemini.requests[0]!.generationConfig).toEqual({ responseModalities: ['TEXT', 'IMAGE'] });
    expect(gemini.requests[0]!.contents[0]!.parts![0]).toEqual({
      inlineData: { mimeType: 'image/jpeg', data: 'AAAA' },
    });
  });

  it('still reports an answer with neither text nor media as empty', async () => {
    gemini.queue({ empty: true });
    await expect(
      model().generate({
        model: 'gemini-2.5-flash-image',
        turns: [{ role: 'user', parts: [{ text: 'x' }] }],
        output: { kind: 'image' },
      }),
    ).rejects.toMatchObject({ code: 'GEMINI_EMPTY' });
  });

  it('uploads a file, waits until it is ACTIVE, and returns its uri', async () => {
    const bytes = Buffer.alloc(1024, 5);
    const uploaded = await model().uploadFile({ bytes, mimeType: 'audio/ogg', displayName: 'voice-1' });
    const stored = gemini.files[0]!;
    expect(uploaded).toEqual({ uri: stored.file.uri, mimeType: 'audio/ogg' });
    expect(stored.bytes.equals(bytes)).toBe(true);
    expect(stored.file.displayName).toBe('voice-1');
    expect(gemini.requests.filter((r) => r.method === 'files.get').length).toBeGreaterThan(0);
    expect(Date.now()).toBeGreaterThanOrEqual(stored.activeAt);
    expect(calls.map((c) => [c.method, c.outcome])).toEqual([['files.upload', 'ok']]);
  });

  it('translates a refused upload into a coded error', async () => {
    const bad = createGeminiChatModel({ apiKey: 'wrong-key-123', baseUrl: gemini.baseUrl, timeoutMs: 5000 });
    await expect(
      bad.uploadFile({ bytes: Buffer.from('x'), mimeType: 'application/pdf' }),
    ).rejects.toMatchObject({
      code: 'GEMINI_UNAUTHORIZED',
    });
  });
});
