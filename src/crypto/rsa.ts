/**
 * RSA as the auth-key handshake uses it (step 4.1): the key fingerprint, RSA_PAD on the client, and on the
 * server the RSA_PAD inverse plus the legacy `SHA1(data) + data + random` scheme older clients still send.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { MtwireError } from '../base/errors.js';
import { bigIntFromBytes, bigIntToBytes, bitLength, modInverse, readInt64LE } from './bigint.js';
import { constantTimeEqual } from './compare.js';
import { aesIgeDecrypt, aesIgeEncrypt } from './ige.js';
import { takeRandom, type CryptoProvider, type RandomSource } from './provider.js';
import { SecurityError } from './security-error.js';

export interface RsaPublicKey {
  readonly n: bigint;
  readonly e: bigint;
  /** SHA1(TL bytes n + TL bytes e)[12:20] as a signed little-endian int64, as in resPQ's fingerprint list. */
  readonly fingerprint: bigint;
}

/**
 * The server's half: what decryption needs. With the prime factors of n (`p`, `q`, as generateRsaKeyPair
 * and any PEM private key have them) decryption takes two half-size exponentiations by the Chinese
 * remainder theorem instead of one full-size one, about 3x faster.
 */
export interface RsaPrivateKey {
  readonly n: bigint;
  readonly d: bigint;
  readonly p?: bigint;
  readonly q?: bigint;
}

interface CrtParameters {
  readonly p: bigint;
  readonly q: bigint;
  readonly dp: bigint;
  readonly dq: bigint;
  readonly qInv: bigint;
}

/** Derived once per key object: a server decrypts with the same key for its whole life. */
const crtCache = new WeakMap<RsaPrivateKey, CrtParameters | null>();

function crtOf(key: RsaPrivateKey): CrtParameters | null {
  let crt = crtCache.get(key);
  if (crt !== undefined) return crt;
  const { p, q } = key;
  if (p === undefined || q === undefined) crt = null;
  else {
    if (p * q !== key.n || p <= 1n || q <= 1n) throw new MtwireError('CRYPTO_ARGUMENT', 'RSA private key: p * q is not n');
    crt = { p, q, dp: key.d % (p - 1n), dq: key.d % (q - 1n), qInv: modInverse(q, p) };
  }
  crtCache.set(key, crt);
  return crt;
}

/** c^d mod n, by the CRT when the key has its primes. */
function rsaPrivateOperation(c: bigint, key: RsaPrivateKey, provider: CryptoProvider): bigint {
  const crt = crtOf(key);
  if (!crt) return provider.modPow(c, key.d, key.n);
  const m1 = provider.modPow(c % crt.p, crt.dp, crt.p);
  const m2 = provider.modPow(c % crt.q, crt.dq, crt.q);
  const h = (crt.qInv * (((m1 - m2) % crt.p) + crt.p)) % crt.p;
  return m2 + h * crt.q;
}

/** TL `bytes` encoding: short or long length prefix, then zero padding to a multiple of 4. */
function tlBytes(data: Uint8Array): Uint8Array {
  const header = data.length <= 253 ? 1 : 4;
  const out = new Uint8Array((header + data.length + 3) & ~3);
  if (header === 1) out[0] = data.length;
  else out.set([0xfe, data.length & 0xff, (data.length >>> 8) & 0xff, data.length >>> 16]);
  out.set(data, header);
  return out;
}

export function rsaFingerprint(n: bigint, e: bigint): bigint {
  const digest = sha1
    .create()
    .update(tlBytes(bigIntToBytes(n)))
    .update(tlBytes(bigIntToBytes(e)))
    .digest();
  return readInt64LE(digest, 12);
}

const RSA_PAD_MAX_DATA = 144;
const PADDED_LENGTH = 192;
const BLOCK_LENGTH = 256;
const ZERO_IV = new Uint8Array(32);

/** RSA_PAD's block is 256 bytes, so it is defined for 2048-bit moduli only (all of Telegram's keys). */
function checkModulus(n: bigint): void {
  if (bitLength(n) !== 2048) throw new MtwireError('CRYPTO_ARGUMENT', `RSA_PAD needs a 2048-bit modulus, got ${bitLength(n)} bits`);
}

/**
 * RSA_PAD(data, key): the 256-byte `encrypted_data` of req_DH_params. `data` (the serialized
 * p_q_inner_data*, at most 144 bytes) is padded with random bytes to 192; each attempt draws a fresh
 * 32-byte temp_key and is retried while the block is not below n.
 */
