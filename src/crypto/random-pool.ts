import type { RandomSource } from './provider.js';

/** Bytes drawn from the CSPRNG per refill: one call pays for hundreds of messages' padding and ids. */
const POOL_BYTES = 16384;
/** Requests above this skip the pool (a 256-byte nonce or a DH exponent), so that they never drain it. */
const POOLED_MAX = 256;

/**
 * A CSPRNG source that draws large blocks and hands out each byte once. A call into the host's
 * generator costs microseconds (randomFillSync: ~4.7 µs) whatever its size, while every encrypted
 * frame wants 12..27 bytes of padding and every session a few 8-byte ids: slicing them from one block
 * removes that cost from the request path. Each answer is a copy, so no caller can see or change bytes
 * handed to another, and the pool forgets every byte it gives out (it never rewinds).
 */
export function pooledRandom(fill: (into: Uint8Array) => void): RandomSource {
  const pool = new Uint8Array(POOL_BYTES);
  let used = POOL_BYTES;
  return (length) => {
    if (length > POOLED_MAX) {
      const out = new Uint8Array(length);
      fill(out);
      return out;
    }
    if (used + length > POOL_BYTES) {
      fill(pool);
      used = 0;
    }
    const out = pool.slice(used, used + length);
    used += length;
    return out;
  };
}
