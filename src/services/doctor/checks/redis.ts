import type { Check } from '../types.js';
import { pass, warn } from './outcome.js';

/** A Redis outage degrades (in-memory cache, limits not shared between instances), so it warns. */
export const redisCheck: Check = {
  id: 'redis',
  title: 'Redis',
  needs: ['config'],
  applies: (ctx) => ctx.config?.redisUrl !== undefined,
  async run({ config, probes, timeoutMs }) {
    // A live Redis answers in milliseconds; the budget is for a loaded machine (it covers connecting too).
    const answered = await probes.redis(config!.redisUrl!, Math.min(timeoutMs / 2, 5000));
    return answered
      ? pass('answers PING')
      : warn(
          'does not answer: the bot falls back to an in-memory cache',
          'check BOTCTL_REDIS_URL and that Redis is running',
        );
  },
};
