import type { Check } from '../types.js';
import { fail, pass } from './outcome.js';

/** Reachable, and at the schema this botctl expects: `start` refuses pending migrations. */
export const databaseCheck: Check = {
  id: 'database',
  title: 'Database',
  needs: ['config'],
  async run({ config, probes }) {
    const status = await probes.database(config!.databaseUrl);
    if (status.current > status.latest) {
      return fail(
        `${status.dialect}: schema ${status.current} is newer than this botctl (${status.latest})`,
        'upgrade botctl',
      );
    }
    if (status.pending > 0) {
      return fail(`${status.dialect}: ${status.pending} migration(s) pending`, 'run `botctl migrate up`');
    }
    return pass(`${status.dialect} reachable, migrations current (${status.current})`);
  },
};
