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

/** How many free bytes `msgKeyLargeInPlace` needs in front of the padded plaintext. */
export const AUTH_KEY_PART_LENGTH = 32;

/**
 * msg_key_large over `region` = 32 bytes the caller can spare, then the padded plaintext: the auth-key
 * part is written into those 32 bytes so SHA-256 hashes one contiguous array rather than a copy of both
 * parts joined (a hash call costs about the same up to a few hundred bytes; the copy does not).
 */
export function msgKeyLargeInPlace(authKey: Uint8Array, region: Uint8Array, x: Direction, provider: CryptoProvider): Uint8Array {
  checkAuthKey(authKey);
  copyBytes(authKey, 88 + x, region, 0, AUTH_KEY_PART_LENGTH);
  return provider.sha256(region);
}

/** msg_key = msg_key_large[8:24] */
export function msgKeyFor(authKey: Uint8Array, plaintextWithPadding: Uint8Array, x: Direction, provider: CryptoProvider): Uint8Array {
  return msgKeyLarge(authKey, plaintextWithPadding, x, provider).slice(8, 24);
}

/**
 * The two SHA-256 inputs, msg_key + auth_key[x:x+36] and auth_key[40+x:76+x] + msg_key (52 bytes each),
 * are assembled here so each is hashed as one array. Reused by every call: it is only read by the hash,
 * whose result is a new array, so nothing handed back aliases it.
 */
const kdfScratchA = new Uint8Array(52);
const kdfScratchB = new Uint8Array(52);

/** The AES-256-IGE key and IV for one message, from its msg_key. */
export function deriveAesKeyIv(authKey: Uint8Array, msgKey: Uint8Array, x: Direction, provider: CryptoProvider): AesKeyIv {
  checkAuthKey(authKey);
  if (msgKey.length !== 16) throw new MtwireError('CRYPTO_ARGUMENT', `msg_key must be 16 bytes, got ${msgKey.length}`);
  copyBytes(msgKey, 0, kdfScratchA, 0, 16);
  copyBytes(authKey, x, kdfScratchA, 16, 36);
  copyBytes(authKey, 40 + x, kdfScratchB, 0, 36);
  copyBytes(msgKey, 0, kdfScratchB, 36, 16);
  const a = provider.sha256(kdfScratchA);
  const b = provider.sha256(kdfScratchB);
  // key = a[0:8] + b[8:24] + a[24:32], iv = b[0:8] + a[8:24] + b[24:32], in one 64-byte array (one allocation).
  const keyIv = new Uint8Array(64);
  copyBytes(a, 0, keyIv, 0, 8);
  copyBytes(b, 8, keyIv, 8, 16);
  copyBytes(a, 24, keyIv, 24, 8);
  copyBytes(b, 0, keyIv, 32, 8);
  copyBytes(a, 8, keyIv, 40, 16);
  copyBytes(b, 24, keyIv, 56, 8);
  return { key: keyIv.subarray(0, 32), iv: keyIv.subarray(32, 64) };
}

/**
 * A byte loop rather than `to.set(from.subarray(...))`: for these 8..36-byte pieces, creating the
 * subarray view costs more than the copy (in a CPU profile, ~10% of a message decrypt went to the KDF
 * building such views).
 */
function copyBytes(from: Uint8Array, fromAt: number, to: Uint8Array, toAt: number, length: number): void {
  for (let i = 0; i < length; i++) to[toAt + i] = from[fromAt + i]!;
}
