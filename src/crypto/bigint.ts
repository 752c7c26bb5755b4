/**
 * Conversions between byte strings and bigints. MTProto writes big numbers (pq, p, q, dh_prime, g_a, RSA
 * n/e, the auth key) big-endian inside TL `bytes`, and 64-bit ids (fingerprints, salts, session and message
 * ids) as little-endian TL `long`s.
 */
import { MtwireError } from '../base/errors.js';

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Reads an unsigned big-endian integer; the empty array is 0. */
export function bigIntFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  // One BigInt parse of a hex string beats per-byte shifting, which allocates a bigint per byte.
  let hex = '0x';
  for (let i = 0; i < bytes.length; i++) hex += HEX_BYTE[bytes[i]!];
  return BigInt(hex);
}

/**
 * Writes a non-negative bigint big-endian. Without `length` the result is minimal (no leading zero
 * bytes; 0 is one zero byte), as TL wants for pq/p/q and RSA n/e. With `length` it is left-padded with
 * zeros (g_a, g_b, the auth key and RSA blocks are fixed-size), and a value that does not fit is an error
 * rather than a silent truncation.
 */
export function bigIntToBytes(n: bigint, length?: number): Uint8Array {
  if (n < 0n) throw new MtwireError('BIGINT_RANGE', 'cannot encode a negative bigint as unsigned bytes');
  let hex = n === 0n ? '' : n.toString(16);
  if (hex.length & 1) hex = '0' + hex;
  const needed = hex.length >>> 1;
  const size = length ?? Math.max(needed, 1);
  if (!Number.isInteger(size) || size < needed) {
    throw new MtwireError('BIGINT_RANGE', `a ${needed}-byte value does not fit in ${String(length)} bytes`);
  }
  const out = new Uint8Array(size);
  const start = size - needed;
  for (let i = 0; i < needed; i++) out[start + i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Number of significant bits (0 for 0). */
export function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Reads a signed 64-bit little-endian integer (a TL `long`) at `offset`. */
export function readInt64LE(bytes: Uint8Array, offset = 0): bigint {
  if (!Number.isInteger(offset) || offset < 0 || offset + 8 > bytes.length) {
    throw new MtwireError('BIGINT_RANGE', `need 8 bytes at offset ${offset}, have ${bytes.length}`);
  }
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigInt64(offset, true);
}

/** a^-1 mod m for coprime a and m > 1 (extended Euclid); an error when they share a factor. */
export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) throw new MtwireError('BIGINT_RANGE', 'modInverse: the arguments are not coprime');
  return ((oldS % m) + m) % m;
}

/**
 * Montgomery's n' = -n^-1 mod 2^bits for an odd n, by Newton's iteration: an odd n is its own inverse
 * mod 8, and each step doubles the number of correct low bits.
 */
export function montgomeryNPrime(n: bigint, bits: number): bigint {
  const mask = (1n << BigInt(bits)) - 1n;
  let inv = n & mask;
  for (let correct = 3; correct < bits; correct *= 2) inv = (inv * (2n - n * inv)) & mask;
  return -inv & mask;
}
