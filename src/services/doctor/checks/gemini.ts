import type { Check } from '../types.js';
import { fail, pass, warn } from './outcome.js';

/** Model ids retire: the configured one must be in what this key can list today. */
export const geminiCheck: Check = {
  id: 'gemini',
  title: 'Gemini key and model',
  needs: ['config'],
  async run({ config, probes, timeoutMs }) {
    const { geminiApiKey: apiKey, geminiBaseUrl: baseUrl, model, models, ttsModel, imageModel } = config!;
    if (!apiKey) return fail('geminiApiKey is not set', 'run `botctl setup` or set BOTCTL_GEMINI_API_KEY');
    const listed = await probes.geminiModels({ apiKey, baseUrl, timeoutMs });
    const ids = new Set(listed.map((m) => m.id));
    const chat = listed.filter((m) => m.methods.includes('generateContent')).map((m) => m.id);
    if (!ids.has(model)) {
      return fail(
        `model ${model} is not available to this key`,
        `\`botctl config set model <id>\`; available: ${chat.slice(0, 6).join(', ')}`,
      );
    }
    // The others disable one feature each, so they warn.
    const others = [
      ...models.map((id) => ({ id, what: 'in models' })),
      ...(ttsModel ? [{ id: ttsModel, what: 'ttsModel: no spoken answers' }] : []),
      ...(imageModel ? [{ id: imageModel, what: 'imageModel: no /image' }] : []),
    ].filter(({ id }) => !ids.has(id));
    if (others.length > 0) {
      const list = others.map(({ id, what }) => `${id} (${what})`).join(', ');
      return warn(
        `${model} available; not available to this key: ${list}`,
        'pick listed models with `botctl config set`',
      );
    }
    return pass(`key accepted; ${model} available (${listed.length} models listed)`);
  },
};
