/**
 * The one reading of the `encryptionKeys` setting (`id:base64key[,id:base64key...]`, standard or
 * URL-safe base64 of 32 bytes, ids unique). The config schema validates with it, so
 * `config validate`, `doctor` and `start` accept and refuse exactly the same values; the cipher
 * is built from its result. Errors name `encryptionKeys` and the key id, never the key material.
 */
import { BotctlError } from './errors.js';

export interface EncryptionKey {
  id: string;
  /** Exactly 32 bytes. */
  key: Buffer;
}

export const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export function parseEncryptionKeys(spec: string): EncryptionKey[] {
  const read = readKeys(spec);
  if (typeof read === 'string') throw encryptionKeysError(read);
  return read;
}

/** What is wrong with a value of `encryptionKeys`, or undefined when it is usable (config validation). */
export function encryptionKeysProblem(spec: string): string | undefined {
  const read = readKeys(spec);
  return typeof read === 'string' ? read : undefined;
}

function readKeys(spec: string): EncryptionKey[] | string {
  const entries = spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (entries.length === 0) return 'list at least one id:base64key';
  const keys: EncryptionKey[] = [];
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    if (colon <= 0) return `entry ${index + 1} must look like id:base64key`;
    const id = entry.slice(0, colon).trim();
    const material = entry.slice(colon + 1).trim();
    if (!KEY_ID.test(id)) return `entry ${index + 1} has an invalid key id`;
    if (keys.some((known) => known.id === id)) return `key id "${id}" is listed twice`;
    if (!BASE64.test(material)) return `key "${id}" is not valid base64`;
    const key = Buffer.from(material.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
    if (key.length !== 32) return `key "${id}" must decode to exactly 32 bytes, got ${key.length}`;
    keys.push({ id, key });
  }
  return keys;
}

export function encryptionKeysError(detail: string): BotctlError {
  return new BotctlError('CONFIG_INVALID', `encryptionKeys: ${detail}`, {
    hint: 'Generate a key with `openssl rand -base64 32` and set encryptionKeys to id:<key>.',
    params: { key: 'encryptionKeys' },
  });
}
