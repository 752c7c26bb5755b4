/**
 * The hashes and keys of auth-key creation (spec §4): the temporary AES key of steps 6-7, the auth key's
 * id and aux hash, the new_nonce_hash values of dh_gen_* and server_DH_params_fail, and the first salt.
 */
import { MtwireError } from '../base/errors.js';
import { readInt64LE } from './bigint.js';
import type { AesKeyIv } from './kdf.js';
import { takeRandom, type CryptoProvider, type RandomSource } from './provider.js';

/**
 * tmp_aes_key = SHA1(new_nonce + server_nonce) + SHA1(server_nonce + new_nonce)[0:12]
 * tmp_aes_iv  = SHA1(server_nonce + new_nonce)[12:20] + SHA1(new_nonce + new_nonce) + new_nonce[0:4]
 */
export function tmpAesKeyIv(newNonce: Uint8Array, serverNonce: Uint8Array, provider: CryptoProvider): AesKeyIv {
  const newServer = provider.sha1(newNonce, serverNonce);
  const serverNew = provider.sha1(serverNonce, newNonce);
  const newNew = provider.sha1(newNonce, newNonce);
  const key = new Uint8Array(32);
  key.set(newServer, 0);
  key.set(serverNew.subarray(0, 12), 20);
  const iv = new Uint8Array(32);
  iv.set(serverNew.subarray(12, 20), 0);
  iv.set(newNew, 8);
  iv.set(newNonce.subarray(0, 4), 28);
  return { key, iv };
}

/** auth_key_id: SHA1(auth_key)[12:20], the 8 bytes that prefix every encrypted frame. */
export function authKeyIdFor(authKey: Uint8Array, provider: CryptoProvider): Uint8Array {
  return provider.sha1(authKey).slice(12, 20);
}

/** auth_key_aux_hash: SHA1(auth_key)[0:8]; also the retry_id after dh_gen_retry. */
export function authKeyAuxHashFor(authKey: Uint8Array, provider: CryptoProvider): Uint8Array {
  return provider.sha1(authKey).slice(0, 8);
}

/** new_nonce_hash1/2/3 of dh_gen_ok/retry/fail: SHA1(new_nonce + byte(n) + auth_key_aux_hash)[4:20]. */
export function newNonceHash(newNonce: Uint8Array, n: 1 | 2 | 3, authKeyAuxHash: Uint8Array, provider: CryptoProvider): Uint8Array {
  return provider.sha1(newNonce, Uint8Array.of(n), authKeyAuxHash).slice(4, 20);
}

/** server_DH_params_fail's new_nonce_hash: SHA1(new_nonce)[4:20]. */
export function dhParamsFailNonceHash(newNonce: Uint8Array, provider: CryptoProvider): Uint8Array {
  return provider.sha1(newNonce).slice(4, 20);
}

/** The first server salt: new_nonce[0:8] XOR server_nonce[0:8], read as the TL long it becomes. */
export function firstServerSalt(newNonce: Uint8Array, serverNonce: Uint8Array): bigint {
  if (newNonce.length < 8 || serverNonce.length < 8) throw new MtwireError('CRYPTO_ARGUMENT', 'nonces must be at least 8 bytes');
  const salt = new Uint8Array(8);
  for (let i = 0; i < 8; i++) salt[i] = newNonce[i]! ^ serverNonce[i]!;
  return readInt64LE(salt);
}

/**
 * SHA1(data) + data + 0..15 random bytes up to a multiple of 16: the plaintext that is IGE-encrypted
 * with the tmp key for client_DH_inner_data (client) and server_DH_inner_data (server).
 */
export function withSha1AndPadding(
  data: Uint8Array,
  provider: CryptoProvider,
  random: RandomSource = (n) => provider.randomBytes(n),
): Uint8Array {
  const unpadded = 20 + data.length;
  const paddingLength = (16 - (unpadded % 16)) % 16;
  const out = new Uint8Array(unpadded + paddingLength);
  out.set(provider.sha1(data), 0);
  out.set(data, 20);
  out.set(takeRandom(random, paddingLength), unpadded);
  return out;
}
