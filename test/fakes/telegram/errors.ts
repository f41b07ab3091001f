// Bot API failures. Handlers throw these; the server turns them into the
// { ok: false, error_code, description, parameters } envelope with the same HTTP status, like Telegram.

export class BotApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(description);
    this.name = 'BotApiError';
  }
}

export const badRequest = (what: string): BotApiError => new BotApiError(400, `Bad Request: ${what}`);

export const tooManyRequests = (retryAfter: number): BotApiError =>
  new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);

/** Telegram's wording for the common codes, used when a test injects a failure without a description. */
export function defaultDescription(code: number): string {
  switch (code) {
    case 400:
      return 'Bad Request: chat not found';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden: bot was blocked by the user';
    case 404:
      return 'Not Found';
    case 409:
      return 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
    case 429:
      return 'Too Many Requests: retry after 1';
    case 500:
      return 'Internal Server Error';
    case 502:
      return 'Bad Gateway';
    default:
      return `Error ${code}`;
  }
}
