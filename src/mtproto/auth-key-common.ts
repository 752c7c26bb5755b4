/**
 * What both sides of auth-key creation (spec §4) share: decoding a step's TL object strictly, the nonce
 * checks, the dc value of p_q_inner_data_*, and the "SHA1(data) + data + padding" AES-IGE layer under the
 * temporary key that carries server_DH_inner_data (server → client) and client_DH_inner_data (client →
 * server).
 */
import { constantTimeEqual } from '../crypto/compare.js';
import { withSha1AndPadding } from '../crypto/handshake-kdf.js';
import { aesIgeDecrypt, aesIgeEncrypt } from '../crypto/ige.js';
import type { AesKeyIv } from '../crypto/kdf.js';
import type { CryptoProvider, RandomSource } from '../crypto/provider.js';
import { SecurityError } from '../crypto/security-error.js';
import { MtwireError } from '../base/errors.js';
import { readAny } from '../generated/service/index.js';
import { decodeWith, type TlObject } from '../tl/define.js';
import { TlDecodeError } from '../tl/errors.js';
import { TlReader } from '../tl/reader.js';

/**
 * A handshake that cannot go on for a reason that is not a forged or corrupt message: the server knows
 * none of our RSA keys, it answered server_DH_params_fail or dh_gen_fail (with a correct hash), it keeps
 * asking for retries, or the state machine was driven out of order. `check` names the reason.
 */
export class AuthKeyError extends MtwireError {
  readonly check: string;

  constructor(check: string, message: string) {
    super('AUTH_KEY', message);
    this.check = check;
  }
}

/** A refused handshake message; one generic text, the failed check only in `check` (see SecurityError). */
export function rejected(check: string): SecurityError {
  return new SecurityError(check, 'auth key exchange: message rejected');
}

/**
 * Decodes exactly one service-schema object of the kind `is` accepts (no trailing bytes unless `allowTrailing`).
 * Values are copied out of the input, which belongs to the caller. Garbage is `rejected(check)`.
 */
export function decodeStep<T extends TlObject>(
  bytes: Uint8Array,
  is: (value: unknown) => value is T,
  check: string,
  allowTrailing = false,
): T {
  let value: TlObject;
  try {
    value = decodeWith(readAny, bytes, { allowTrailing, copyBytes: true });
  } catch (error) {
    if (error instanceof TlDecodeError) throw rejected(check);
    throw error;
  }
  if (!is(value)) throw rejected(check);
  return value;
}

/** Every handshake message after the first repeats the client's nonce and (from resPQ on) the server's. */
export function checkNonces(message: { nonce: Uint8Array; serverNonce?: Uint8Array }, nonce: Uint8Array, serverNonce?: Uint8Array): void {
  if (!constantTimeEqual(message.nonce, nonce)) throw rejected('nonce');
  if (serverNonce && !constantTimeEqual(message.serverNonce ?? new Uint8Array(0), serverNonce)) throw rejected('server_nonce');
}

export const TEST_DC_OFFSET = 10000;

/** The `dc` of p_q_inner_data_dc: the DC id, +10000 on the test servers, negative for a media-only DC. */
export function innerDataDc(dcId: number, test = false, media = false): number {
  const dc = test ? dcId + TEST_DC_OFFSET : dcId;
  return media ? -dc : dc;
}

/** IGE under the temporary key of `SHA1(data) + data + 0..15 random bytes`. */
export function encryptWithHash(data: Uint8Array, tmp: AesKeyIv, crypto: CryptoProvider, random: RandomSource): Uint8Array {
  return aesIgeEncrypt(withSha1AndPadding(data, crypto, random), tmp.key, tmp.iv);
}

/** Longest padding after the object: the sender only pads up to the next multiple of 16. */
const MAX_PADDING = 15;

/**
 * The inverse of encryptWithHash, strict: the ciphertext is a non-empty multiple of 16, the object is
 * parsed first, then SHA1 over exactly the bytes the parser consumed must equal the 20-byte prefix, and
 * at most 15 bytes may follow. Checks: encrypted_length, encrypted_malformed, encrypted_hash,
 * encrypted_padding.
 */
export function decryptWithHash<T>(encrypted: Uint8Array, tmp: AesKeyIv, crypto: CryptoProvider, read: (r: TlReader) => T): T {
  if (encrypted.length === 0 || encrypted.length % 16 !== 0) throw rejected('encrypted_length');
  const plain = aesIgeDecrypt(encrypted, tmp.key, tmp.iv);
  let value: T;
  let end: number;
  try {
    const r = new TlReader(plain, Math.min(20, plain.length));
    r.copyBytes = true;
    value = read(r);
    end = r.pos;
  } catch (error) {
    if (error instanceof TlDecodeError) throw rejected('encrypted_malformed');
    throw error;
  }
  if (!constantTimeEqual(crypto.sha1(plain.subarray(20, end)), plain.subarray(0, 20))) throw rejected('encrypted_hash');
  if (plain.length - end > MAX_PADDING) throw rejected('encrypted_padding');
  return value;
}
