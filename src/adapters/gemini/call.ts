/**
 * One model call's abort wiring. The SDK aborts its fetch with a reason-less AbortError both on
 * its own `httpOptions.timeout` and on our `abortSignal`, so the error alone cannot say whether
 * the caller cancelled or the deadline passed: this keeps the deadline ourselves and remembers
 * which of the two fired.
 */
export interface CallControl {
  /** Pass to the SDK as `config.abortSignal`: fires on the caller's abort or on the deadline. */
  readonly signal: AbortSignal;
  /** Re-arms the deadline (stream chunks: the wait is for progress, not for the whole answer). */
  touch(): void;
  readonly timedOut: boolean;
  readonly callerAborted: boolean;
  /**
   * Stops the timer; unless the work completed (its response read to the end), also tears down
   * whatever is still open, e.g. a stream left early by a throwing onText. Aborting a finished
   * fetch is not free (the SDK's and undici's listeners run), so it is skipped on the hot path.
   */
  finish(how?: { completed: boolean }): void;
}

export function startCall(caller: AbortSignal | undefined, timeoutMs: number): CallControl {
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
    }, timeoutMs);
  };
  arm();
  return {
    signal: caller === undefined ? controller.signal : AbortSignal.any([caller, controller.signal]),
    touch: () => {
      if (!controller.signal.aborted) arm();
    },
    get timedOut() {
      return timedOut;
    },
    get callerAborted() {
      return caller?.aborted === true;
    },
    finish(how) {
      clearTimeout(timer);
      if (how?.completed !== true) controller.abort();
    },
  };
}

/** What a caller's abort rejects with: the signal's own reason (a DOMException AbortError unless the caller chose one). */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
