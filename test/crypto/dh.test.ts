import { generatePrimeSync, getDiffieHellman } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bigIntFromBytes, bigIntToBytes } from '../../src/crypto/bigint.js';
import { checkDhParams, checkDhPublic, dhSharedKey, generateDhKeyPair, isSafePrime, TELEGRAM_DH_PRIME } from '../../src/crypto/dh.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { isPrimeU64, SMALL_PRIMES } from '../../src/crypto/primes.js';
import { fixtureJson } from '../helpers.js';
import { PROVIDERS, replayRandom, securityErrorOf } from './helpers.js';

const samples = fixtureJson('samples-auth-key.json').versions;
/** RFC 3526 group 14: a 2048-bit safe prime that is not Telegram's, so it takes the full test. */
const MODP14 = bigIntFromBytes(getDiffieHellman('modp14').getPrime());
const MARGIN = 1n << 1984n;

describe('checkDhParams', () => {
  it("accepts the official samples' dh_prime and g", () => {
    for (const version of samples) {
      const step = version.steps[5];
      expect(BigInt('0x' + step.dh_prime)).toBe(TELEGRAM_DH_PRIME);
      checkDhParams(TELEGRAM_DH_PRIME, step.g, nodeCrypto);
    }
  });

  it('the cached Telegram prime really is a safe prime', () => {
    expect(isSafePrime(TELEGRAM_DH_PRIME, nodeCrypto)).toBe(true);
  });

  it.each(PROVIDERS)('isSafePrime with the $name provider: proves a safe prime, refuses p = 2q + 1 composite with q prime', (provider) => {
    expect(isSafePrime(MODP14, provider)).toBe(true);
    // A small p = 2q + 1, q prime, p composite but free of factors below 2000: only the final
    // (Pocklington) exponentiation can catch it.
    let p = (1n << 62n) + 3n;
    while (!(isPrimeU64((p - 1n) / 2n) && !isPrimeU64(p) && SMALL_PRIMES.every((s) => p % s !== 0n))) p += 4n;
    expect(isSafePrime(p, provider)).toBe(false);
    let safe = (1n << 40n) + 3n;
    while (!(isPrimeU64(safe) && isPrimeU64((safe - 1n) / 2n))) safe += 4n;
    expect(isSafePrime(safe, provider)).toBe(true);
    expect(isSafePrime(safe + 4n, provider)).toBe(false);
  });

  it('accepts every g on a prime that meets all residue rules', () => {
    // MODP14 mod 8 = 7, mod 3 = 2, mod 5 = 4, mod 24 = 23, mod 7 = 5.
    for (const g of [2, 3, 4, 5, 6, 7]) checkDhParams(MODP14, g, nodeCrypto);
  });

  it.each([
    ['below 2^2047', 1n << 2047n],
    ['at 2^2048', 1n << 2048n],
    ['a 1024-bit prime', bigIntFromBytes(getDiffieHellman('modp2').getPrime())],
  ])('rejects a dh_prime %s: dh_prime_range', (_, p) => {
    expect(securityErrorOf(() => checkDhParams(p, 3, nodeCrypto)).check).toBe('dh_prime_range');
  });

  it.each([1, 8, 0, -3, 2.5, Number.NaN])('rejects g = %s: dh_g_range', (g) => {
    expect(securityErrorOf(() => checkDhParams(TELEGRAM_DH_PRIME, g, nodeCrypto)).check).toBe('dh_g_range');
  });

  it('applies the residue rule of each g: dh_g_residue', () => {
    // Telegram's prime: p mod 8 = 3, mod 3 = 2, mod 5 = 3, mod 24 = 11, mod 7 = 6.
    expect([
      TELEGRAM_DH_PRIME % 8n,
      TELEGRAM_DH_PRIME % 3n,
      TELEGRAM_DH_PRIME % 5n,
      TELEGRAM_DH_PRIME % 24n,
      TELEGRAM_DH_PRIME % 7n,
    ]).toEqual([3n, 2n, 3n, 11n, 6n]);
    for (const g of [3, 4, 7]) checkDhParams(TELEGRAM_DH_PRIME, g, nodeCrypto);
    for (const g of [2, 5, 6]) {
      expect(securityErrorOf(() => checkDhParams(TELEGRAM_DH_PRIME, g, nodeCrypto)).check).toBe('dh_g_residue');
    }
  });

  it('rejects a 2048-bit prime that is not safe: dh_prime_not_safe', () => {
    const p = generatePrimeSync(2048, { bigint: true }); // (p-1)/2 is composite with overwhelming probability
    expect(securityErrorOf(() => checkDhParams(p, 4, nodeCrypto)).check).toBe('dh_prime_not_safe');
  });

  it('rejects a composite of the right size: dh_prime_not_safe', () => {
    const p = TELEGRAM_DH_PRIME + 24n * 5n * 7n * 1000n; // keeps p mod 3 = 2 for g = 3
    expect(securityErrorOf(() => checkDhParams(p, 3, nodeCrypto)).check).toBe('dh_prime_not_safe');
  });
});

