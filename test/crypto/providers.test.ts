import { getDiffieHellman } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigIntFromBytes } from '../../src/crypto/bigint.js';
import { nodeCrypto } from '../../src/crypto/node.js';
import { portableCrypto } from '../../src/crypto/portable.js';
import { TELEGRAM_PRODUCTION_KEY } from '../../src/crypto/rsa-keys.js';
import { MtwireError } from '../../src/base/errors.js';
import { fixtureJson, fromHex, toHex } from '../helpers.js';
import { PROVIDERS } from './helpers.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const ctr = fixtureJson('aes-ctr.json').vectors;
const samples = fixtureJson('samples-auth-key.json').versions;

/** Plain square-and-multiply: slow, but independent of both implementations under test. */
function referenceModPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n % modulus;
  base %= modulus;
  for (; exponent > 0n; exponent >>= 1n) {
    if (exponent & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
  }
  return result;
}

describe.each(PROVIDERS)('$name provider', (provider) => {
  it('hashes SHA-1 and SHA-256 (FIPS 180 "abc"), over several parts', () => {
    expect(toHex(provider.sha1(ascii('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(toHex(provider.sha256(ascii('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(provider.sha1(ascii('a'), ascii(''), ascii('bc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(toHex(provider.sha256())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('AES-256-CTR: first keystream block is AES(iv) (FIPS-197 C.3)', () => {
    const aes = provider.createAesCtr(
      fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'),
      fromHex('00112233445566778899aabbccddeeff'),
    );
    expect(toHex(aes.process(new Uint8Array(16)))).toBe('8ea2b7ca516745bfeafc49904b496089');
  });

  it('AES-256-CTR: mtcute KAT, one continuous stream across calls', () => {
    const v = ctr[0];
    const aes = provider.createAesCtr(fromHex(v.key), fromHex(v.iv));
    for (const expected of v.ciphertexts_in_order) expect(toHex(aes.process(fromHex(v.plaintext_block_repeated)))).toBe(expected);
  });

  it('AES-256-CTR: gramjs KAT with chunks that do not end on a block boundary', () => {
    const v = ctr[1];
    const aes = provider.createAesCtr(ascii(v.key_ascii), ascii(v.iv_ascii));
    v.chunks_ascii.forEach((chunk: string, i: number) => expect(toHex(aes.process(ascii(chunk)))).toBe(v.ciphertexts_in_order[i]));
  });

  it('randomBytes returns the requested length, beyond the 64 KiB getRandomValues limit too', () => {
    expect(provider.randomBytes(0).length).toBe(0);
    const big = provider.randomBytes(70_000);
    expect(big.length).toBe(70_000);
    expect(big.subarray(65_536).some((b) => b !== 0)).toBe(true);
  });

  it('modPow: the official handshake values g_b = g^b and auth_key = g_a^b mod dh_prime', () => {
    for (const version of samples) {
      const dh = version.steps[5];
      const client = version.steps[6];
      const p = BigInt('0x' + dh.dh_prime);
      const b = BigInt('0x' + client.b);
      expect(provider.modPow(BigInt(dh.g), b, p)).toBe(BigInt('0x' + client.g_b));
      expect(provider.modPow(BigInt('0x' + dh.g_a), b, p)).toBe(BigInt('0x' + version.steps[7].auth_key));
    }
  });

  it('modPow: edge cases', () => {
    const n = TELEGRAM_PRODUCTION_KEY.n; // an odd composite (RSA) modulus
    expect(provider.modPow(5n, 0n, n)).toBe(1n);
    expect(provider.modPow(0n, 12345n, n)).toBe(0n);
    expect(provider.modPow(1n, n - 2n, n)).toBe(1n);
    expect(provider.modPow(n + 7n, 3n, n)).toBe(343n); // base >= modulus is reduced first
    expect(provider.modPow(n - 1n, 3n, n)).toBe(n - 1n);
    expect(provider.modPow(7n, 5n, 1n)).toBe(0n);
    expect(provider.modPow(3n, 200n, 1n << 64n)).toBe(referenceModPow(3n, 200n, 1n << 64n)); // even modulus
    expect(provider.modPow(12345n, 65537n, 1000003n)).toBe(referenceModPow(12345n, 65537n, 1000003n)); // tiny
    const hugeExponent = (n << 70n) + 12345n; // exponent far above the modulus
    expect(provider.modPow(0x1234567n, hugeExponent, n)).toBe(referenceModPow(0x1234567n, hugeExponent, n));
    const m4096 = (1n << 4095n) + 0x3fn; // OpenSSL limits exponents to 64 bits above 3072-bit moduli
    expect(provider.modPow(0xabcdefn, n, m4096)).toBe(referenceModPow(0xabcdefn, n, m4096));
    expect(() => provider.modPow(2n, 3n, 0n)).toThrow(MtwireError);
    expect(() => provider.modPow(-2n, 3n, 7n)).toThrow(MtwireError);
  });

  it('modPow: agrees with square-and-multiply on random odd, even, prime and composite moduli', () => {
    const modp14 = bigIntFromBytes(getDiffieHellman('modp14').getPrime());
    const value = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
    fc.assert(
      fc.property(value(2100), value(2100), fc.oneof(value(2048), fc.constant(modp14)), (base, exponent, m) => {
        const modulus = m === 0n ? 1n : m;
        expect(provider.modPow(base, exponent, modulus)).toBe(referenceModPow(base, exponent, modulus));
      }),
      { numRuns: 25 },
    );
  });
});

describe('providers agree', () => {
  it('AES-256-CTR across counter wrap-around and arbitrary chunking', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.array(fc.nat(70), { maxLength: 8 }), (key, cuts) => {
        const iv = fromHex('fffffffffffffffffffffffffffffffe'); // wraps after two blocks
        const data = new Uint8Array(cuts.reduce((a, b) => a + b, 0)).map((_, i) => i);
        const expected = nodeCrypto.createAesCtr(key, iv).process(data);
        const aes = portableCrypto.createAesCtr(key, iv);
        let offset = 0;
        const parts = cuts.map((cut) => aes.process(data.subarray(offset, (offset += cut))));
        expect(toHex(Uint8Array.from(parts.flatMap((p) => [...p])))).toBe(toHex(expected));
      }),
    );
  });

  it('portable AES-CTR refuses wrong key and IV sizes', () => {
    expect(() => portableCrypto.createAesCtr(new Uint8Array(16), new Uint8Array(16))).toThrow(MtwireError);
    expect(() => portableCrypto.createAesCtr(new Uint8Array(32), new Uint8Array(8))).toThrow(MtwireError);
  });
});
