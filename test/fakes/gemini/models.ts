// The model catalogue the fake serves for models.list / models.get, and checks generate calls against.

export interface GeminiModel {
  /** 'models/<id>' */
  name: string;
  version: string;
  displayName: string;
  description: string;
  inputTokenLimit: number;
  outputTokenLimit: number;
  supportedGenerationMethods: string[];
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTemperature?: number;
  thinking?: boolean;
}

const TEXT = ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'];

function model(id: string, displayName: string, extra: Partial<GeminiModel> = {}): GeminiModel {
  return {
    name: `models/${id}`,
    version: '001',
    displayName,
    description: `${displayName} (fake)`,
    inputTokenLimit: 1_048_576,
    outputTokenLimit: 65_536,
    supportedGenerationMethods: TEXT,
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    thinking: true,
    ...extra,
  };
}

export const DEFAULT_MODELS: readonly GeminiModel[] = [
  model('gemini-flash-latest', 'Gemini Flash Latest'),
  model('gemini-flash-lite-latest', 'Gemini Flash-Lite Latest'),
  model('gemini-2.5-flash', 'Gemini 2.5 Flash'),
  model('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite'),
  model('gemini-2.5-pro', 'Gemini 2.5 Pro'),
  // An older generation without the URL context tool.
  model('gemini-2.0-flash', 'Gemini 2.0 Flash', { thinking: false }),
  model('gemini-2.5-flash-preview-tts', 'Gemini 2.5 Flash Preview TTS', {
    inputTokenLimit: 8192,
    outputTokenLimit: 16_384,
    supportedGenerationMethods: ['countTokens', 'generateContent'],
    thinking: false,
  }),
  model('gemini-2.5-flash-image', 'Nano Banana', {
    inputTokenLimit: 32_768,
    outputTokenLimit: 32_768,
    supportedGenerationMethods: ['generateContent', 'countTokens', 'batchGenerateContent'],
    thinking: false,
  }),
  model('text-embedding-004', 'Text Embedding 004', {
    inputTokenLimit: 2048,
    outputTokenLimit: 1,
    supportedGenerationMethods: ['embedContent'],
    thinking: false,
  }),
];

/** Accepts 'gemini-x', 'models/gemini-x' or a full model object. */
export function toModel(input: string | (Partial<GeminiModel> & { name: string })): GeminiModel {
  if (typeof input === 'string') {
    const id = input.replace(/^models\//, '');
    return model(id, id);
  }
  const id = input.name.replace(/^models\//, '');
  return { ...model(id, input.displayName ?? id), ...input, name: `models/${id}` };
}

/** One page of models; the page token is the opaque offset, as far as clients can tell. */
export function pageOf(
  models: readonly GeminiModel[],
  pageSize: number | undefined,
  pageToken: string | undefined,
): { models: GeminiModel[]; nextPageToken?: string } {
  const size = Math.min(1000, Math.max(1, pageSize ?? 50));
  const start =
    pageToken !== undefined && pageToken !== '' ? Number(Buffer.from(pageToken, 'base64url').toString()) : 0;
  const page = { models: models.slice(start, start + size) } as {
    models: GeminiModel[];
    nextPageToken?: string;
  };
  if (start + size < models.length)
    page.nextPageToken = Buffer.from(String(start + size)).toString('base64url');
  return page;
}
