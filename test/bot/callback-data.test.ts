import { describe, expect, it } from 'vitest';
import { createCallbackSigner } from '../../src/bot/callback-data.js';

describe('callback signer', () => {
  const signer = createCallbackSigner('123456:TESTtokenTESTtokenTESTtoken_abc');

  it('signs compactly and verifies its own data', () => {
    const signed = signer.sign('sg:4294967296:2');
    expect(signed).toMatch(/^sg:4294967296:2:[A-Za-z0-9_-]{10}$/);
    expect(Buffer.byteLength(signed)).toBeLessThanOrEqual(64);
    expect(signer.verify(signed)).toBe('sg:4294967296:2');
  });

  it("refuses edited data, a wrong MAC, no MAC, and another bot token's MAC", () => {
    const signed = signer.sign('sg:10:0');
    const mac = signed.split(':').at(-1)!;
    expect(signer.verify(`sg:10:1:${mac}`)).toBeUndefined();
    const wrong = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
    expect(signer.verify(`sg:10:0:${wrong}`)).toBeUndefined();
    expect(signer.verify('sg:10:0')).toBeUndefined();
    expect(signer.verify(':abc')).toBeUndefined();
    expect(signer.verify('')).toBeUndefined();
    const other = createCallbackSigner('654321:OTHERtokenOTHERtokenOTHERtok');
    expect(signer.verify(other.sign('sg:10:0'))).toBeUndefined();
  });
});
