/**
 * Passphrase encryption of backup payloads, streamed: scrypt derives the keys, AES-256-GCM
 * seals the bytes. Layout of an encrypted file:
 *
 *   header (72 bytes) | ciphertext | GCM tag (16 bytes)
 *   header = "BOTCTLE1" | log2(N) | r | p | 0 | salt (16) | iv (12) | key check (32)
 *
 * The key check (HMAC-SHA256 of a constant under a second derived key) tells a wrong
 * passphrase apart from a damaged file before a byte is decrypted. The whole header is GCM
 * additional data, so edited KDF parameters fail authentication too.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { BotctlError } from '../../domain/errors.js';

const MAGIC = Buffer.from('BOTCTLE1');
const HEADER_BYTES = 72;
const TAG_BYTES = 16;
/** N = 2^17, r = 8, p = 1: OWASP's minimum for scrypt (128 MiB, a fraction of a second, once per run). */
const PARAMS = { logN: 17, r: 8, p: 1 };
const CHECK_LABEL = 'botctl backup key check v1';

interface Keys {
  key: Buffer;
  check: Buffer;
}

function deriveKeys(passphrase: string, salt: Buffer, logN: number, r: number, p: number): Promise<Keys> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 64, { N, r, p, maxmem: 256 * N * r }, (error, material) => {
      if (error) return reject(error);
      resolve({
        key: material.subarray(0, 32),
        check: createHmac('sha256', material.subarray(32)).update(CHECK_LABEL).digest(),
      });
    });
  });
}

/** A transform that writes the header, then the ciphertext, then the tag. */
export async function createEncryptStream(passphrase: string): Promise<Transform> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const { key, check } = await deriveKeys(passphrase, salt, PARAMS.logN, PARAMS.r, PARAMS.p);
  const header = Buffer.concat([MAGIC, Buffer.from([PARAMS.logN, PARAMS.r, PARAMS.p, 0]), salt, iv, check]);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(header);
  let started = false;
  const start = (stream: Transform) => {
    if (!started) stream.push(header);
    started = true;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      start(this);
      callback(null, cipher.update(chunk));
    },
    flush(callback) {
      start(this);
      this.push(cipher.final());
      callback(null, cipher.getAuthTag());
    },
  });
}

const corrupt = (file: string, why: string) =>
  new BotctlError('BACKUP_CORRUPT', `Encrypted backup payload ${file} is damaged: ${why}`, {
    hint: 'restore from another backup',
  });

/**
 * Opens an encrypted payload: BACKUP_PASSPHRASE when the passphrase does not fit the key
 * check. The returned streams end with an authentication error if a byte was changed.
 */
export async function openEncrypted(file: string, passphrase: string): Promise<[Readable, Transform]> {
  const handle = await open(file, 'r');
  let header: Buffer;
  let tag: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    if (size < HEADER_BYTES + TAG_BYTES) throw corrupt(file, 'shorter than its header');
    header = Buffer.alloc(HEADER_BYTES);
    tag = Buffer.alloc(TAG_BYTES);
    await handle.read(header, 0, HEADER_BYTES, 0);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  if (!header.subarray(0, 8).equals(MAGIC)) throw corrupt(file, 'not a botctl encrypted file');
  const [logN = 0, r = 0, p = 0] = header.subarray(8, 11);
  if (logN < 10 || logN > 22 || r < 1 || r > 32 || p < 1 || p > 16) throw corrupt(file, 'bad key parameters');
  const { key, check } = await deriveKeys(passphrase, header.subarray(12, 28), logN, r, p);
  if (!timingSafeEqual(check, header.subarray(40, 72))) {
    throw new BotctlError('BACKUP_PASSPHRASE', `Wrong passphrase for the encrypted backup ${file}`, {
      hint: 'pass the passphrase it was created with (--passphrase-file, --passphrase or BOTCTL_BACKUP_PASSPHRASE)',
    });
  }
  const decipher = createDecipheriv('aes-256-gcm', key, header.subarray(28, 40));
  decipher.setAAD(header);
  decipher.setAuthTag(tag);
  const body = createReadStream(file, { start: HEADER_BYTES, end: size - TAG_BYTES - 1 });
  return [body, decipher];
}
