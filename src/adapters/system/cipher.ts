/**
 * Field encryption at rest: AES-256-GCM with a random 12-byte IV per value.
 * Stored form: `enc:v1:<keyId>:<base64url(iv | tag | ciphertext)>`. The key id travels with
 * the value so keys can rotate: the first configured key seals, every configured key opens.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { BotctlError } from '../../domain/errors.js';
import {
  encryptionKeysError as configError,
  KEY_ID,
  type EncryptionKey,
} from '../../domain/encryption-keys.js';
import type { FieldCipher } from '../../domain/ports/index.js';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Only a value of exactly this shape counts as sealed. Plain text written before encryption
// was enabled passes through, even when a user happened to type something starting with "enc:".
const SEALED = /^enc:v1:([A-Za-z0-9_.-]{1,64}):([A-Za-z0-9_-]+)$/;
const MIN_PAYLOAD_CHARS = Math.ceil(((IV_BYTES + TAG_BYTES) * 4) / 3);
const HINT =
  'Add the key that sealed this value to encryptionKeys (keys can be listed side by side while rotating).';

/** Builds the cipher; with no keys it is a pass-through that reports enabled=false. */
export function createFieldCipher(keys: EncryptionKey[]): FieldCipher {
  const byId = new Map<string, Buffer>();
  for (const { id, key } of keys) {
    if (!KEY_ID.test(id)) throw configError(`key id "${id}" must match ${KEY_ID.source}`);
    if (key.length !== 32) throw configError(`key "${id}" must be 32 bytes, got ${key.length}`);
    if (byId.has(id)) throw configError(`key id "${id}" is listed twice`);
    byId.set(id, Buffer.from(key));
  }
  const sealer = keys[0];
  // Fingerprints use their own key, derived from the sealing one, never the sealing key itself.
  const tagKey = sealer && createHmac('sha256', sealer.key).update('botctl tag v1').digest();

  return Object.freeze({
    enabled: sealer !== undefined,
    seal(plain: string): string {
      if (sealer === undefined) return plain;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', byId.get(sealer.id) as Buffer, iv);
      // Binding the prefix (with the key id) as AAD makes a relabelled value fail to open.
      cipher.setAAD(Buffer.from(PREFIX + sealer.id));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const packed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
      return `${PREFIX}${sealer.id}:${packed}`;
    },
    tag(value: string): string {
      if (tagKey === undefined) return value;
      return createHmac('sha256', tagKey).update(value).digest('base64url');
    },
    open(stored: string): string {
      const match = SEALED.exec(stored);
      if (match === null || (match[2] as string).length < MIN_PAYLOAD_CHARS) return stored;
      const keyId = match[1] as string;
      const key = byId.get(keyId);
      if (key === undefined) {
        throw new BotctlError('DECRYPTION_FAILED', `No configured encryption key has id "${keyId}"`, {
          hint: HINT,
          params: { keyId },
        });
      }
      const packed = Buffer.from(match[2] as string, 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, packed.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(PREFIX + keyId));
        decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const body = packed.subarray(IV_BYTES + TAG_BYTES);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new BotctlError(
          'DECRYPTION_FAILED',
          `Encryption key "${keyId}" does not open this value (wrong key or damaged data)`,
          { hint: HINT, cause, params: { keyId } },
        );
      }
    },
  });
}
