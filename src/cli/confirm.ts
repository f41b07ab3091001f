/**
 * Confirmation for commands that destroy data (`migrate down`, `backup prune`, `users forget`): --yes goes
 * ahead; at a terminal the operator answers a question whose default is no; anywhere else (a
 * pipe, cron, --json) there is nobody to ask, so the command is refused (USAGE, exit 2) naming
 * --yes before it touches anything. A typo or a wrong number then costs a question, not data.
 */
import { BotctlError } from '../domain/errors.js';

export interface Confirmation {
  /** True to go ahead: --yes, or "y"/"yes" typed at the prompt. */
  ask(lines: readonly string[], question: string): Promise<boolean>;
}

/**
 * Throws USAGE off a terminal without --yes; otherwise returns the confirmation to ask once the
 * command knows what it would destroy. `refusal` says what the command does, `hint` how to look first.
 */
export function destructive(options: {
  yes: boolean;
  interactive: boolean;
  refusal: string;
  hint: string;
}): Confirmation {
  if (options.yes) return { ask: async () => true };
  if (!options.interactive) {
    throw new BotctlError(
      'USAGE',
      `${options.refusal}: pass --yes to confirm (there is no terminal to ask)`,
      {
        hint: options.hint,
      },
    );
  }
  return {
    async ask(lines, question) {
      const { createPrompter, PromptCancelled } = await import('./prompter.js');
      const io = createPrompter();
      try {
        for (const line of lines) io.say(line);
        const answer = (await io.ask(`${question} [y/N] `)).toLowerCase();
        return answer === 'y' || answer === 'yes';
      } catch (error) {
        if (error instanceof PromptCancelled) return false;
        throw error;
      } finally {
        io.close();
      }
    },
  };
}

/** A terminal to ask at: stdin is a TTY and the output is for a person (not --json). */
export const canAsk = (json: boolean): boolean => !json && process.stdin.isTTY === true;
