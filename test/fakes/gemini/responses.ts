// Scripted replies and the GenerateContentResponse JSON built from them (whole, or as stream chunks).

export interface GeminiUsage {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  totalTokenCount?: number;
}

export interface GeminiReply {
  /** The answer. For streaming without `chunks` it is split into up to three word-aligned chunks. */
  text?: string;
  /** Streaming pieces in order; for a non-streaming call they are joined. */
  chunks?: string[];
  /** Pause between stream chunks (and added to a non-streaming answer's delay). */
  chunkDelayMs?: number;
  /** Pause before the first chunk (thinking models take seconds). */
  firstTokenDelayMs?: number;
  usage?: GeminiUsage;
  /** Default 'STOP'. 'SAFETY' with text '' gives a candidate without content. */
  finishReason?: string;
  /** promptFeedback.blockReason and no candidates at all. */
  blockReason?: string;
  /** A candidate whose content has no parts. */
  empty?: boolean;
  /** Answer with a google.rpc error instead. */
  error?: { status: number; message?: string; retryDelaySeconds?: number };
  /** Streaming only: end the stream with an error event after `afterChunks` chunks (default 1). */
  streamError?: { status: number; message?: string; afterChunks?: number };
  /** Never answer (the client's timeout or abort must end it). */
  hang?: boolean;
  /** TTS: an inlineData part, e.g. raw PCM with mimeType 'audio/L16;codec=pcm;rate=24000'. */
  audio?: Buffer | Uint8Array;
  /** Image generation: an inlineData part (mimeType 'image/png' by default). */
  image?: Buffer | Uint8Array;
  mimeType?: string;
  /** A thought summary part ({ text, thought: true }) before the answer. */
  thought?: string;
  functionCalls?: { name: string; args?: Record<string, unknown> }[];
  modelVersion?: string;
  /**
   * Google Search grounding: `groundingMetadata` on the last candidate, as the API sends it when the
   * request had `tools: [{ googleSearch: {} }]` (only then: a reply for a request without the tool
   * leaves it out, as a model that could not search) (webSearchQueries, groundingChunks of web sources,
   * groundingSupports tying answer segments to chunk indices, searchEntryPoint).
   */
  grounding?: { queries?: string[]; sources: { uri: string; title: string }[] };
  /**
   * URL context: `urlContextMetadata.urlMetadata` on the last candidate, one entry per link the model
   * read (status e.g. URL_RETRIEVAL_STATUS_SUCCESS or URL_RETRIEVAL_STATUS_ERROR), as the API sends it
   * when the request had `tools: [{ urlContext: {} }]` (only then).
   */
  urlContext?: { url: string; status: string }[];
}

export type GeminiMethod =
  | 'generateContent'
  | 'streamGenerateContent'
  | 'countTokens'
  | 'models.list'
  | 'models.get'
  | 'files.upload'
  | 'files.get'
  | 'files.list'
  | 'files.delete';

export interface Content {
  role?: string;
  parts?: Record<string, unknown>[];
}

export interface GeminiRequest {
  method: GeminiMethod;
  /** Model id without the 'models/' prefix, for model methods. */
  model: string;
  /** 'v1' (what @google/genai 3.x uses by default) or 'v1beta'. */
  apiVersion: string;
  path: string;
  query: Record<string, string>;
  apiKey: string | undefined;
  /** Parsed JSON body (undefined for GETs and uploads). */
  body: unknown;
  contents: Content[];
  systemInstruction: Content | undefined;
  generationConfig: Record<string, unknown> | undefined;
  tools: unknown[] | undefined;
  /** Text of the last user turn (its text parts joined). */
  lastUserText: string;
  /** Epoch ms of arrival. */
  at: number;
  /** HTTP status answered; unset while the request is in progress (or hanging). */
  status?: number;
  /** Streaming (SSE): epoch ms at which each chunk was written. */
  chunksAt?: number[];
}