describe('checkDhPublic', () => {
  const p = TELEGRAM_DH_PRIME;

  it("accepts the samples' g_a and g_b", () => {
    for (const version of samples) {
      checkDhPublic(BigInt('0x' + version.steps[5].g_a), p);
      checkDhPublic(BigInt('0x' + version.steps[6].g_b), p);
    }
  });

  it.each([
    ['0', 0n],
    ['1', 1n],
    ['p - 1', p - 1n],
    ['p', p],
    ['p + 5', p + 5n],
  ])('rejects g_x = %s: dh_public_range', (_, gx) => {
    expect(securityErrorOf(() => checkDhPublic(gx, p)).check).toBe('dh_public_range');
  });

  it.each([
    ['2', 2n],
    ['2^1984', MARGIN],
    ['p - 2^1984', p - MARGIN],
    ['p - 2', p - 2n],
  ])('rejects g_x = %s: dh_public_window', (_, gx) => {
    expect(securityErrorOf(() => checkDhPublic(gx, p)).check).toBe('dh_public_window');
  });

  it('accepts the edges just inside the window', () => {
    checkDhPublic(MARGIN + 1n, p);
    checkDhPublic(p - MARGIN - 1n, p);
  });
});

describe.each(PROVIDERS)('DH key agreement ($name provider)', (provider) => {
  it('both sides derive the same 256-byte key', () => {
    const a = generateDhKeyPair(TELEGRAM_DH_PRIME, 3, provider);
    const b = generateDhKeyPair(TELEGRAM_DH_PRIME, 3, provider);
    const key = dhSharedKey(b.publicValue, a.secret, TELEGRAM_DH_PRIME, provider);
    expect(key.length).toBe(256);
    expect(dhSharedKey(a.publicValue, b.secret, TELEGRAM_DH_PRIME, provider)).toEqual(key);
  });

  it("reproduces the samples' g_b and auth_key from b, and mixes in extra randomness", () => {
    const version = samples[0];
    const b = bigIntToBytes(BigInt('0x' + version.steps[6].b), 256);
    const pair = generateDhKeyPair(TELEGRAM_DH_PRIME, 3, provider, { random: replayRandom(b) });
    expect(pair.publicValue).toBe(BigInt('0x' + version.steps[6].g_b));
    const authKey = dhSharedKey(BigInt('0x' + version.steps[5].g_a), pair.secret, TELEGRAM_DH_PRIME, provider);
    expect(bigIntFromBytes(authKey)).toBe(BigInt('0x' + version.steps[7].auth_key));

    const mixIn = new Uint8Array(256).fill(0xff);
    const mixed = generateDhKeyPair(TELEGRAM_DH_PRIME, 3, provider, { random: replayRandom(b), mixIn });
    expect(mixed.secret).toBe(bigIntFromBytes(b.map((x) => x ^ 0xff)));
  });

  it('refuses a bad peer value before exponentiating', () => {
    expect(securityErrorOf(() => dhSharedKey(1n, 5n, TELEGRAM_DH_PRIME, provider)).check).toBe('dh_public_range');
  });

  it('gives up on a group whose public values always fail the window', () => {
    expect(securityErrorOf(() => generateDhKeyPair(1000003n, 2, provider)).check).toBe('dh_public_window');
  });
});
