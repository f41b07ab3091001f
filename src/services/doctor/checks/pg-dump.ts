import type { Check } from '../types.js';
import { fail, pass } from './outcome.js';

/** On Postgres, backups (and the backup `migrate up` takes first) run pg_dump. */
export const pgDumpCheck: Check = {
  id: 'pg_dump',
  title: 'pg_dump',
  needs: ['config'],
  applies: (ctx) => ctx.config !== null && ctx.probes.dialectOf(ctx.config.databaseUrl) === 'postgres',
  async run({ probes }, signal) {
    const version = await probes.toolVersion('pg_dump', '--version', signal);
    return version === null
      ? fail(
          'not found on PATH: Postgres backups (and `migrate up`, which backs up first) fail',
          'install the PostgreSQL client tools matching the server (apt-get install postgresql-client)',
        )
      : pass(version);
  },
};
