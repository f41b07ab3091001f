/**
 * The exit-code map, for command help. Commands append EXIT_CODES_HELP to their description
 * so `botctl <command> --help` shows what a script can test for; README lists the same codes.
 */
import { EXIT } from '../domain/errors.js';

export const EXIT_CODE_MEANINGS: Readonly<Record<number, string>> = {
  [EXIT.ok]: 'success',
  [EXIT.failure]: 'failure (database, network, not found, a failed check)',
  [EXIT.usage]: 'usage or configuration error (bad flag or value, unknown command)',
  [EXIT.tempFail]: 'temporary: another botctl holds the lock; try again later',
  [EXIT.interrupted]: 'interrupted (Ctrl-C)',
};

export const EXIT_CODES_HELP =
  '\n\nExit codes: ' +
  Object.entries(EXIT_CODE_MEANINGS)
    .map(([code, meaning]) => `${code} ${meaning}`)
    .join('; ') +
  '. With --json, stdout is one envelope {status, result | error, warnings}.';
