/**
 * Translates what @google/genai throws into BotctlErrors. The SDK surfaces HTTP failures as
 * `ApiError { name: 'ApiError', status, message }` whose message is the JSON error body
 * (`{"error":{"code","message","status","details":[...]}}`), or `got status: X. {json}` for an
 * error event inside an SSE stream; transport failures are undici's `TypeError('fetch failed')`
 * (cause: ECONNREFUSED, ...) or `TypeError('terminated')` when a body is cut mid-stream.
 */
import { BotctlError } from '../../domain/errors.js';

const KEY_HINT = 'Check BOTCTL_GEMINI_API_KEY: create or copy a key at https://aistudio.google.com/apikey.';
const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const NETWORK_CODES = /^(ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|UND_ERR_)/;

interface ApiErrorLike {
  name: 'ApiError';
  status: number;
  message: string;
}

interface ErrorBody {
  message?: string;
  status?: string;
  details?: Array<{ '@type'?: string; retryDelay?: string; reason?: string }>;
}

export interface ErrorContext {
  apiKey: string;
  model: string;
}

/** Removes the API key from any text that leaves this adapter. */
function scrub(text: string, apiKey: string): string {
  return apiKey.length >= 4 ? text.split(apiKey).join('***') : text;
}

function isApiError(error: unknown): error is ApiErrorLike {
  const e = error as Partial<ApiErrorLike> | null;
  return e instanceof Error && e.name === 'ApiError' && typeof e.status === 'number';
}

/** google.rpc.RetryInfo.retryDelay is a Duration in JSON form: "2s", "1.5s", "0.250s". */
function parseRetryDelay(value: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value?.trim() ?? '');
  if (match === null) return undefined;
  // Whole seconds, rounded up: waiting a little longer than asked is always safe.
  return Math.max(1, Math.ceil(Number(match[1])));
}

/** The `error` object of the JSON body inside an ApiError message, if there is one. */
function parseErrorBody(message: string): ErrorBody {
  const start = message.indexOf('{');
  if (start === -1) return {};
  try {
    const parsed = JSON.parse(message.slice(start)) as { error?: ErrorBody };
    return typeof parsed.error === 'object' && parsed.error !== null ? parsed.error : {};
  } catch {
    return {};
  }
}

function translateApiError(error: ApiErrorLike, context: ErrorContext): BotctlError {
  const body = parseErrorBody(error.message);
  const status = error.status;
  const serverMessage = scrub((body.message ?? error.message).slice(0, 300), context.apiKey);
  const label = `Gemini answered ${status}${body.status ? ` ${body.status}` : ''}: ${serverMessage}`;
  // Pass our own copy as cause: a logger that prints causes must not print a body that echoed the key.
  const cause = new Error(scrub(error.message, context.apiKey));
  const params: Record<string, string | number> = { status };
  const keyRejected =
    status === 401 ||
    status === 403 ||
    /API key not valid|API_KEY_INVALID/i.test(error.message) ||
    body.details?.some((d) => d.reason === 'API_KEY_INVALID') === true;
  if (keyRejected) {
    return new BotctlError('GEMINI_UNAUTHORIZED', label, { cause, params, hint: KEY_HINT });
  }
  if (status === 429 || status === 408 || status >= 500) {
    const delay = body.details?.find((d) => d['@type'] === RETRY_INFO)?.retryDelay;
    const retryAfterSeconds = parseRetryDelay(delay);
    if (retryAfterSeconds !== undefined) params.retryAfterSeconds = retryAfterSeconds;
    // 429 is the key's rate limit or quota: the model is busy for us, not down.
    const code = status === 429 ? 'GEMINI_BUSY' : 'GEMINI_UNAVAILABLE';
    return new BotctlError(code, label, { cause, params, retryable: true });
  }
  if (status === 404) {
    return new BotctlError('GEMINI_UNAVAILABLE', label, {
      cause,
      params: { ...params, model: context.model },
      retryable: false,
      hint: `The model "${context.model}" is not available to this key: run \`botctl setup\` to list the models it can use, or check BOTCTL_MODEL.`,
    });
  }
  return new BotctlError('GEMINI_UNAVAILABLE', label, { cause, params, retryable: false });
}

/** Everything that is not an ApiError, an abort or a timeout (those are decided by the caller). */
export function translateOtherError(error: unknown, context: ErrorContext): BotctlError {
  if (error instanceof BotctlError) return error;
  if (isApiError(error)) return translateApiError(error, context);
  const message = scrub(describeError(error), context.apiKey);
  const code = networkCode(error);
  if (code !== undefined) {
    return new BotctlError('GEMINI_UNAVAILABLE', `Could not reach Gemini (${code}): ${message}`, {
      cause: new Error(message),
      retryable: true,
      hint: 'Check the network, and BOTCTL_GEMINI_BASE_URL if a proxy is configured.',
    });
  }
  // Unknown failures (SDK parse errors on a garbled stream, ...) are reported but not retried blindly.
  return new BotctlError('GEMINI_UNAVAILABLE', `Gemini call failed: ${message}`, {
    cause: new Error(message),
    retryable: false,
  });
}

/** undici's transport errors: 'fetch failed' / 'terminated', the socket error (with a code) as cause. */
function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) return code;
  }
  if (error instanceof TypeError && /^(fetch failed|terminated)$/.test(error.message)) return 'network';
  return undefined;
}

/** "fetch failed" says little: add the innermost cause ("connect ECONNREFUSED 10.0.0.1:443"). */
function describeError(error: unknown): string {
  let text = error instanceof Error ? error.message : String(error);
  let inner: unknown = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; inner instanceof Error && depth < 4; inner = inner.cause, depth++)
    text += `: ${inner.message}`;
  return text;
}

export function timeoutError(timeoutMs: number, method: string): BotctlError {
  return new BotctlError('GEMINI_UNAVAILABLE', `Gemini did not answer ${method} within ${timeoutMs} ms`, {
    retryable: true,
    params: { timeoutMs },
    hint: 'Gemini is slow or unreachable; BOTCTL_GEMINI_TIMEOUT_MS sets how long to wait.',
  });
}
