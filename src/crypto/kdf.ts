/**
 * MTProto 2.0 message-key derivation (spec §5). `x` is the sender's direction: 0 for client->server,
 * 8 for server->client; the receiver uses the sender's x.
 */
import { MtwireError } from '../base/errors.js';
import type { CryptoProvider } from './provider.js';

export type Direction = 0 | 8;

export interface AesKeyIv {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
}

/** Only bytes 0..127 of the 256-byte key feed the KDF, but a key of any other size is a caller bug. */
function checkAuthKey(authKey: Uint8Array): void {
  if (authKey.length !== 256) throw new MtwireError('CRYPTO_ARGUMENT', `auth key must be 256 bytes, got ${authKey.length}`);
}

/** msg_key_large = SHA256(auth_key[88+x : 120+x] + plaintext_with_padding); quick ACK tokens come from it. */
export function msgKeyLarge(authKey: Uint8Array, plaintextWithPadding: Uint8Array, x: Direction, provider: CryptoProvider): Uint8Array {
  checkAuthKey(authKey);
  return provider.sha256(authKey.subarray(88 + x, 120 + x), plaintextWithPadding);
}

/** msg_key = msg_key_large[8:24] */
export function msgKeyFor(authKey: Uint8Array, plaintextWithPadding: Uint8Array, x: Direction, provider: CryptoProvider): Uint8Array {
  return msgKeyLarge(authKey, plaintextWithPadding, x, provider).slice(8, 24);
}

/** The AES-256-IGE key and IV for one message, from its msg_key. */
export function deriveAesKeyIv(authKey: Uint8Array, msgKey: Uint8Array, x: Direction, provider: CryptoProvider): AesKeyIv {
  checkAuthKey(authKey);
  const a = provider.sha256(msgKey, authKey.subarray(x, x + 36));
  const b = provider.sha256(authKey.subarray(40 + x, 76 + x), msgKey);
  const key = new Uint8Array(32);
  key.set(a.subarray(0, 8), 0);
  key.set(b.subarray(8, 24), 8);
  key.set(a.subarray(24, 32), 24);
  const iv = new Uint8Array(32);
  iv.set(b.subarray(0, 8), 0);
  iv.set(a.subarray(8, 24), 8);
  iv.set(b.subarray(24, 32), 24);
  return { key, iv };
}
