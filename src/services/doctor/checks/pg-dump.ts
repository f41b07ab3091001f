import type { Check } from '../types.js';
import { fail, pass } from './outcome.js';

const CLIENT_HINT = (major: number) =>
  `install the PostgreSQL ${major} client tools or newer (Debian/Ubuntu: postgresql-client-${major} from the PostgreSQL apt repository, apt.postgresql.org; Alpine: postgresql${major}-client)`;

/** "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)" -> 15; null when there is no version. */
function pgDumpMajor(versionLine: string): number | null {
  const match = /\)\s*(\d+)(?:\.\d+)?/.exec(versionLine) ?? /(\d+)(?:\.\d+)/.exec(versionLine);
  return match ? Number(match[1]) : null;
}

/**
 * On Postgres, backups (and the backup `migrate up`, `migrate down` and `start --auto-migrate`
 * take first) run pg_dump, which refuses a server of a newer major version than its own:
 * being on PATH is not enough.
 */
export const pgDumpCheck: Check = {
  id: 'pg_dump',
  title: 'pg_dump',
  needs: ['config', 'database'],
  applies: (ctx) => ctx.config !== null && ctx.probes.dialectOf(ctx.config.databaseUrl) === 'postgres',
  async run({ config, probes }, signal) {
    const server = await probes.postgresMajor(config!.databaseUrl);
    const version = await probes.toolVersion('pg_dump', '--version', signal);
    if (version === null) {
      return fail(
        'not found on PATH: Postgres backups (and `migrate up`, which backs up first) fail',
        CLIENT_HINT(server),
      );
    }
    const client = pgDumpMajor(version);
    if (client === null) {
      return fail(
        `${version}: cannot tell its version, the server is PostgreSQL ${server}`,
        CLIENT_HINT(server),
      );
    }
    if (client < server) {
      return fail(
        `pg_dump ${client} is older than the server (PostgreSQL ${server}) and refuses to dump it: backups (and \`migrate up\`, which backs up first) fail`,
        CLIENT_HINT(server),
      );
    }
    return pass(`${version}, server PostgreSQL ${server}`);
  },
};
