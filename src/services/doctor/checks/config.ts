import type { Check } from '../types.js';
import { fail, pass } from './outcome.js';

export const configCheck: Check = {
  id: 'config',
  title: 'Configuration',
  async run(ctx) {
    if (ctx.configProblems.length > 0) {
      return fail(
        ctx.configProblems.join('; '),
        'fix each with `botctl config set <key> <value>` (or rerun `botctl setup`)',
      );
    }
    return pass(
      ctx.configFileExists ? `valid (${ctx.configFile})` : 'valid (no config file: defaults and environment)',
    );
  },
};
