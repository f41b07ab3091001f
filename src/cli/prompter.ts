/**
 * Terminal prompts on node:readline/promises (no dependency): one readline for the session,
 * secrets typed without echo (the readline's output is muted while a secret is read), and
 * Ctrl-C or Ctrl-D at a prompt rejecting with PromptCancelled so the caller can stop before
 * writing anything.
 */
import readline from 'node:readline/promises';
import { Writable } from 'node:stream';

export class PromptCancelled extends Error {
  constructor() {
    super('cancelled at a prompt');
    this.name = 'PromptCancelled';
  }
}

export interface Prompter {
  /** The trimmed answer; '' when the user just pressed Enter. */
  ask(question: string, options?: { secret?: boolean }): Promise<string>;
  /** A line for the person at the terminal (not part of --json output; setup never prompts with --json). */
  say(line: string): void;
  close(): void;
}

export function createPrompter(
  input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Prompter {
  let muted = false;
  let cancelled = false;
  let pending: AbortController | undefined;
  // Everything readline echoes goes through here, so a secret's keystrokes can be dropped.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) output.write(chunk);
      done();
    },
  });
  const rl = readline.createInterface({ input, output: sink, terminal: input.isTTY === true });
  const cancel = () => {
    cancelled = true;
    pending?.abort();
  };
  rl.on('SIGINT', cancel);
  rl.on('close', cancel);

  return {
    async ask(question, options = {}) {
      if (cancelled) throw new PromptCancelled();
      pending = new AbortController();
      // question() writes the prompt synchronously, so muting right after keeps the prompt visible.
      const answer = rl.question(question, { signal: pending.signal });
      muted = options.secret === true;
      try {
        return (await answer).trim();
      } catch {
        throw new PromptCancelled();
      } finally {
        if (muted) output.write('\n');
        muted = false;
        pending = undefined;
      }
    },
    say(line) {
      output.write(`${line}\n`);
    },
    close() {
      rl.removeListener('close', cancel);
      rl.close();
    },
  };
}
