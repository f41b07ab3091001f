/** What services report about their work; app/metrics.ts records it in Prometheus. */
export interface Metrics {
  updateReceived(type: string): void;
  updateHandled(type: string, seconds: number): void;
  /** An update the bot could not route, stored and skipped (reason: update-shape.ts REJECT_REASONS). */
  updateRejected(reason: string): void;
  /** An update whose reply a long Telegram flood wait refused, held in the inbox until it ends. */
  updateDeferred(): void;
  geminiCall(call: {
    model: string;
    outcome: string;
    seconds: number;
    tokensIn: number;
    tokensOut: number;
  }): void;
  error(code: string): void;
  telegramRateLimited(): void;
}

/** The logger shape services use (pino's, narrowed), so services need no pino import. */
export interface Log {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Log;
}
