/**
 * The trustProxy setting, read once: off (the default: X-Forwarded-* ignored), on (any hop),
 * a hop count, or the proxies' addresses and CIDRs (and proxy-addr's names loopback,
 * linklocal, uniquelocal). Fastify takes the parsed value as it is.
 */
import { isIP } from 'node:net';

export type TrustProxy = boolean | number | string[];

const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(item: string): boolean {
  const [address, bits, extra] = item.split('/');
  if (extra !== undefined || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = /^\d{1,3}$/.test(bits) ? Number(bits) : -1;
  return n >= 0 && n <= (family === 4 ? 32 : 128);
}

/** The parsed setting, or undefined when the text is none of the forms above. */
export function parseTrustProxy(text: string): TrustProxy | undefined {
  const value = text.trim().toLowerCase();
  if (value === 'off' || value === 'false' || value === '') return false;
  if (value === 'on' || value === 'true') return true;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const items = value.split(',').map((item) => item.trim());
  return items.every((item) => NAMES.has(item) || isAddressOrCidr(item)) ? items : undefined;
}
