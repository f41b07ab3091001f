/**
 * Answers in flight, by chat key, so /stop (which bypasses per-chat ordering) can cancel
 * the one running in its chat, and shutdown can tell how many are still running and, at its
 * timeout, cancel them all before the database closes under them.
 */
export function createInFlight() {
  const running = new Map<string, AbortController>();
  let closed: Error | undefined;
  return {
    /** Registers the chat's answer; after cancelAll it starts cancelled (shutdown is under way). */
    begin(chatKey: string): AbortController {
      const controller = new AbortController();
      if (closed) controller.abort(closed);
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
    /** Shutdown: cancels every running answer and every one that begins later; returns how many ran. */
    cancelAll(reason: Error): number {
      closed = reason;
      const count = running.size;
      for (const controller of running.values()) controller.abort(reason);
      running.clear();
      return count;
    },
    size: () => running.size,
  };
}

export type InFlight = ReturnType<typeof createInFlight>;
