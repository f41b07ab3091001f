/**
 * Answers in flight, by chat key, so /stop (which bypasses per-chat ordering) can cancel
 * the one running in its chat, and shutdown can tell how many are still running.
 */
export function createInFlight() {
  const running = new Map<string, AbortController>();
  return {
    begin(chatKey: string): AbortController {
      const controller = new AbortController();
      running.set(chatKey, controller);
      return controller;
    },
    end(chatKey: string, controller: AbortController): void {
      if (running.get(chatKey) === controller) running.delete(chatKey);
    },
    /** Cancels the chat's running answer; false when there is none. */
    cancel(chatKey: string): boolean {
      const controller = running.get(chatKey);
      if (!controller) return false;
      controller.abort(new Error('stopped by user'));
      running.delete(chatKey);
      return true;
    },
    size: () => running.size,
  };
}

export type InFlight = ReturnType<typeof createInFlight>;
