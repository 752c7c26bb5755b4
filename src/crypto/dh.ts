/**
 * Diffie-Hellman parameter and public-value checks (spec §4 step 6b, reused by calls in §7). A client
 * must refuse a server-chosen group that is not a 2048-bit safe prime with a generator of the expected
 * order, and any public value too close to 0 or p.
 */
import { bigIntFromBytes, bigIntToBytes } from './bigint.js';
import { isProbablePrime, SMALL_PRIMES } from './primes.js';
import { takeRandom, type CryptoProvider, type RandomSource } from './provider.js';
import { SecurityError } from './security-error.js';

/** The 2048-bit safe prime Telegram's servers use (printed in the auth_key and security guidelines pages). */
export const TELEGRAM_DH_PRIME = BigInt(
  '0x' +
    'c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c37' +
    '20fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f642477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4' +
    'a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4' +
    'e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b',
);

const TWO_2047 = 1n << 2047n;
const TWO_2048 = 1n << 2048n;
/** Public values must keep 64 bits of distance from 0 and p (security guidelines). */
const PUBLIC_MARGIN = 1n << (2048n - 64n);
/** Miller-Rabin rounds on (p-1)/2: a composite survives with probability below 2^-128. */
const PRIME_ROUNDS = 64;
/** Other primes proven safe in this process, so a reconnect does not pay ~65 exponentiations again. */
const verifiedPrimes = new Set<bigint>();
const MAX_VERIFIED = 16;
/** generateDhKeyPair draws; more than one failure already means a broken group. */
const MAX_KEY_ATTEMPTS = 4;

/**
 * p is a safe prime: q = (p-1)/2 passes 64 random Miller-Rabin rounds, then p itself is proven prime by
 * Pocklington's criterion, which is exact once q is prime and costs one exponentiation: for p = 2q + 1
 * with q prime, p is prime iff 2^(p-1) = 1 (mod p) and gcd(2^2 - 1, p) = 1, i.e. 3 does not divide p.
 */
export function isSafePrime(p: bigint, provider: CryptoProvider): boolean {
  if (p < 7n || (p & 3n) !== 3n) return p === 5n; // q = (p-1)/2 must be odd unless q = 2
  const q = (p - 1n) >> 1n;
  // Sieve both at once: p or q divisible by a small prime s means p is not safe (unless it is s itself).
  for (const s of SMALL_PRIMES) {
    if ((p % s === 0n && p !== s) || (q % s === 0n && q !== s)) return false;
  }
  return isProbablePrime(q, PRIME_ROUNDS, provider) && provider.modPow(2n, p - 1n, p) === 1n;
}

/** Checks a server's (or calls' getDhConfig) dh_prime and g; throws SecurityError naming the failed check. */
export function checkDhParams(p: bigint, g: number, provider: CryptoProvider): void {
  if (!(p > TWO_2047 && p < TWO_2048)) throw new SecurityError('dh_prime_range', 'dh_prime is not a 2048-bit number');
  if (!Number.isInteger(g) || g < 2 || g > 7) throw new SecurityError('dh_g_range', `g = ${g} is outside 2..7`);
  // Each rule makes g generate the order-q subgroup (g a quadratic residue mod p): spec §4 step 6b.
  const residueOk = (() => {
    switch (g) {
      case 2:
        return p % 8n === 7n;
      case 3:
        return p % 3n === 2n;
      case 4:
        return true;
      case 5:
        return [1n, 4n].includes(p % 5n);
      case 6:
        return [19n, 23n].includes(p % 24n);
      default:
        return [3n, 5n, 6n].includes(p % 7n);
    }
  })();
  if (!residueOk) throw new SecurityError('dh_g_residue', `g = ${g} does not generate the prime-order subgroup of this dh_prime`);
  if (p === TELEGRAM_DH_PRIME || verifiedPrimes.has(p)) return;
  if (!isSafePrime(p, provider)) throw new SecurityError('dh_prime_not_safe', 'dh_prime is not a safe prime');
  if (verifiedPrimes.size >= MAX_VERIFIED) verifiedPrimes.clear();
  verifiedPrimes.add(p);
}

/** Checks g_a / g_b / g_x: 1 < g_x < p-1 and 2^(2048-64) < g_x < p - 2^(2048-64). */
export function checkDhPublic(gx: bigint, p: bigint): void {
  if (!(gx > 1n && gx < p - 1n)) throw new SecurityError('dh_public_range', 'DH public value outside 1 < g_x < p-1');
  if (!(gx > PUBLIC_MARGIN && gx < p - PUBLIC_MARGIN))
    throw new SecurityError('dh_public_window', 'DH public value within 2^1984 of 0 or p');
}

export interface DhKeyPair {
  readonly secret: bigint;
  /** g^secret mod p, already checked with checkDhPublic. */
  readonly publicValue: bigint;
}

/**
 * A 2048-bit random secret and its public value (the client's b and g_b, or a call's a and g_a). Draws
 * again in the astronomically unlikely case that g^secret fails checkDhPublic; after a few failures the
 * group itself must be bad (checkDhParams not run), and the last error is thrown. `mixIn` (e.g. the
 * random bytes of messages.dhConfig) is XORed into the local randomness, never used alone.
 */
export function generateDhKeyPair(
  p: bigint,
  g: number,
  provider: CryptoProvider,
  options: { random?: RandomSource; mixIn?: Uint8Array } = {},
): DhKeyPair {
  const random = options.random ?? ((n: number) => provider.randomBytes(n));
  for (let attempt = 1; ; attempt++) {
    const bytes = new Uint8Array(takeRandom(random, 256)); // a copy: mixIn must not write into the caller's bytes
    options.mixIn?.subarray(0, 256).forEach((b, i) => (bytes[i]! ^= b));
    const secret = bigIntFromBytes(bytes);
    const publicValue = provider.modPow(BigInt(g), secret, p);
    try {
      checkDhPublic(publicValue, p);
      return { secret, publicValue };
    } catch (error) {
      if (attempt === MAX_KEY_ATTEMPTS) throw error;
    }
  }
}

/** The shared key (the auth key, or a call key): otherPublic^secret mod p as 256 big-endian bytes. */
export function dhSharedKey(otherPublic: bigint, secret: bigint, p: bigint, provider: CryptoProvider): Uint8Array {
  checkDhPublic(otherPublic, p);
  return bigIntToBytes(provider.modPow(otherPublic, secret, p), 256);
}
