import type { Check } from '../types.js';
import { fail, formatBytes, pass, warn } from './outcome.js';

const WARN_BELOW = 1024 ** 3;
const FAIL_BELOW = 100 * 1024 ** 2;

/** The database, backups and logs share the data dir's file system. */
export const diskCheck: Check = {
  id: 'disk',
  title: 'Free disk',
  async run({ dataDir, probes }) {
    const free = await probes.freeBytes(dataDir);
    const detail = `${formatBytes(free)} free for ${dataDir}`;
    if (free < FAIL_BELOW) return fail(detail, 'free space: SQLite and backups fail when the disk is full');
    if (free < WARN_BELOW) return warn(detail, 'prune backups (`botctl backup prune`) or free space');
    return pass(detail);
  },
};
