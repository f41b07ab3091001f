// A log of recorded items that tests can await. A wait first looks at what already arrived, because the
// code under test often acts before the test gets to call waitFor (an await-after-act race otherwise).

interface Pending<T> {
  predicate: (item: T) => boolean;
  resolve: (item: T) => void;
}

export class WaitableLog<T> {
  readonly items: T[] = [];
  private pending: Pending<T>[] = [];

  /**
   * @param describe one line per item for timeout messages
   * @param ready an item is only matched once ready (e.g. a call once its response is known), so a test
   *   woken by a call can immediately inspect what that call did
   */
  constructor(
    private readonly describe: (item: T) => string,
    private readonly ready: (item: T) => boolean = () => true,
  ) {}

  /** Records an item; waiters see it once ready (call notify then, unless it is ready already). */
  add(item: T): void {
    this.items.push(item);
    if (this.ready(item)) this.notify(item);
  }

  notify(item: T): void {
    for (const waiter of [...this.pending]) {
      if (!safeMatch(waiter.predicate, item)) continue;
      this.pending = this.pending.filter((w) => w !== waiter);
      waiter.resolve(item);
    }
  }

  clear(): void {
    this.items.length = 0;
  }

  waitFor(predicate: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    const found = this.items.find((item) => this.ready(item) && safeMatch(predicate, item));
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter: Pending<T> = {
        predicate,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        this.pending = this.pending.filter((w) => w !== waiter);
        const recent = this.items.slice(-15).map((item) => `  - ${this.describe(item)}`);
        const seen =
          recent.length > 0 ? `last ${recent.length} of ${this.items.length}:\n${recent.join('\n')}` : 'none';
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Recorded so far (${seen})`));
      }, timeoutMs);
      this.pending.push(waiter);
    });
  }
}

// A predicate that throws (e.g. reading a field of a different call shape) simply does not match.
function safeMatch<T>(predicate: (item: T) => boolean, item: T): boolean {
  try {
    return predicate(item);
  } catch {
    return false;
  }
}

/** One-line, bounded summary of a value for timeout messages. */
export function brief(value: unknown, max = 160): string {
  // Buffer#toJSON runs before a replacer sees the value, so recognise its { type, data } form too.
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return `<${v.length} bytes>`;
    const o = v as { type?: unknown; data?: unknown } | null;
    if (o !== null && typeof o === 'object' && o.type === 'Buffer' && Array.isArray(o.data)) {
      return `<${o.data.length} bytes>`;
    }
    return v;
  });
  if (text === undefined) return String(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
