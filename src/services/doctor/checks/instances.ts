import type { Check } from '../types.js';
import { fail, pass } from './outcome.js';

/**
 * Several instances on one database (issue 16): only on Postgres, only with Redis (the rate
 * limits live there, shared), and only in webhook mode (Telegram allows one getUpdates
 * consumer). `start` refuses the same (DatabaseGuard.holdInstance); this says so beforehand.
 */
export const instancesCheck: Check = {
  id: 'instances',
  title: 'Instances',
  needs: ['config', 'database'],
  applies: (ctx) => ctx.config !== null,
  async run({ config, probes }) {
    if (probes.dialectOf(config!.databaseUrl) === 'sqlite')
      return pass('SQLite serves one instance (`start` refuses a second)');
    const running = await probes.instances(config!.databaseUrl);
    const several = `${running} instances run on this database`;
    if (running > 1 && config!.redisUrl === undefined)
      return fail(
        `${several} and this configuration has no Redis: their rate limits could not be shared`,
        'set redisUrl (BOTCTL_REDIS_URL) on every instance; `start` refuses an instance without it beside others',
      );
    if (running > 1 && config!.mode === 'polling')
      return fail(
        `${several} and this configuration polls: Telegram allows one getUpdates consumer`,
        'run several instances in webhook mode (`botctl config set mode webhook`) behind a reverse proxy',
      );
    if (running > 1) return pass(`${several}, sharing rate limits through Redis`);
    return pass(
      running === 1 ? 'one instance runs on this database' : 'no instance runs on this database now',
    );
  },
};
