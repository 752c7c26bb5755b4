import { MtwireError } from '../base/errors.js';

/**
 * The few primitives mtwire needs from a crypto library. Everything above this (IGE, KDF, RSA_PAD, DH
 * checks, obfuscation) is written once on top of it.
 *
 * `nodeCrypto` (./node.ts) is the fast path in Node; `portableCrypto` (./portable.ts) runs where
 * node:crypto is absent (browsers, workers) on @noble/hashes and pure TypeScript.
 */
export interface CryptoProvider {
  readonly name: string;
  sha1(...parts: Uint8Array[]): Uint8Array;
  sha256(...parts: Uint8Array[]): Uint8Array;
  /** A stateful AES-256-CTR keystream: `process` may be called many times and continues the stream. */
  createAesCtr(key: Uint8Array, iv: Uint8Array): AesCtr;
  /** Fills a new array with cryptographically secure random bytes. */
  randomBytes(length: number): Uint8Array;
  /** base^exponent mod modulus for non-negative bigints (2048-bit DH and RSA sizes). */
  modPow(base: bigint, exponent: bigint, modulus: bigint): bigint;
  /**
   * PBKDF2-HMAC-SHA512 (the cloud password's 100000-iteration step). Optional: the SRP code falls back to
   * @noble/hashes, which is several times slower than OpenSSL for this loop.
   */
  pbkdf2Sha512?(password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Uint8Array;
}

export interface AesCtr {
  /** Encrypts or decrypts (the same operation) and returns a new array of the same length. */
  process(data: Uint8Array): Uint8Array;
}

/** Fills a new array with random bytes; injectable where tests must replay known "random" values. */
export type RandomSource = (length: number) => Uint8Array;

/** Calls `random`, refusing a result of the wrong size (an injected source is caller code). */
export function takeRandom(random: RandomSource, length: number): Uint8Array {
  const bytes = random(length);
  if (bytes.length !== length) throw new MtwireError('CRYPTO_ARGUMENT', `random source returned ${bytes.length} bytes, wanted ${length}`);
  return bytes;
}
