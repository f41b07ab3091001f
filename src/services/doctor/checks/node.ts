import type { Check } from '../types.js';
import { fail, pass } from './outcome.js';

/** botctl targets Node 22+ (package.json engines); 24 LTS is what the Docker image ships. */
export const nodeCheck: Check = {
  id: 'node',
  title: 'Node.js',
  async run(ctx) {
    const major = Number(/^v?(\d+)/.exec(ctx.nodeVersion)?.[1] ?? 0);
    return major >= 22
      ? pass(ctx.nodeVersion)
      : fail(`${ctx.nodeVersion} is too old: botctl needs Node.js 22 or newer`, 'install Node.js 24 LTS');
  },
};
