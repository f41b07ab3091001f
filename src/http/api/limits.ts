/**
 * The admin API's protective limits. Per key: what one integration may ask for; per address:
 * the same ceiling for everyone behind one IP, counted before the key is checked, so guessing
 * keys costs a 429 long before it could matter (keys have 256 random bits anyway).
 */
import type { ApiLimits } from './deps.js';

export const DEFAULT_API_LIMITS: ApiLimits = {
  perKeyPerMinute: 300,
  perIpPerMinute: 600,
  // A broadcast text is at most 4096 characters (a photo caption less); 64 KiB leaves room for
  // JSON escaping and refuses anything else early.
  bodyBytes: 64 * 1024,
  // A link token has 256 random bits: the limit is for the database's sake, and a person opens one link.
  signInsPerMinute: 10,
};
