import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFieldCipher } from '../../src/adapters/system/cipher.js';
import { parseEncryptionKeys } from '../../src/domain/encryption-keys.js';
import { BotctlError } from '../../src/domain/errors.js';

const keyA = { id: 'a', key: randomBytes(32) };
const keyB = { id: 'b-2025', key: randomBytes(32) };

function thrown(fn: () => unknown): BotctlError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BotctlError);
    return error as BotctlError;
  }
  throw new Error('expected a throw');
}

describe('createFieldCipher', () => {
  it('seals with the first key into the tagged format and opens it again', () => {
    const cipher = createFieldCipher([keyA, keyB]);
    expect(cipher.enabled).toBe(true);
    for (const plain of ['', 'hello', 'Привет 👋🏽 世界', 'x'.repeat(10_000), 'enc:v1:looks:like-a-prefix']) {
      const sealed = cipher.seal(plain);
      expect(sealed).toMatch(/^enc:v1:a:[A-Za-z0-9_-]+$/);
      if (plain !== '') expect(sealed).not.toContain(plain);
      expect(cipher.open(sealed)).toBe(plain);
    }
  });

  it('uses a fresh IV each time', () => {
    const cipher = createFieldCipher([keyA]);
    expect(cipher.seal('same')).not.toBe(cipher.seal('same'));
  });

  it('opens values sealed by any listed key (rotation)', () => {
    const old = createFieldCipher([keyA]).seal('written long ago');
    const rotated = createFieldCipher([keyB, keyA]);
    expect(rotated.open(old)).toBe('written long ago');
    expect(rotated.seal('new')).toMatch(/^enc:v1:b-2025:/);
  });

  it('returns values without the sealed shape as they are', () => {
    const cipher = createFieldCipher([keyA]);
    for (const plain of ['plain text', '', 'enc: a note', 'enc:v1:a:short', 'enc:v1:a:not base64!']) {
      expect(cipher.open(plain)).toBe(plain);
    }
  });

  it('fails with DECRYPTION_FAILED naming the key for an unknown key id', () => {
    const sealed = createFieldCipher([keyB]).seal('secret');
    const error = thrown(() => createFieldCipher([keyA]).open(sealed));
    expect(error.code).toBe('DECRYPTION_FAILED');
    expect(error.message).toContain('"b-2025"');
    expect(error.hint).toMatch(/encryptionKeys/);
    expect(error.message).not.toContain('secret');
  });

  it('fails with DECRYPTION_FAILED for a wrong key or tampered data', () => {
    const sealed = createFieldCipher([keyA]).seal('secret');
    const wrongKey = thrown(() => createFieldCipher([{ id: 'a', key: randomBytes(32) }]).open(sealed));
    expect(wrongKey.code).toBe('DECRYPTION_FAILED');
    expect(wrongKey.message).toContain('"a"');
    const body = sealed.slice('enc:v1:a:'.length);
    const flipped = `enc:v1:a:${body.slice(0, -2)}${body.at(-2) === 'A' ? 'B' : 'A'}${body.at(-1)}`;
    expect(thrown(() => createFieldCipher([keyA]).open(flipped)).code).toBe('DECRYPTION_FAILED');
    // Relabelling a value with another key id fails too: the id is authenticated.
    const relabelled = createFieldCipher([keyA, { id: 'c', key: keyA.key }]);
    expect(thrown(() => relabelled.open(`enc:v1:c:${body}`)).code).toBe('DECRYPTION_FAILED');
  });

  it('is a pass-through without keys', () => {
    const cipher = createFieldCipher([]);
    expect(cipher.enabled).toBe(false);
    expect(cipher.seal('plain')).toBe('plain');
    expect(cipher.open('plain')).toBe('plain');
    const sealed = createFieldCipher([keyA]).seal('secret');
    expect(thrown(() => cipher.open(sealed)).code).toBe('DECRYPTION_FAILED');
  });

  it('rejects keys of the wrong size, bad ids and duplicates as CONFIG_INVALID', () => {
    expect(thrown(() => createFieldCipher([{ id: 'a', key: randomBytes(16) }])).code).toBe('CONFIG_INVALID');
    expect(thrown(() => createFieldCipher([{ id: 'a:b', key: randomBytes(32) }])).code).toBe(
      'CONFIG_INVALID',
    );
    expect(thrown(() => createFieldCipher([keyA, { ...keyA }])).message).toMatch(/twice/);
  });
});

describe('parseEncryptionKeys', () => {
  const b64 = (bytes: Buffer) => bytes.toString('base64');

  it('parses id:base64 pairs, standard or URL-safe, with spaces around', () => {
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    const keys = parseEncryptionKeys(` main:${b64(k1)} , old:${k2.toString('base64url')}`);
    expect(keys).toEqual([
      { id: 'main', key: k1 },
      { id: 'old', key: k2 },
    ]);
  });

  it('rejects malformed specs with CONFIG_INVALID naming encryptionKeys, never echoing the key', () => {
    const short = b64(randomBytes(16));
    const cases = [
      `nokey`,
      `:${b64(randomBytes(32))}`,
      `a:${short}`,
      `a:not*base64*at*all`,
      `bad id:${b64(randomBytes(32))}`,
      `a:${b64(randomBytes(32))},a:${b64(randomBytes(32))}`,
      '',
      ' , ',
    ];
    for (const spec of cases) {
      const error = thrown(() => parseEncryptionKeys(spec));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toMatch(/^encryptionKeys: /);
      expect(error.hint).toBeTruthy();
    }
    const error = thrown(() => parseEncryptionKeys(`a:${short}`));
    expect(error.message).toContain('got 16');
    expect(error.message).not.toContain(short);
  });
});
