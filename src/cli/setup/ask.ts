/**
 * One wizard question for one option: Enter keeps the current value (a secret is shown
 * masked), '-' clears an optional one, the answer is validated with the option's own schema
 * and then, if given, checked against the real service; a bad answer is explained and asked again.
 */
import type { OptionKey } from '../../config/schema.js';
import { checkOption, displayOption, formatOption, parseOption, spec } from '../../config/option-values.js';
import type { Prompter } from '../prompter.js';

export interface Question {
  key: OptionKey;
  text: string;
  current: unknown;
  /** Shown instead of the current value (e.g. the default SQLite path). */
  currentLabel?: string;
  required?: boolean;
  /** A value given as a flag or variable: used without asking unless it fails. */
  preset?: string;
  /** Maps an answer before parsing (e.g. a menu number to a model id). */
  transform?: (answer: string) => string;
  /** Looks at the real thing; returns what to show after a ✓, throws a coded error otherwise. */
  check?: (value: unknown) => Promise<string | undefined>;
}

export async function ask(io: Prompter, q: Question): Promise<unknown> {
  let preset = q.preset;
  for (;;) {
    const answer = preset ?? (await io.ask(prompt(q), { secret: spec(q.key).secret === true }));
    preset = undefined;
    if (answer === '-' && !q.required) return undefined;
    const raw = answer === '' ? formatOption(q.key, q.current) : (q.transform?.(answer) ?? answer);
    if (raw === '') {
      if (!q.required) return undefined;
      io.say('  ✗ required');
      continue;
    }
    const parsed = parseOption(q.key, raw);
    if (!parsed.ok) {
      io.say(`  ✗ ${parsed.problem}`);
      continue;
    }
    try {
      const shown = await q.check?.(parsed.value);
      if (shown) io.say(`  ✓ ${shown}`);
      return parsed.value;
    } catch (error) {
      io.say(`  ✗ ${(error as Error).message}`);
    }
  }
}

/** The schema's default, e.g. 'polling' for mode; undefined for options that are simply unset by default. */
export function schemaDefault(key: OptionKey): unknown {
  const parsed = checkOption(key, undefined);
  return parsed.ok ? parsed.value : undefined;
}

function prompt(q: Question): string {
  const shown = q.currentLabel ?? displayOption(q.key, q.current);
  const keep = shown === '' ? '' : spec(q.key).secret ? ` [Enter keeps ${shown}]` : ` [${shown}]`;
  // '-' resets to "unset", which only means something for options without a default.
  const clear = !q.required && shown !== '' && schemaDefault(q.key) === undefined ? ' (- for none)' : '';
  return `${q.text}${keep}${clear}: `;
}