/** What a respond handler sees: a generate call. */
export type GeminiGenerateRequest = GeminiRequest & { method: 'generateContent' | 'streamGenerateContent' };

export type GeminiHandler = (
  request: GeminiGenerateRequest,
) => GeminiReply | string | Promise<GeminiReply | string>;

export const defaultHandler: GeminiHandler = (request) => ({ text: `Echo: ${request.lastUserText}` });

export function lastUserText(contents: Content[]): string {
  const last = [...contents].reverse().find((c) => c.role === undefined || c.role === 'user');
  return (last?.parts ?? [])
    .filter((p) => typeof p.text === 'string' && p.thought !== true)
    .map((p) => p.text as string)
    .join('');
}

/** A rough token count (4 characters a token; 258 per media part, like an image tile). */
export function estimateTokens(contents: Content[], systemInstruction?: Content): number {
  let tokens = 0;
  for (const content of [...contents, ...(systemInstruction !== undefined ? [systemInstruction] : [])]) {
    for (const part of content.parts ?? []) {
      tokens += typeof part.text === 'string' ? Math.ceil(part.text.length / 4) : 258;
    }
  }
  return Math.max(1, tokens);
}

const textTokens = (text: string): number => (text === '' ? 0 : Math.max(1, Math.ceil(text.length / 4)));

export function answerText(reply: GeminiReply): string {
  return reply.text ?? reply.chunks?.join('') ?? '';
}

function streamPieces(reply: GeminiReply): string[] {
  if (reply.chunks !== undefined) return reply.chunks;
  const text = reply.text ?? '';
  const words = text.match(/\s*\S+\s*/g);
  if (words === null || words.length < 2) return text === '' ? [] : [text];
  const count = Math.min(3, words.length);
  const per = Math.ceil(words.length / count);
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += per) pieces.push(words.slice(i, i + per).join(''));
  return pieces;
}

