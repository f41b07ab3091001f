/**
 * Answers in flight, by chat key, so /stop (which bypasses per-chat ordering) can cancel
 * the one running in its chat, and shutdown can tell how many are still running and, at its
 * timeout, cancel them all before the database closes under them.
 */
export function createInFlight() {
  const running = new Map<string, AbortController>();
  let closed: Error | undefined;
  /** Reaches answers running on other instances (daemon/stop-relay.ts); none by default. */
  let elsewhere: ((chatKey: string) => Promise<boolean>) | undefined;
  /** Cancels the chat's running answer here; false when there is none. */
  const cancel = (chatKey: string): boolean => {
    const controller = running.get(chatKey);
    if (!controller) return false;
    controller.abort(new Error('stopped by user'));
    running.delete(chatKey);
    return true;
  };
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
    cancel,
    /**
     * /stop: cancels the chat's answer running here or, with several instances, on the one that
     * runs it (an update of the chat may have gone to another); false when none runs anywhere.
     */
    async stop(chatKey: string): Promise<boolean> {
      return cancel(chatKey) || ((await elsewhere?.(chatKey)) ?? false);
    },
    reachOthers(stopElsewhere: (chatKey: string) => Promise<boolean>): void {
      elsewhere = stopElsewhere;
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
