import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigIntFromBytes, bigIntToBytes, bitLength, modInverse, montgomeryNPrime, readInt64LE } from '../../src/crypto/bigint.js';
import { constantTimeEqual } from '../../src/crypto/compare.js';
import { MtwireError } from '../../src/base/errors.js';
import { fromHex, toHex } from '../helpers.js';

describe('bigIntFromBytes / bigIntToBytes', () => {
  it('reads and writes big-endian', () => {
    expect(bigIntFromBytes(fromHex('17ed48941a08f981'))).toBe(0x17ed48941a08f981n);
    expect(bigIntFromBytes(new Uint8Array(0))).toBe(0n);
    expect(bigIntFromBytes(fromHex('000001'))).toBe(1n);
    expect(toHex(bigIntToBytes(65537n))).toBe('010001');
    expect(toHex(bigIntToBytes(0n))).toBe('00');
    expect(toHex(bigIntToBytes(0n, 0))).toBe('');
  });

  it('left-pads to a requested length and refuses values that do not fit', () => {
    expect(toHex(bigIntToBytes(0x1234n, 4))).toBe('00001234');
    expect(() => bigIntToBytes(0x123456n, 2)).toThrow(MtwireError);
    expect(() => bigIntToBytes(-1n)).toThrow(MtwireError);
  });

  it('round-trips any value, minimal and padded', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 2100n) - 1n }), fc.nat(8), (n, extra) => {
        const minimal = bigIntToBytes(n);
        expect(bigIntFromBytes(minimal)).toBe(n);
        expect(minimal.length).toBe(Math.max(1, Math.ceil(bitLength(n) / 8)));
        const padded = bigIntToBytes(n, minimal.length + extra);
        expect(bigIntFromBytes(padded)).toBe(n);
      }),
    );
  });
});

describe('modInverse', () => {
  it('inverts modulo any m when coprime, and refuses a shared factor', () => {
    expect(modInverse(3n, 7n)).toBe(5n);
    expect(modInverse(-3n, 7n)).toBe(2n);
    expect(() => modInverse(6n, 9n)).toThrow(MtwireError);
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 1n << 1100n }), fc.bigInt({ min: 2n, max: 1n << 1100n }), (a, m) => {
        let gcd = [a, m];
        while (gcd[1] !== 0n) gcd = [gcd[1]!, gcd[0]! % gcd[1]!];
        if (gcd[0] !== 1n) {
          expect(() => modInverse(a, m)).toThrow(MtwireError);
        } else {
          const inverse = modInverse(a, m);
          expect(inverse >= 0n && inverse < m).toBe(true);
          expect((a * inverse) % m).toBe(1n);
        }
      }),
    );
  });
});

describe('montgomeryNPrime', () => {
  it("gives n * n' = -1 mod 2^bits for any odd n", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constantFrom(22, 32, 64), (x, bits) => {
        const n = x | 1n;
        const mask = (1n << BigInt(bits)) - 1n;
        expect((n * montgomeryNPrime(n, bits) + 1n) & mask).toBe(0n);
      }),
    );
  });
});

describe('readInt64LE', () => {
  it('reads a signed TL long', () => {
    expect(readInt64LE(fromHex('85fd64de851d9dd0'))).toBe(-3414540481677951611n);
    expect(readInt64LE(fromHex('ff0100000000000000'), 1)).toBe(1n);
  });

  it('refuses to read past the end', () => {
    expect(() => readInt64LE(new Uint8Array(7))).toThrow(MtwireError);
    expect(() => readInt64LE(new Uint8Array(8), 1)).toThrow(MtwireError);
  });
});

describe('constantTimeEqual', () => {
  it('compares contents and lengths', () => {
    expect(constantTimeEqual(fromHex('0102'), fromHex('0102'))).toBe(true);
    expect(constantTimeEqual(fromHex('0102'), fromHex('0103'))).toBe(false);
    expect(constantTimeEqual(fromHex('0102'), fromHex('010200'))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('agrees with a plain comparison', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(toHex(a) === toHex(b));
        expect(constantTimeEqual(a, a.slice())).toBe(true);
      }),
    );
  });
});
