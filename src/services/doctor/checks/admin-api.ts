import type { Check } from '../types.js';
import { pass, warn } from './outcome.js';

/** Addresses only this machine reaches. */
const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|\[::1\]|localhost)$/i;

/**
 * The admin API (BOTCTL_ADMIN=on) carries API keys in every request and serves users' data:
 * the daemon speaks plain http, so on an address other machines reach, keys and data cross
 * the network readable unless an HTTPS proxy in front is the only way in.
 */
export const adminApiCheck: Check = {
  id: 'admin_api',
  title: 'Admin API',
  needs: ['config'],
  applies: (ctx) => ctx.config?.adminApi === true,
  async run({ config }) {
    const host = config!.httpHost;
    if (LOOPBACK.test(host)) return pass(`on, served over http on ${host} only (this machine)`);
    return warn(
      `on, served over plain http on ${host}: API keys and users' data cross the network unencrypted`,
      'bind it to 127.0.0.1 (BOTCTL_HTTP_HOST) behind an HTTPS reverse proxy, or turn it off (BOTCTL_ADMIN=off)',
    );
  },
};
