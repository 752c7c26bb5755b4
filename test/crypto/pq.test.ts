import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factorizePQ as factorizeDefault, PqFactorizationError } from '../../src/crypto/pq.js';
import { generatePqModule } from '../../src/crypto/pq-wasm.js';
import { isPrimeU64 } from '../../src/crypto/primes.js';
import { fixtureJson } from '../helpers.js';

const samples = fixtureJson('samples-auth-key.json').versions;

/** The prime at or after `start` (isPrimeU64 is deterministic below 2^64, checked below). */
function nextPrime(start: bigint): bigint {
  let n = start | 1n;
  while (!isPrimeU64(n)) n += 2n;
  return n;
}

describe('isPrimeU64', () => {
  it('agrees with trial division below 20000', () => {
    const trial = (n: number) => {
      for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
      return n > 1;
    };
    for (let n = 0; n < 20_000; n++) if (isPrimeU64(BigInt(n)) !== trial(n)) expect.fail(`isPrimeU64(${n})`);
  });

  it('rejects strong pseudoprimes and Carmichael numbers, accepts large primes', () => {
    expect(isPrimeU64(3215031751n)).toBe(false); // strong pseudoprime to bases 2, 3, 5, 7
    expect(isPrimeU64(3825123056546413051n)).toBe(false); // strong pseudoprime to bases 2..23
    expect(isPrimeU64(561n * 1n)).toBe(false);
    expect(isPrimeU64(18446744073709551557n)).toBe(true); // largest prime below 2^64
    expect(isPrimeU64(2305843009213693951n)).toBe(true); // 2^61 - 1
  });
});

describe.each([
  ['WebAssembly walk', true],
  ['JavaScript walk', false],
])('factorizePQ (%s)', (_, useWasm) => {
  const factorizePQ = (pq: bigint) => factorizeDefault(pq, { useWasm });

  it('factors the classic 0x17ED48941A08F981', () => {
    expect(factorizePQ(0x17ed48941a08f981n)).toEqual([0x494c553bn, 0x53911073n]);
  });

  it('factors the pq of both official handshake samples', () => {
    for (const version of samples) {
      const step = version.steps[2];
      expect(factorizePQ(BigInt(step.pq))).toEqual([BigInt(step.p), BigInt(step.q)]);
    }
  });

  it('factors products of two distinct random 31-bit primes', () => {
    const prime31 = fc.bigInt({ min: 1n << 30n, max: (1n << 31n) - 1n }).map(nextPrime);
    fc.assert(
      fc.property(prime31, prime31, (a, b) => {
        fc.pre(a !== b);
        const [p, q] = a < b ? [a, b] : [b, a];
        expect(factorizePQ(p * q)).toEqual([p, q]);
      }),
      { numRuns: 40 },
    );
  });

  it('factors every product of two distinct primes below 400 (tiny moduli)', () => {
    const primes = Array.from({ length: 400 }, (_, i) => BigInt(i)).filter(isPrimeU64);
    for (const p of primes) for (const q of primes) if (p < q) expect(factorizePQ(p * q)).toEqual([p, q]);
  });

  it('factors unbalanced and near-2^64 products', () => {
    expect(factorizePQ(3n * 1000000007n)).toEqual([3n, 1000000007n]);
    expect(factorizePQ(2n * 1000000007n)).toEqual([2n, 1000000007n]);
    const p = nextPrime(1n << 31n);
    const q = nextPrime((1n << 32n) + 12345n);
    expect(factorizePQ(p * q)).toEqual([p, q]);
    expect(factorizePQ(4294967279n * 4294967291n)).toEqual([4294967279n, 4294967291n]); // the two largest 32-bit primes
  });

  it('factors products on both sides of 2^63 (where the WebAssembly walk hands over to JavaScript)', () => {
    const below = [nextPrime(3037000000n), nextPrime(3037000450n)] as const;
    const above = [nextPrime(3037000600n), nextPrime(3037001000n)] as const;
    expect(below[0] * below[1] < 1n << 63n && above[0] * above[1] >= 1n << 63n).toBe(true);
    for (const [p, q] of [below, above]) expect(factorizePQ(p * q)).toEqual([p, q]);
  });

  it.each([
    ['a prime', 1000000007n],
    ['a prime square', 1000000007n * 1000000007n],
    ['three primes', 1009n * 1013n * 1019n],
    ['a number below 6', 4n],
    ['a number of 2^64 or more', 1n << 64n],
    ['negative', -15n],
  ])('rejects %s with PqFactorizationError', (_, pq) => {
    expect(() => factorizePQ(pq)).toThrow(PqFactorizationError);
  });
});

describe('the WebAssembly walk', () => {
  it('is a valid module', () => {
    const api = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(api.validate(generatePqModule())).toBe(true);
    expect(factorizeDefault(0x17ed48941a08f981n)).toEqual(factorizeDefault(0x17ed48941a08f981n, { useWasm: false }));
  });
});
