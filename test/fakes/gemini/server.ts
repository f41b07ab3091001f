// HTTP front of the fake Gemini API. Paths as @google/genai 3.x builds them from baseUrl:
//   GET  /v1/models?pageSize&pageToken          GET /v1/models/{model}
//   POST /v1/models/{model}:generateContent     POST /v1/models/{model}:streamGenerateContent?alt=sse
//   POST /v1/models/{model}:countTokens
//   POST /upload/v1/files (resumable)           GET|DELETE /v1/files/{id}, GET /v1/files
// v1beta (and v1alpha) are served the same way.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, sleep } from '../shared/http.js';
import { googleError, invalidApiKey, missingApiKey, type GoogleErrorBody } from './errors.js';
import type { GeminiFiles } from './files.js';
import { pageOf, type GeminiModel } from './models.js';
import {
  buildResponses,
  estimateTokens,
  lastUserText,
  type Content,
  type GeminiGenerateRequest,
  type GeminiMethod,
  type GeminiReply,
  type GeminiRequest,
} from './responses.js';

export interface GeminiServerState {
  apiKey: string;
  models: GeminiModel[];
  strictModels: boolean;
  files: GeminiFiles;
  record(request: GeminiRequest): void;
  /** Next scripted reply for a generate call (queue first, then the handler). */
  nextReply(request: GeminiGenerateRequest): Promise<GeminiReply>;
}

const API = /^\/(v1|v1beta|v1alpha)\/(.+)$/;
const UPLOAD = /^\/upload\/(v1|v1beta|v1alpha)\/files$/;

export function createGeminiHandler(state: GeminiServerState) {
  return async function handle(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const upload = UPLOAD.exec(url.pathname);
    const api = upload === null ? API.exec(url.pathname) : null;
    const apiVersion = upload?.[1] ?? api?.[1] ?? '';
    const rest = api?.[2] ?? '';
    const route = routeOf(req.method ?? 'GET', rest, upload !== null);
    const key = headerValue(req, 'x-goog-api-key') ?? url.searchParams.get('key') ?? undefined;
    const request = newRequest(route, apiVersion, url, key);

    const fail = (status: number, body: GoogleErrorBody): void => {
      request.status = status;
      sendJson(res, status, body);
    };
    if (route === undefined) {
      await readBody(req);
      fail(404, googleError({ status: 404, message: `Method not found: ${req.method} ${url.pathname}` }));
      return;
    }
    if (route.method === 'files.upload') {
      state.record(request);
      if (!authorised(key, state.apiKey, fail)) return void (await readBody(req));
      await state.files.upload(req, res, apiVersion, url);
      request.status = res.statusCode;
      return;
    }
    const raw = await readBody(req);
    if (raw.length > 0) {
      try {
        request.body = JSON.parse(raw.toString('utf8'));
      } catch {
        state.record(request);
        fail(400, googleError({ status: 400, message: 'Invalid JSON payload received.' }));
        return;
      }
    }
    fillContents(request);
    state.record(request);
    if (!authorised(key, state.apiKey, fail)) return;

    switch (route.method) {
      case 'models.list': {
        const size = url.searchParams.get('pageSize');
        const page = pageOf(
          state.models,
          size !== null ? Number(size) : undefined,
          url.searchParams.get('pageToken') ?? undefined,
        );
        request.status = 200;
        sendJson(res, 200, page);
        return;
      }
      case 'models.get': {
        const found = state.models.find((m) => m.name === `models/${request.model}`);
        if (found === undefined) {
          fail(
            404,
            googleError({
              status: 404,
              message: `models/${request.model} is not found for API version ${apiVersion}`,
            }),
          );
          return;
        }
        request.status = 200;
        sendJson(res, 200, found);
        return;
      }
      case 'files.get':
      case 'files.delete':
      case 'files.list': {
        if (route.method === 'files.list') state.files.list(res);
        else if (route.method === 'files.get') state.files.get(res, route.id ?? '');
        else state.files.delete(res, route.id ?? '');
        request.status = res.statusCode;
        return;
      }
      default:
        break;
    }
    if (!modelSupports(state, request, apiVersion, fail)) return;
    if (route.method === 'countTokens') {
      const inner = (request.body as { generateContentRequest?: { contents?: Content[] } } | undefined)
        ?.generateContentRequest;
      const contents = inner?.contents ?? request.contents;
      const totalTokens = estimateTokens(contents, request.systemInstruction);
      request.status = 200;
      sendJson(res, 200, {
        totalTokens,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }],
      });
      return;
    }
    const reply = await state.nextReply(request as GeminiGenerateRequest);
    await answerGenerate(res, request, reply, url.searchParams.get('alt') === 'sse');
  };
}

interface Route {
  method: GeminiMethod;
  model?: string;
  id?: string;
}

