// HTTP front of the fake Bot API: /bot<token>/<method> and /file/bot<token>/<file_path>.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../shared/http.js';
import { parseParams, type Params } from './body.js';
import { BotApiError } from './errors.js';
import { botMethods } from './methods/bot.js';
import { mediaMethods } from './methods/media.js';
import { messageMethods } from './methods/messages.js';
import { paymentMethods } from './methods/payments.js';
import type { MethodHandler, RequestIo, TelegramState } from './state.js';

export type Envelope =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after: number } };

export interface TelegramCall {
  /** Canonical Bot API method name ('downloadFile' for a GET of /file/bot<token>/<path>). */
  method: string;
  /** Parsed parameters; uploaded files appear as { filename, bytes, contentType }. */
  params: Params;
  /** Epoch ms when the request arrived. */
  at: number;
  token: string;
  /** What the fake answered; set once the call completed. */
  response?: Envelope;
  /** True when the method came back in a webhook response body rather than as its own request. */
  viaWebhookReply?: boolean;
}

const HANDLERS: Record<string, MethodHandler> = {
  ...botMethods,
  ...messageMethods,
  ...mediaMethods,
  ...paymentMethods,
};
// Telegram matches method names case-insensitively.
const BY_LOWER = new Map(Object.keys(HANDLERS).map((name) => [name.toLowerCase(), name]));

export interface CallSink {
  add(call: TelegramCall): void;
  notify(call: TelegramCall): void;
}

export function createDispatcher(state: TelegramState, calls: CallSink) {
  /** Runs one method call as Telegram would, recording it. */
  async function run(call: TelegramCall, io: RequestIo): Promise<Envelope> {
    calls.add(call);
    const envelope = await execute(call, io);
    call.response = envelope;
    calls.notify(call);
    return envelope;
  }

  async function execute(call: TelegramCall, io: RequestIo): Promise<Envelope> {
    try {
      if (call.token !== state.token) throw new BotApiError(401, 'Unauthorized');
      const canonical = BY_LOWER.get(call.method.toLowerCase());
      const handler = canonical !== undefined ? HANDLERS[canonical] : undefined;
      if (canonical === undefined || handler === undefined) throw new BotApiError(404, 'Not Found');
      call.method = canonical;
      await state.faults.delay(canonical);
      state.faults.check(canonical, call.params, (chatId) => state.isGroup(chatId));
      return { ok: true, result: await handler(call.params, state, io) };
    } catch (error) {
      if (!(error instanceof BotApiError)) throw error;
      const envelope: Envelope = { ok: false, error_code: error.code, description: error.description };
      if (error.retryAfter !== undefined) envelope.parameters = { retry_after: error.retryAfter };
      return envelope;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (download !== null) return serveFile(decodeURIComponent(download[1] ?? ''), download[2] ?? '', res);
    const api = /^\/bot([^/]+)\/(?:test\/)?([A-Za-z0-9_]+)$/.exec(url.pathname);
    if (api === null) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    let params: Params;
    try {
      params = await parseParams(req, url);
    } catch (error) {
      if (!(error instanceof BotApiError)) throw error;
      sendJson(res, error.code, { ok: false, error_code: error.code, description: error.description });
      return;
    }
    const call: TelegramCall = {
      method: api[2] ?? '',
      params,
      at: Date.now(),
      token: decodeURIComponent(api[1] ?? ''),
    };
    const io: RequestIo = {
      onAbort(cancel) {
        res.on('close', () => {
          if (!res.writableFinished) cancel();
        });
      },
    };
    const envelope = await run(call, io);
    sendJson(res, envelope.ok ? 200 : envelope.error_code, envelope);
  }

  function serveFile(token: string, rawPath: string, res: ServerResponse): void {
    const filePath = decodeURIComponent(rawPath);
    const call: TelegramCall = {
      method: 'downloadFile',
      params: { file_path: filePath },
      at: Date.now(),
      token,
    };
    calls.add(call);
    const record = token === state.token ? state.store.fileByPath(filePath) : undefined;
    const envelope: Envelope =
      token !== state.token
        ? { ok: false, error_code: 401, description: 'Unauthorized' }
        : record === undefined
          ? { ok: false, error_code: 404, description: 'Not Found' }
          : { ok: true, result: { bytes: record.bytes.length } };
    call.response = envelope;
    calls.notify(call);
    if (!envelope.ok || record === undefined) {
      sendJson(res, envelope.ok ? 404 : envelope.error_code, envelope);
      return;
    }
    res.writeHead(200, {
      'content-type': record.contentType ?? 'application/octet-stream',
      'content-length': String(record.bytes.length),
    });
    res.end(record.bytes);
  }

  /** Executes a method returned in a webhook response body, as Telegram does. */
  async function runWebhookReply(method: string, params: Params): Promise<void> {
    await run(
      { method, params, at: Date.now(), token: state.token, viaWebhookReply: true },
      { onAbort() {} },
    );
  }

  return { handle, runWebhookReply };
}
