/** API keys' secrets over node:crypto: 32 random bytes, SHA-256 at rest (see the ApiKeySecrets port). */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeySecrets } from '../../domain/ports/index.js';

/** "botctl_" lets secret scanners (and people) recognise a leaked key. */
const PREFIX = 'botctl_';

export const apiKeySecrets: ApiKeySecrets = {
  newKey: () => PREFIX + randomBytes(32).toString('base64url'),
  hash: (key) => createHash('sha256').update(key, 'utf8').digest('hex'),
  same(a, b) {
    const left = Buffer.from(a);
    const right = Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
  },
};
