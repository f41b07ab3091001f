/** The language model: requests, results and the model itself. */
import type { Source } from '../grounding.js';

export type ChatPart =
  | { text: string }
  /** Bytes sent inline (base64), e.g. a voice note or a photo. */
  | { inlineData: { mimeType: string; data: string } }
  /** A file uploaded to the model provider's file store. */
  | { fileData: { mimeType: string; fileUri: string } };

/**
 * Called with each new piece of a streamed answer and the text so far. `final`: the model said it
 * has finished (this piece carries its finish reason), so the whole answer is about to be shown and
 * a preview of it would only cost a call.
 */
export type OnText = (delta: string, soFar: string, final: boolean) => void;

export interface ChatTurn {
  role: 'user' | 'model';
  parts: ChatPart[];
}

export interface ChatRequest {
  model: string;
  systemInstruction?: string;
  turns: ChatTurn[];
  maxOutputTokens?: number;
  /** Aborts the call (/stop, shutdown, timeout). */
  signal?: AbortSignal;
  /** Non-text output: speech in the named voice (TTS models) or an image (image models). Default: text. */
  output?: { kind: 'speech'; voice: string } | { kind: 'image' };
  /** Let the model ground the answer in Google Search (domain/grounding.ts). */
  search?: boolean;
  /** Let the model read the links in the question, on Google's side (domain/links.ts). */
  urlContext?: boolean;
}

export interface ChatResult {
  text: string;
  tokensIn: number;
  tokensOut: number;
  /** The provider's finish reason (STOP, MAX_TOKENS, ...), null when absent. */
  finishReason: string | null;
  model: string;
  /** Audio or image parts of the answer (base64), for requests with `output`. */
  media?: { mimeType: string; data: string }[];
  /** The answer was grounded in Google Search (a billed search ran): its web sources, in order, raw. */
  grounding?: { sources: Source[] };
  /** Links URL context tried and could not read (urlContext requests), as the provider named them. */
  unreadUrls?: string[];
}

export interface ModelInfo {
  /** Id without the `models/` prefix, as used in config. */
  id: string;
  displayName: string | null;
  methods: string[];
}

/**
 * The language model. Implementations translate provider errors into BotctlErrors:
 * GEMINI_UNAUTHORIZED (bad key), GEMINI_UNAVAILABLE (429/5xx/timeout/network; retryable,
 * with params.retryAfterSeconds when the provider said so; 400s are not retryable),
 * GEMINI_BLOCKED (prompt or answer blocked for safety), GEMINI_EMPTY (no answer at all).
 */
export interface ChatModel {
  /** Streams the answer; onText gets each new piece, the text so far, and whether it is the last piece. */
  stream(request: ChatRequest, onText: OnText): Promise<ChatResult>;
  generate(request: ChatRequest): Promise<ChatResult>;
  listModels(): Promise<ModelInfo[]>;
}
