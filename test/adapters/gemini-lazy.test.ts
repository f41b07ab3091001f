// The SDK costs ~70 ms to import: creating the model must not load it, the first call must, and
// then only what an API key uses.
import { describe, expect, it } from 'vitest';
import { runWatchingImports } from '../helpers/lazy-import.js';

const entry = new URL('../../src/adapters/gemini/index.ts', import.meta.url).href;
/** Script lines (for runWatchingImports) that create the model, and that make its first call. */
const createModel = `const { createGeminiChatModel } = await import(${JSON.stringify(entry)});
  const model = createGeminiChatModel({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1', timeoutMs: 2000 });`;
const firstCall = `await model.generate({ model: 'm', turns: [{ role: 'user', parts: [{ text: 'x' }] }] }).catch(() => {});`;

describe('Gemini ChatModel start-up cost', () => {
  it('does not load @google/genai until the first call', async () => {
    const lines = await runWatchingImports(
      '@google/genai',
      `${createModel}
      console.log('after create:', loaded.length);
      ${firstCall}
      console.log('after call:', loaded.length > 0 ? 'loaded' : 'not loaded');`,
    );
    expect(lines).toEqual(['after create: 0', 'after call: loaded']);
  });

  it('loads the SDK without Google Cloud auth or WebSockets, which an API key does not use', async () => {
    const lines = await runWatchingImports(
      '',
      `${createModel}
      ${firstCall}
      const heavy = ['google-auth-library', 'gaxios', 'ws'];
      console.log('sdk:', loaded.some((s) => s.startsWith('@google/genai')));
      console.log('heavy:', loaded.filter((s) => heavy.includes(s)).join(',') || 'none');`,
    );
    expect(lines).toEqual(['sdk: true', 'heavy: none']);
  });
});
