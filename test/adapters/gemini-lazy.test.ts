// The SDK costs ~70 ms to import: creating the model must not load it, the first call must.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('Gemini ChatModel start-up cost', () => {
  it('does not load @google/genai until the first call', async () => {
    const entry = new URL('../../src/adapters/gemini/index.ts', import.meta.url).href;
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ resolve(specifier, context, next) {
        if (specifier.startsWith('@google/genai')) loaded.push(specifier);
        return next(specifier, context);
      } });
      const { createGeminiChatModel } = await import(${JSON.stringify(entry)});
      const model = createGeminiChatModel({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1', timeoutMs: 2000 });
      console.log('after create:', loaded.length);
      await model.generate({ model: 'm', turns: [{ role: 'user', parts: [{ text: 'x' }] }] }).catch(() => {});
      console.log('after call:', loaded.length > 0 ? 'loaded' : 'not loaded');`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { timeout: 20_000 },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ),
    );
    expect(out.trim().split('\n')).toEqual(['after create: 0', 'after call: loaded']);
  });
});
