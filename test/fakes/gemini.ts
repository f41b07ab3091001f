// A fake Gemini API server for tests: real HTTP on 127.0.0.1, the real JSON and SSE wire formats and
// google.rpc errors, so @google/genai runs unmodified against it.
//
//   const gemini = await startFakeGemini();
//   const ai = new GoogleGenAI({ apiKey: gemini.apiKey, httpOptions: { baseUrl: gemini.baseUrl } });
//   gemini.respond = (req) => ({ chunks: ['Hel', 'lo'], chunkDelayMs: 20 });
//
// A process started by a test can be pointed at it with GOOGLE_GEMINI_BASE_URL=<baseUrl>, which
// @google/genai reads when no httpOptions.baseUrl is given.
import { listen } from './shared/http.js';
import { brief, WaitableLog } from './shared/waiters.js';
import { GeminiFiles, type StoredGeminiFile } from './gemini/files.js';
import { DEFAULT_MODELS, toModel, type GeminiModel } from './gemini/models.js';
import { createGeminiHandler } from './gemini/server.js';
import {
  defaultHandler,
  type GeminiHandler,
  type GeminiReply,
  type GeminiRequest,
} from './gemini/responses.js';

export type { GeminiFile, StoredGeminiFile } from './gemini/files.js';
export type { GeminiModel } from './gemini/models.js';
export { DEFAULT_MODELS } from './gemini/models.js';
export type {
  Content,
  GeminiGenerateRequest,
  GeminiHandler,
  GeminiMethod,
  GeminiReply,
  GeminiRequest,
  GeminiUsage,
} from './gemini/responses.js';
export { googleError } from './gemini/errors.js';

export const DEFAULT_GEMINI_KEY = 'test-gemini-key';

export interface FakeGeminiOptions {
  /** The one valid key (default 'test-gemini-key'); others get 400 API_KEY_INVALID, none 403. */
  apiKey?: string;
  /** Replaces the default catalogue ('gemini-x' strings or model objects). */
  models?: (string | (Partial<GeminiModel> & { name: string }))[];
  /** Generate calls for models not in the catalogue (or not supporting the method) get 404; default true. */
  strictModels?: boolean;
  respond?: GeminiHandler;
  /** Uploaded files stay PROCESSING this long before turning ACTIVE; default 0. */
  fileProcessingMs?: number;
  /**
   * How long an idle keep-alive connection stays open; default 1000 ms. Node's http.Agent and undici
   * (fetch) reuse no connection when the server announces under ~2 s, so every call then pays a new TCP
   * connection; benchmarks set a minute, as real servers keep idle connections that long or longer.
   */
  keepAliveTimeoutMs?: number;
}

export interface FakeGemini {
  /** Pass as @google/genai `httpOptions.baseUrl` (or env GOOGLE_GEMINI_BASE_URL). */
  readonly baseUrl: string;
  readonly apiKey: string;
  close(): Promise<void>;
  /** Answers generate calls not served by queue(); undefined restores the default echo ("Echo: <text>"). */
  respond: GeminiHandler | undefined;
  /** One-shot replies used, in order, by the next generate calls before falling back to respond. */
  queue(...replies: (GeminiReply | string)[]): void;
  /** The model catalogue; assignable. */
  models: GeminiModel[];
  strictModels: boolean;
  /** Every request in arrival order, recorded before it is answered (a hanging one is here too). */
  readonly requests: readonly GeminiRequest[];
  /** Resolves with the first matching request (earlier ones count); rejects with the recent ones on timeout. */
  waitForRequest(predicate?: (request: GeminiRequest) => boolean, timeoutMs?: number): Promise<GeminiRequest>;
  /** Files uploaded through the Files API, with their bytes. */
  readonly files: readonly StoredGeminiFile[];
  /** Forgets requests, queued replies, files and the handler; restores the default models. */
  reset(): void;
}

const describeRequest = (r: GeminiRequest): string =>
  `${r.method} ${r.model} ${r.status ?? 'pending'} ${r.lastUserText !== '' ? brief(r.lastUserText, 80) : ''}`.trim();

export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const apiKey = options.apiKey ?? DEFAULT_GEMINI_KEY;
  const initialModels = (): GeminiModel[] => (options.models ?? [...DEFAULT_MODELS]).map(toModel);
  const log = new WaitableLog<GeminiRequest>(describeRequest);
  const queued: GeminiReply[] = [];
  let origin = '';
  const files = new GeminiFiles(
    () => origin,
    () => options.fileProcessingMs ?? 0,
  );

  const fake: FakeGemini = {
    apiKey,
    baseUrl: '',
    respond: options.respond,
    models: initialModels(),
    strictModels: options.strictModels ?? true,
    close: () => server.close(),
    queue(...replies) {
      queued.push(...replies.map((r) => (typeof r === 'string' ? { text: r } : r)));
    },
    get requests() {
      return log.items;
    },
    waitForRequest: (predicate = () => true, timeoutMs = 5000) =>
      log.waitFor(predicate, timeoutMs, 'a matching Gemini request'),
    get files() {
      return [...files.stored.values()];
    },
    reset() {
      log.clear();
      queued.length = 0;
      files.reset();
      fake.respond = undefined;
      fake.models = initialModels();
    },
  };
  const handle = createGeminiHandler({
    apiKey,
    files,
    get models() {
      return fake.models;
    },
    get strictModels() {
      return fake.strictModels;
    },
    record: (request) => log.add(request),
    async nextReply(request) {
      const reply = queued.shift() ?? (await (fake.respond ?? defaultHandler)(request));
      return typeof reply === 'string' ? { text: reply } : reply;
    },
  });
  const server = await listen((req, res) => handle(req, res, origin), options);
  origin = server.origin;
  (fake as { baseUrl: string }).baseUrl = server.origin;
  return fake;
}