const SAFETY_RATINGS = [
  { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
];

interface Built {
  /** Each is one GenerateContentResponse; a non-streaming call gets exactly one. */
  responses: Record<string, unknown>[];
}

/** Builds the response(s) for a reply. `stream` splits text into chunks, with usage on the last. */
export function buildResponses(reply: GeminiReply, request: GeminiRequest, stream: boolean): Built {
  const modelVersion = reply.modelVersion ?? request.model;
  const responseId = Math.random().toString(36).slice(2, 14);
  const promptTokenCount =
    reply.usage?.promptTokenCount ?? estimateTokens(request.contents, request.systemInstruction);
  const envelope = (extra: Record<string, unknown>): Record<string, unknown> => ({
    ...extra,
    modelVersion,
    responseId,
  });

  if (reply.blockReason !== undefined) {
    return {
      responses: [
        envelope({
          promptFeedback: { blockReason: reply.blockReason, safetyRatings: SAFETY_RATINGS },
          usageMetadata: usage(reply, promptTokenCount, 0),
        }),
      ],
    };
  }
  const finishReason = reply.finishReason ?? 'STOP';
  const text = answerText(reply);
  if (reply.empty === true) {
    return {
      responses: [
        envelope({
          candidates: [{ content: { role: 'model' }, finishReason, index: 0 }],
          usageMetadata: usage(reply, promptTokenCount, 0),
        }),
      ],
    };
  }

  const extraParts: Record<string, unknown>[] = [];
  for (const call of reply.functionCalls ?? [])
    extraParts.push({ functionCall: { name: call.name, args: call.args ?? {} } });
  if (reply.audio !== undefined) {
    extraParts.push({
      inlineData: {
        mimeType: reply.mimeType ?? 'audio/L16;codec=pcm;rate=24000',
        data: Buffer.from(reply.audio).toString('base64'),
      },
    });
  }
  if (reply.image !== undefined) {
    extraParts.push({
      inlineData: {
        mimeType: reply.mimeType ?? 'image/png',
        data: Buffer.from(reply.image).toString('base64'),
      },
    });
  }
  const thoughtParts = reply.thought !== undefined ? [{ text: reply.thought, thought: true }] : [];
  const candidatesTokens = textTokens(text) + extraParts.length * 258;
  const finalUsage = usage(reply, promptTokenCount, candidatesTokens);
  const candidate = (parts: Record<string, unknown>[], last: boolean): Record<string, unknown> => {
    const c: Record<string, unknown> = { index: 0 };
    if (parts.length > 0) c.content = { parts, role: 'model' };
    if (last) c.finishReason = finishReason;
    // As the API: metadata only for a tool the request asked for (no googleSearch tool, no search).
    if (last && reply.grounding !== undefined && hasTool(request, 'googleSearch'))
      c.groundingMetadata = groundingMetadata(text, reply.grounding);
    if (last && reply.urlContext !== undefined && hasTool(request, 'urlContext'))
      c.urlContextMetadata = {
        urlMetadata: reply.urlContext.map((u) => ({ retrievedUrl: u.url, urlRetrievalStatus: u.status })),
      };
    if (last && finishReason === 'SAFETY') c.safetyRatings = SAFETY_RATINGS;
    return c;
  };

  if (!stream) {
    const parts = [...thoughtParts, ...(text !== '' ? [{ text }] : []), ...extraParts];
    return { responses: [envelope({ candidates: [candidate(parts, true)], usageMetadata: finalUsage })] };
  }
  const pieces = streamPieces(reply).map((piece) => [{ text: piece }] as Record<string, unknown>[]);
  if (thoughtParts.length > 0) pieces.unshift(thoughtParts);
  if (extraParts.length > 0) pieces.push(extraParts);
  if (pieces.length === 0) pieces.push([]);
  return {
    responses: pieces.map((parts, i) => {
      const last = i === pieces.length - 1;
      return envelope(
        last
          ? { candidates: [candidate(parts, true)], usageMetadata: finalUsage }
          : { candidates: [candidate(parts, false)] },
      );
    }),
  };
}

function hasTool(request: GeminiRequest, name: 'googleSearch' | 'urlContext'): boolean {
  return (request.tools ?? []).some((tool) => typeof tool === 'object' && tool !== null && name in tool);
}

function groundingMetadata(text: string, grounding: NonNullable<GeminiReply['grounding']>) {
  const chunks = grounding.sources.map((source) => ({ web: { uri: source.uri, title: source.title } }));
  return {
    webSearchQueries: grounding.queries ?? ['query'],
    searchEntryPoint: { renderedContent: '<style>.container{}</style><div class="container">…</div>' },
    groundingChunks: chunks,
    // One support for the whole answer, citing every chunk: enough for clients that read them.
    groundingSupports:
      chunks.length > 0
        ? [
            {
              segment: { startIndex: 0, endIndex: Buffer.byteLength(text), text },
              groundingChunkIndices: chunks.map((_, i) => i),
              confidenceScores: chunks.map(() => 0.9),
            },
          ]
        : [],
  };
}

function usage(reply: GeminiReply, promptTokenCount: number, candidatesTokenCount: number): GeminiUsage {
  const out: GeminiUsage = {
    promptTokenCount,
    candidatesTokenCount: reply.usage?.candidatesTokenCount ?? candidatesTokenCount,
  };
  const thoughts =
    reply.usage?.thoughtsTokenCount ?? (reply.thought !== undefined ? textTokens(reply.thought) : undefined);
  if (thoughts !== undefined) out.thoughtsTokenCount = thoughts;
  out.totalTokenCount =
    reply.usage?.totalTokenCount ?? promptTokenCount + (out.candidatesTokenCount ?? 0) + (thoughts ?? 0);
  if (out.candidatesTokenCount === 0) delete out.candidatesTokenCount;
  return out;
}
