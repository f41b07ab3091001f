/**
 * Signed callback data. A button's data comes back from the client unverified: anyone can
 * send any callback_data for a message they see. Buttons that name something (a suggestion
 * by answer id and index) carry a truncated HMAC, keyed by a value derived from the bot token,
 * so a forged or edited button is recognised without storing anything. 60 bits of MAC fit in
 * Telegram's 64-byte limit with room for the data.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const MAC_CHARS = 10;

export interface CallbackSigner {
  /** "data" -> "data:<mac>" */
  sign(data: string): string;
  /** The data when the MAC matches, else undefined. */
  verify(signed: string): string | undefined;
}

export function createCallbackSigner(token: string): CallbackSigner {
  // Derived, not the token itself: the MAC key never equals a secret that is used elsewhere.
  const key = createHash('sha256').update(`botctl callback data\u0000${token}`).digest();
  const mac = (data: string) =>
    createHmac('sha256', key).update(data).digest('base64url').slice(0, MAC_CHARS);
  return {
    sign: (data) => `${data}:${mac(data)}`,
    verify(signed) {
      const at = signed.lastIndexOf(':');
      if (at <= 0) return undefined;
      const data = signed.slice(0, at);
      const given = Buffer.from(signed.slice(at + 1));
      const expected = Buffer.from(mac(data));
      return given.length === expected.length && timingSafeEqual(given, expected) ? data : undefined;
    },
  };
}
