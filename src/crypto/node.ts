import type * as NodeCrypto from 'node:crypto';
import { concatBytes } from '../base/concat.js';
import { requireNodeBuiltin } from '../base/host.js';
import { bigIntFromBytes, bigIntToBytes, bitLength } from './bigint.js';
import { checkModPowArgs, modPowBigInt } from './modpow.js';
import type { AesCtr, CryptoProvider } from './provider.js';
import { pooledRandom } from './random-pool.js';
import { wasmSha256 } from './sha256-wasm.js';

let loaded: typeof NodeCrypto | undefined;
/**
 * node:crypto, loaded on first use: it costs ~40 ms and ~0.5 MB of heap to load, which a program that
 * imports mtwire pays only once it connects (or calls this provider).
 */
const lib = (): typeof NodeCrypto => (loaded ??= requireNodeBuiltin<typeof NodeCrypto>('node:crypto', 'nodeCrypto'));

/** Inputs up to this size are hashed in one call (copied together first when in parts); larger ones streamed. */
const ONE_SHOT_MAX = 4096;

function hash(algorithm: 'sha1' | 'sha256', parts: Uint8Array[]): Uint8Array {
  const node = lib();
  let total = 0;
  for (const p of parts) total += p.length;
  // crypto.hash (Node 20.12+) skips the Hash object: ~0.7 µs against ~2 µs for a 52-byte input, and every
  // message costs three SHA-256 calls, two of them that small. Deno and Bun may lack it.
  if (node.hash && total <= ONE_SHOT_MAX) {
    const digest = node.hash(algorithm, parts.length === 1 ? parts[0]! : concatBytes(parts, total), 'buffer');
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  }
  const h = node.createHash(algorithm);
  for (const p of parts) h.update(p);
  const digest = h.digest(); // a fresh allocation, never pooled: view it rather than copy
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

/**
 * Inputs up to this size, two SHA-256 blocks once padded, go to the WebAssembly SHA-256: node:crypto's
 * one-shot hash costs ~0.65 µs at any size up to ~1 KiB (binding overhead; SHA-NI makes the hashing itself
 * nearly free), the WebAssembly one ~0.35 µs for one block and ~0.2 µs per block more. The KDF's two
 * 52-byte hashes per message are the case this is for.
 */
const WASM_SHA256_MAX = 119;

function sha256(parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const wasm = total <= WASM_SHA256_MAX ? wasmSha256() : null;
  return wasm ? wasm(parts) : hash('sha256', parts);
}

const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/**
 * base^exponent mod modulus through OpenSSL's RSA public operation (m^e mod n, no padding): Montgomery
 * exponentiation in C, about 5x faster than bigint arithmetic at 2048 bits (measured ~2.5 ms vs ~15 ms).
 * It works for any odd modulus (prime or not) and any 1 <= exponent < modulus. Returns undefined when
 * OpenSSL refuses the operands (it limits the exponent to 64 bits for moduli over 3072 bits) so the
 * caller can fall back.
 *
 * Not DiffieHellman.generateKeys(): node runs a full primality test on the prime at construction, which
 * costs ~300 ms for a 2048-bit prime. Like the bigint path, this is not constant-time: a DH secret is
 * used for two exponentiations only, and the RSA private exponents it sees belong to test servers.
 */
function opensslModPow(base: bigint, exponent: bigint, modulus: bigint): bigint | undefined {
  const modulusBytes = bigIntToBytes(modulus);
  try {
    const { createPublicKey, publicEncrypt, constants } = lib();
    const key = createPublicKey({ key: { kty: 'RSA', n: base64url(modulusBytes), e: base64url(bigIntToBytes(exponent)) }, format: 'jwk' });
    const input = bigIntToBytes(base, modulusBytes.length);
    return bigIntFromBytes(publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, input));
  } catch {
    return undefined;
  }
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  checkModPowArgs(base, exponent, modulus);
  if (modulus === 1n) return 0n;
  base %= modulus;
  if (exponent === 0n) return 1n;
  if (base <= 1n || exponent === 1n) return base;
  // Montgomery multiplication (OpenSSL's only path here) needs an odd modulus.
  if ((modulus & 1n) === 0n) return modPowBigInt(base, exponent, modulus);
  if (exponent < modulus) return opensslModPow(base, exponent, modulus) ?? modPowBigInt(base, exponent, modulus);
  // OpenSSL rejects e >= n. Split exponent = hi * 2^s + lo with hi < modulus, so that
  // base^exponent = (base^hi)^(2^s) * base^lo. A random 2048-bit DH exponent against a 2048-bit prime
  // lands here about a fifth of the time, with s = 1: one extra squaring.
  const s = bitLength(exponent) - bitLength(modulus) + 1;
  const high = opensslModPow(base, exponent >> BigInt(s), modulus);
  if (high === undefined) return modPowBigInt(base, exponent, modulus);
  let result = high;
  for (let i = 0; i < s; i++) result = (result * result) % modulus;
  const low = exponent & ((1n << BigInt(s)) - 1n);
  return (result * modPowBigInt(base, low, modulus)) % modulus;
}

/** The node:crypto provider (OpenSSL underneath). */
export const nodeCrypto: CryptoProvider = {
  name: 'node',
  sha1: (...parts) => hash('sha1', parts),
  sha256: (...parts) => sha256(parts),
  createAesCtr(key, iv): AesCtr {
    const cipher = lib().createCipheriv('aes-256-ctr', key, iv);
    // A view of the Buffer update() returns (a fresh allocation, never pooled): no second copy.
    return {
      process: (data) => {
        const out = cipher.update(data);
        return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      },
    };
  },
  randomBytes: pooledRandom((into) => lib().randomFillSync(into)),
  modPow,
  pbkdf2Sha512(password, salt, iterations, length) {
    const key = lib().pbkdf2Sync(password, salt, iterations, length, 'sha512');
    return new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
  },
};