function routeOf(httpMethod: string, rest: string, isUpload: boolean): Route | undefined {
  if (isUpload) return httpMethod === 'POST' ? { method: 'files.upload' } : undefined;
  if (rest === 'models' && httpMethod === 'GET') return { method: 'models.list' };
  if (rest === 'files' && httpMethod === 'GET') return { method: 'files.list' };
  const file = /^files\/([^/:]+)$/.exec(rest);
  if (file !== null) {
    if (httpMethod === 'GET') return { method: 'files.get', id: file[1] ?? '' };
    if (httpMethod === 'DELETE') return { method: 'files.delete', id: file[1] ?? '' };
    return undefined;
  }
  const model = /^(?:models|tunedModels)\/([^/:]+)(?::([A-Za-z]+))?$/.exec(rest);
  if (model === null) return undefined;
  const id = decodeURIComponent(model[1] ?? '');
  const action = model[2];
  if (action === undefined) return httpMethod === 'GET' ? { method: 'models.get', model: id } : undefined;
  if (httpMethod !== 'POST') return undefined;
  if (action === 'generateContent' || action === 'streamGenerateContent' || action === 'countTokens') {
    return { method: action, model: id };
  }
  return undefined;
}

function newRequest(
  route: Route | undefined,
  apiVersion: string,
  url: URL,
  apiKey: string | undefined,
): GeminiRequest {
  return {
    method: route?.method ?? ('unknown' as GeminiMethod),
    model: route?.model ?? '',
    apiVersion,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    apiKey,
    body: undefined,
    contents: [],
    systemInstruction: undefined,
    generationConfig: undefined,
    tools: undefined,
    lastUserText: '',
    at: Date.now(),
  };
}

function fillContents(request: GeminiRequest): void {
  const body = (request.body ?? {}) as {
    contents?: Content[];
    systemInstruction?: Content;
    generationConfig?: Record<string, unknown>;
    tools?: unknown[];
  };
  request.contents = Array.isArray(body.contents) ? body.contents : [];
  request.systemInstruction = body.systemInstruction;
  request.generationConfig = body.generationConfig;
  request.tools = body.tools;
  request.lastUserText = lastUserText(request.contents);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function authorised(
  key: string | undefined,
  valid: string,
  fail: (status: number, body: GoogleErrorBody) => void,
): boolean {
  if (key === undefined || key === '') fail(403, missingApiKey());
  else if (key !== valid) fail(400, invalidApiKey());
  else return true;
  return false;
}

function modelSupports(
  state: GeminiServerState,
  request: GeminiRequest,
  apiVersion: string,
  fail: (status: number, body: GoogleErrorBody) => void,
): boolean {
  if (!state.strictModels) return true;
  const found = state.models.find((m) => m.name === `models/${request.model}`);
  const wanted = request.method === 'streamGenerateContent' ? 'generateContent' : request.method;
  if (found !== undefined && found.supportedGenerationMethods.includes(wanted)) return true;
  fail(
    404,
    googleError({
      status: 404,
      message: `models/${request.model} is not found for API version ${apiVersion}, or is not supported for ${wanted}. Call ListModels to see the list of available models and their supported methods.`,
    }),
  );
  return false;
}

async function answerGenerate(
  res: ServerResponse,
  request: GeminiRequest,
  reply: GeminiReply,
  sse: boolean,
): Promise<void> {
  // "hang": keep the socket open and never answer; close() or the client's abort ends it.
  if (reply.hang === true) return;
  const stream = request.method === 'streamGenerateContent';
  const built = buildResponses(reply, request, stream);
  const chunkDelay = reply.chunkDelayMs ?? 0;
  if (reply.error !== undefined) {
    await sleep(reply.firstTokenDelayMs ?? 0);
    request.status = reply.error.status;
    sendJson(res, reply.error.status, googleError({ ...reply.error, model: request.model }));
    return;
  }
  if (!stream) {
    await sleep((reply.firstTokenDelayMs ?? 0) + chunkDelay * Math.max(0, (reply.chunks?.length ?? 1) - 1));
    request.status = 200;
    sendJson(res, 200, built.responses[0]);
    return;
  }
  if (!sse) {
    // Without alt=sse the API streams one JSON array; the fake sends it whole after the delays.
    await sleep((reply.firstTokenDelayMs ?? 0) + chunkDelay * Math.max(0, built.responses.length - 1));
    request.status = 200;
    sendJson(res, 200, built.responses);
    return;
  }
  request.status = 200;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  let gone = false;
  // 'close' before the end means the client went away (an aborted stream); stop writing then.
  res.once('close', () => (gone = true));
  const errorAfter = reply.streamError !== undefined ? (reply.streamError.afterChunks ?? 1) : Infinity;
  for (const [index, response] of built.responses.entries()) {
    await sleep(index === 0 ? (reply.firstTokenDelayMs ?? 0) : chunkDelay);
    if (gone || res.destroyed) return;
    if (index >= errorAfter && reply.streamError !== undefined) {
      res.end(`data: ${JSON.stringify(googleError(reply.streamError))}\r\n\r\n`);
      return;
    }
    res.write(`data: ${JSON.stringify(response)}\r\n\r\n`);
    request.chunksAt = [...(request.chunksAt ?? []), Date.now()];
  }
  if (reply.streamError !== undefined && errorAfter >= built.responses.length) {
    res.end(`data: ${JSON.stringify(googleError(reply.streamError))}\r\n\r\n`);
    return;
  }
  res.end();
}
