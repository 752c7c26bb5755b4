import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../src/crypto/node.js';
import { portableCrypto } from '../../src/crypto/portable.js';
import { pooledRandom } from '../../src/crypto/random-pool.js';

/** A stand-in generator that writes a running 32-bit counter, so every byte it ever produced is distinct per position. */
function countingFill() {
  const calls: number[] = [];
  let next = 0;
  const fill = (into: Uint8Array): void => {
    calls.push(into.length);
    const view = new DataView(into.buffer, into.byteOffset, into.byteLength);
    for (let i = 0; i + 4 <= into.length; i += 4) view.setUint32(i, next++);
  };
  return { fill, calls };
}

/** The counter words in `bytes` (which start on a word boundary of the pool). */
const words = (bytes: Uint8Array): number[] => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length >> 2 }, (_, i) => view.getUint32(4 * i));
};

describe('pooledRandom', () => {
  it('draws one 16 KiB block for many small requests and hands each byte out once', () => {
    const { fill, calls } = countingFill();
    const random = pooledRandom(fill);
    const seen: number[] = [];
    for (let i = 0; i < 2048; i++) seen.push(...words(random(8))); // exactly one block
    expect(calls).toEqual([16384]);
    expect(seen).toEqual(Array.from({ length: 4096 }, (_, i) => i));
    random(8);
    expect(calls).toEqual([16384, 16384]);
  });

  it('refills rather than split a request across blocks, and never hands out a byte twice', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 1, max: 256 }).map((n) => n * 4),
          { minLength: 1, maxLength: 300 },
        ),
        (lengths) => {
          const { fill } = countingFill();
          const random = pooledRandom(fill);
          const all = lengths.flatMap((n) => {
            const bytes = random(n);
            expect(bytes.length).toBe(n);
            return words(bytes);
          });
          expect(new Set(all).size).toBe(all.length);
        },
      ),
    );
  });

  it('fills requests over 256 bytes directly, leaving the pool as it was', () => {
    const { fill, calls } = countingFill();
    const random = pooledRandom(fill);
    expect(random(257).length).toBe(257);
    expect(calls).toEqual([257]);
    random(4);
    expect(calls).toEqual([257, 16384]);
  });

  it('answers with copies: changing one answer changes neither the pool nor the next answer', () => {
    const { fill } = countingFill();
    const random = pooledRandom(fill);
    const first = random(4);
    first.fill(0xff);
    expect(words(random(4))).toEqual([1]);
    expect(first.buffer.byteLength).toBe(4);
  });

  for (const provider of [nodeCrypto, portableCrypto]) {
    it(`${provider.name}: randomBytes of any length from 0 to 70,000 bytes, no two small answers alike`, () => {
      for (const n of [0, 1, 12, 27, 256, 257, 16385, 70000]) expect(provider.randomBytes(n).length).toBe(n);
      const answers = Array.from({ length: 5000 }, () => Buffer.from(provider.randomBytes(16)).toString('hex'));
      expect(new Set(answers).size).toBe(answers.length);
    });
  }
});
