/**
 * Primality tests: a deterministic one for 64-bit values (pq factors) and a randomized Miller-Rabin for
 * big, possibly adversarial values (a server-chosen DH prime).
 */
import { MtwireError } from '../base/errors.js';
import { bigIntFromBytes, bitLength } from './bigint.js';
import { modPowBigInt } from './modpow.js';
import type { CryptoProvider } from './provider.js';

/** Odd primes below 2000, for trial division before the expensive rounds. */
export const SMALL_PRIMES: readonly bigint[] = (() => {
  const limit = 2000;
  const composite = new Uint8Array(limit);
  const primes: bigint[] = [];
  for (let i = 3; i < limit; i += 2) {
    if (composite[i]) continue;
    primes.push(BigInt(i));
    for (let j = i * i; j < limit; j += 2 * i) composite[j] = 1;
  }
  return primes;
})();

/** One Miller-Rabin round: false means `n` is certainly composite. `n` odd > 3, n - 1 = d * 2^r. */
function passesRound(n: bigint, base: bigint, d: bigint, r: number, modPow: CryptoProvider['modPow']): boolean {
  let x = modPow(base, d, n);
  if (x === 1n || x === n - 1n) return true;
  for (let i = 1; i < r; i++) {
    x = (x * x) % n;
    if (x === n - 1n) return true;
    if (x === 1n) return false;
  }
  return false;
}

/** Returns [d, r] with n - 1 = d * 2^r, d odd. */
function splitPowerOfTwo(n: bigint): [bigint, number] {
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  return [d, r];
}

/** Settles small n and catches most composites cheaply; undefined means "run Miller-Rabin". */
function trialDivision(n: bigint): boolean | undefined {
  if (n < 2n) return false;
  if (n < 4n) return true;
  if ((n & 1n) === 0n) return false;
  for (const p of SMALL_PRIMES) {
    if (n === p) return true;
    if (n % p === 0n) return false;
  }
  return undefined;
}

/**
 * Deterministic for n < 2^64: Miller-Rabin with the first twelve prime bases has no strong pseudoprime
 * below 3.3 * 10^24 (Sorenson & Webster 2015), so the answer is exact, not probabilistic.
 */
const U64_BASES = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n];

export function isPrimeU64(n: bigint): boolean {
  if (n >= 1n << 64n) throw new MtwireError('BIGINT_RANGE', 'isPrimeU64 is exact only below 2^64');
  const small = trialDivision(n);
  if (small !== undefined) return small;
  const [d, r] = splitPowerOfTwo(n);
  return U64_BASES.every((a) => passesRound(n, a, d, r, modPowBigInt));
}

/**
 * Randomized Miller-Rabin with `rounds` independent bases drawn from the provider's CSPRNG. A composite
 * survives one round with probability < 1/4 even when chosen by an adversary, so the error bound is
 * 4^-rounds. Random (not fixed) bases matter: fixed bases can be defeated by constructed composites.
 */
export function isProbablePrime(n: bigint, rounds: number, provider: CryptoProvider): boolean {
  const small = trialDivision(n);
  if (small !== undefined) return small;
  const [d, r] = splitPowerOfTwo(n);
  // 8 extra bytes make the modulo bias of the base choice negligible (< 2^-64).
  const byteCount = Math.ceil(bitLength(n) / 8) + 8;
  for (let i = 0; i < rounds; i++) {
    const base = (bigIntFromBytes(provider.randomBytes(byteCount)) % (n - 3n)) + 2n; // 2 <= base <= n - 2
    if (!passesRound(n, base, d, r, provider.modPow)) return false;
  }
  return true;
}