export function rsaPadEncrypt(
  data: Uint8Array,
  key: RsaPublicKey,
  provider: CryptoProvider,
  random: RandomSource = (length) => provider.randomBytes(length),
): Uint8Array {
  if (data.length > RSA_PAD_MAX_DATA) throw new MtwireError('CRYPTO_ARGUMENT', `RSA_PAD data is ${data.length} bytes, at most 144 allowed`);
  checkModulus(key.n);
  const dataWithPadding = new Uint8Array(PADDED_LENGTH);
  dataWithPadding.set(data);
  dataWithPadding.set(takeRandom(random, PADDED_LENGTH - data.length), data.length);
  const dataWithHash = new Uint8Array(PADDED_LENGTH + 32);
  dataWithHash.set(dataWithPadding.slice().reverse());
  for (;;) {
    const tempKey = takeRandom(random, 32);
    dataWithHash.set(provider.sha256(tempKey, dataWithPadding), PADDED_LENGTH);
    const aesEncrypted = aesIgeEncrypt(dataWithHash, tempKey, ZERO_IV);
    const aesHash = provider.sha256(aesEncrypted);
    const block = new Uint8Array(BLOCK_LENGTH);
    for (let i = 0; i < 32; i++) block[i] = tempKey[i]! ^ aesHash[i]!;
    block.set(aesEncrypted, 32);
    const value = bigIntFromBytes(block);
    if (value < key.n) return bigIntToBytes(provider.modPow(value, key.e, key.n), BLOCK_LENGTH);
  }
}

/** The single answer to every kind of bad encrypted_data, so a peer cannot tell which check failed. */
function rejected(): SecurityError {
  return new SecurityError('rsa_decrypt', 'encrypted_data rejected');
}

/** encrypted_data after the RSA private operation, with whether it was a well-formed input at all. */
export interface RsaDecryptedBlock {
  readonly block: Uint8Array;
  readonly valid: boolean;
}

/**
 * The raw RSA step shared by both server-side schemes: the one private operation a req_DH_params costs.
 * Whatever arrived, it decrypts a 256-byte value below n (a wrong length or an out-of-range value is only
 * recorded in `valid`), so that a malformed input costs the same modular exponentiation as a well-formed one.
 */
export function rsaDecryptBlock(encrypted: Uint8Array, key: RsaPrivateKey, provider: CryptoProvider): RsaDecryptedBlock {
  checkModulus(key.n);
  const padded = new Uint8Array(BLOCK_LENGTH);
  const kept = encrypted.subarray(0, BLOCK_LENGTH);
  padded.set(kept, BLOCK_LENGTH - kept.length);
  const value = bigIntFromBytes(padded);
  const valid = encrypted.length === BLOCK_LENGTH && value < key.n;
  const block = bigIntToBytes(rsaPrivateOperation(value % key.n, key, provider), BLOCK_LENGTH);
  return { block, valid };
}

/**
 * RSA_PAD's unwrapping of a decrypted block: returns data_with_padding (192 bytes: the TL object followed
 * by random padding the caller's parser ignores). Every step runs and every hash is computed before the
 * single combined verdict; any failure is the same SecurityError.
 */
export function rsaPadUnwrap({ block, valid }: RsaDecryptedBlock, provider: CryptoProvider): Uint8Array {
  const aesEncrypted = block.subarray(32);
  const aesHash = provider.sha256(aesEncrypted);
  const tempKey = new Uint8Array(32);
  for (let i = 0; i < 32; i++) tempKey[i] = block[i]! ^ aesHash[i]!;
  const dataWithHash = aesIgeDecrypt(aesEncrypted, tempKey, ZERO_IV);
  const dataWithPadding = dataWithHash.slice(0, PADDED_LENGTH).reverse();
  const hashMatches = constantTimeEqual(provider.sha256(tempKey, dataWithPadding), dataWithHash.subarray(PADDED_LENGTH));
  if (!(valid && hashMatches)) throw rejected();
  return dataWithPadding;
}

/** Server side of RSA_PAD: the private operation, then rsaPadUnwrap. */
export function rsaPadDecrypt(encrypted: Uint8Array, key: RsaPrivateKey, provider: CryptoProvider): Uint8Array {
  return rsaPadUnwrap(rsaDecryptBlock(encrypted, key, provider), provider);
}

/**
 * The pre-RSA_PAD scheme's unwrapping, RSA(SHA1(data) + data + random) over 255 bytes. Only a TL parser
 * knows where `data` ends, so the caller passes `dataLength`, which returns the length of the serialized
 * object at the start of its argument (it may throw on garbage). Returns `data`.
 */
export function rsaLegacyUnwrap(
  { block, valid }: RsaDecryptedBlock,
  provider: CryptoProvider,
  dataLength: (payload: Uint8Array) => number,
): Uint8Array {
  const payload = block.subarray(21);
  let length: number;
  try {
    length = dataLength(payload);
  } catch {
    length = -1;
  }
  const lengthValid = Number.isInteger(length) && length >= 0 && length <= payload.length;
  const data = payload.subarray(0, lengthValid ? length : payload.length);
  // The sender's 255-byte block leaves the top byte of the decrypted 256 zero.
  const hashMatches = constantTimeEqual(provider.sha1(data), block.subarray(1, 21));
  if (!(valid && lengthValid && block[0] === 0 && hashMatches)) throw rejected();
  return data.slice();
}

/** Server side of the legacy scheme: the private operation, then rsaLegacyUnwrap. */
export function rsaLegacyDecrypt(
  encrypted: Uint8Array,
  key: RsaPrivateKey,
  provider: CryptoProvider,
  dataLength: (payload: Uint8Array) => number,
): Uint8Array {
  return rsaLegacyUnwrap(rsaDecryptBlock(encrypted, key, provider), provider, dataLength);
}
