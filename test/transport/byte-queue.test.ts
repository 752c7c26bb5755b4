import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteQueue } from '../../src/transport/byte-queue.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
/** `n` bytes counting up from `from` (mod 256), so every position is distinguishable. */
const run = (from: number, n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
const queueOf = (...chunks: Uint8Array[]): ByteQueue => {
  const q = new ByteQueue();
  for (const chunk of chunks) q.push(chunk);
  return q;
};
/** The internal chunk list, only to check that consumed chunks are released. */
const internals = (q: ByteQueue) => q as unknown as { chunks: Uint8Array[]; head: number; offset: number };

describe('ByteQueue basics', () => {
  it('starts empty; take(0) on an empty queue gives an empty array', () => {
    const q = new ByteQueue();
    expect(q.length).toBe(0);
    expect(q.take(0)).toEqual(new Uint8Array(0));
    expect(q.length).toBe(0);
  });

  it('length counts pushed bytes and drops by what take and skip consume', () => {
    const q = queueOf(run(0, 3), run(3, 5));
    expect(q.length).toBe(8);
    q.take(2);
    expect(q.length).toBe(6);
    q.skip(4);
    expect(q.length).toBe(2);
    q.take(2);
    expect(q.length).toBe(0);
  });

  it('zero-length pushes change nothing, anywhere in the stream', () => {
    const q = queueOf(new Uint8Array(0), bytes(1, 2), new Uint8Array(0), new Uint8Array(0), bytes(3), new Uint8Array(0));
    expect(q.length).toBe(3);
    expect(internals(q).chunks).toHaveLength(2);
    expect([q.byteAt(0), q.byteAt(1), q.byteAt(2)]).toEqual([1, 2, 3]);
    expect(q.take(3)).toEqual(bytes(1, 2, 3));
  });

  it('byteAt reads relative to the read position, across chunks', () => {
    const q = queueOf(bytes(10, 11), bytes(12), bytes(13, 14, 15));
    expect([0, 1, 2, 3, 4, 5].map((i) => q.byteAt(i))).toEqual([10, 11, 12, 13, 14, 15]);
    q.skip(1);
    expect([0, 1, 2, 3, 4].map((i) => q.byteAt(i))).toEqual([11, 12, 13, 14, 15]);
    q.take(3);
    expect([q.byteAt(0), q.byteAt(1)]).toEqual([14, 15]);
    expect(q.length).toBe(2); // byteAt does not consume
  });

  it('byteAt past the end throws', () => {
    const q = queueOf(bytes(1, 2), bytes(3));
    expect(() => q.byteAt(3)).toThrow('ByteQueue.byteAt past the end');
    q.skip(1);
    expect(() => q.byteAt(2)).toThrow('ByteQueue.byteAt past the end');
    expect(() => new ByteQueue().byteAt(0)).toThrow('ByteQueue.byteAt past the end');
  });

  it('uint32LE is little-endian and unsigned, also when its 4 bytes lie in 4 chunks', () => {
    expect(queueOf(bytes(0x78, 0x56, 0x34, 0x12)).uint32LE(0)).toBe(0x12345678);
    expect(queueOf(bytes(0xff, 0xff, 0xff, 0xff)).uint32LE(0)).toBe(0xffffffff);
    expect(queueOf(bytes(0, 0, 0, 0x80)).uint32LE(0)).toBe(0x80000000);
    const q = queueOf(bytes(0xaa), bytes(0xef), bytes(0xbe), bytes(0xad), bytes(0xde));
    expect(q.uint32LE(1)).toBe(0xdeadbeef);
    q.skip(1);
    expect(q.uint32LE(0)).toBe(0xdeadbeef);
    expect(() => q.uint32LE(1)).toThrow('past the end');
  });
});

describe('ByteQueue.take', () => {
  it('returns a zero-copy view when the bytes sit in the first chunk', () => {
    const chunk = run(0, 16);
    const q = queueOf(chunk);
    const a = q.take(4);
    const b = q.take(12);
    expect(a).toEqual(run(0, 4));
    expect(b).toEqual(run(4, 12));
    expect(a.buffer).toBe(chunk.buffer);
    expect(b.byteOffset).toBe(chunk.byteOffset + 4);
    chunk[5] = 0xee; // a view: the change shows through
    expect(b[1]).toBe(0xee);
  });

  it('copies a read that straddles chunks, once, into a new array', () => {
    const first = run(0, 3);
    const second = run(3, 3);
    const q = queueOf(first, second);
    const out = q.take(5);
    expect(out).toEqual(run(0, 5));
    expect(out.buffer).not.toBe(first.buffer);
    expect(out.buffer).not.toBe(second.buffer);
    first[0] = 0xee;
    second[0] = 0xee;
    expect(out).toEqual(run(0, 5)); // a copy: later writes to the chunks do not show
    expect(q.take(1)).toEqual(bytes(5));
  });

  it('reads exactly up to a chunk boundary, then continues in the next chunk', () => {
    const q = queueOf(run(0, 4), run(4, 4), run(8, 4));
    expect(q.take(4)).toEqual(run(0, 4));
    expect(q.take(4)).toEqual(run(4, 4));
    expect(q.byteAt(0)).toBe(8);
    expect(q.take(4)).toEqual(run(8, 4));
    expect(q.length).toBe(0);
  });

  it('reads spanning many chunks, starting in the middle of one and ending in the middle of another', () => {
    const chunks = Array.from({ length: 100 }, (_, i) => run(i * 7, 7)); // 700 bytes in 7-byte chunks
    const q = queueOf(...chunks);
    q.skip(3);
    expect(q.take(690)).toEqual(run(3, 690));
    expect(q.length).toBe(7);
    expect(q.take(7)).toEqual(run(693, 7));
  });

  it('take(0) mid-stream returns an empty array and does not move', () => {
    const q = queueOf(bytes(1, 2), bytes(3));
    q.skip(1);
    expect(q.take(0)).toHaveLength(0);
    expect(q.length).toBe(2);
    expect(q.take(2)).toEqual(bytes(2, 3));
  });

  it('after draining, new pushes are read from their start', () => {
    const q = queueOf(bytes(1, 2, 3));
    q.take(3);
    q.push(bytes(4, 5));
    expect(q.byteAt(0)).toBe(4);
    expect(q.take(2)).toEqual(bytes(4, 5));
  });

  it('taking more than length throws (the contract is n <= length)', () => {
    expect(() => queueOf(bytes(1, 2), bytes(3)).take(4)).toThrow();
    expect(() => queueOf(bytes(1, 2, 3)).take(4)).toThrow();
  });
});

describe('ByteQueue.skip', () => {
  it('skips within a chunk, exactly to a boundary, and across many chunks', () => {
    const q = queueOf(run(0, 5), run(5, 5), run(10, 1), run(11, 1), run(12, 20));
    q.skip(2);
    expect(q.byteAt(0)).toBe(2);
    q.skip(3);
    expect(q.byteAt(0)).toBe(5);
    q.skip(12);
    expect(q.byteAt(0)).toBe(17);
    expect(q.length).toBe(15);
    q.skip(0);
    expect(q.length).toBe(15);
    q.skip(15);
    expect(q.length).toBe(0);
  });
});

describe('ByteQueue with many chunks', () => {
  it('reads thousands of one-byte chunks in order, and releases the consumed ones', () => {
    const q = new ByteQueue();
    for (let i = 0; i < 3000; i++) q.push(bytes(i & 0xff));
    for (let i = 0; i < 1500; i++) expect(q.take(1)[0]).toBe(i & 0xff);
    // The compaction after 1024 consumed chunks keeps the list from growing without bound.
    expect(internals(q).chunks.length).toBeLessThan(3000);
    expect(internals(q).chunks.length - internals(q).head).toBe(1500);
    for (let i = 0; i < 100; i++) q.push(bytes(0xaa));
    expect(q.length).toBe(1600);
    expect(q.take(1500)).toEqual(Uint8Array.from({ length: 1500 }, (_, i) => (1500 + i) & 0xff));
    expect(q.take(100)).toEqual(new Uint8Array(100).fill(0xaa));
    expect(internals(q).chunks).toHaveLength(0);
  });

  it('a steady stream (push one, take one) never holds more than a few chunks', () => {
    const q = new ByteQueue();
    q.push(run(0, 2));
    for (let i = 0; i < 5000; i++) {
      q.push(run(i, 3));
      q.take(3);
      expect(internals(q).chunks.length).toBeLessThanOrEqual(1026);
    }
    expect(q.length).toBe(2);
  });
});

type Op =
  | { op: 'push'; data: Uint8Array }
  | { op: 'take'; n: number }
  | { op: 'skip'; n: number }
  | { op: 'byteAt'; i: number }
  | { op: 'uint32LE'; i: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('push' as const), data: fc.uint8Array({ maxLength: 12 }) }),
  fc.record({ op: fc.constant('push' as const), data: fc.constant(new Uint8Array(0)) }),
  fc.record({ op: fc.constant('take' as const), n: fc.nat(30) }),
  fc.record({ op: fc.constant('skip' as const), n: fc.nat(30) }),
  fc.record({ op: fc.constant('byteAt' as const), i: fc.nat(30) }),
  fc.record({ op: fc.constant('uint32LE' as const), i: fc.nat(30) }),
);

describe('ByteQueue property', () => {
  it('behaves like one concatenated array', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        const q = new ByteQueue();
        let model: number[] = [];
        for (const step of ops) {
          switch (step.op) {
            case 'push':
              q.push(step.data);
              model = model.concat(Array.from(step.data));
              break;
            case 'take': {
              const n = Math.min(step.n, model.length);
              expect(Array.from(q.take(n))).toEqual(model.slice(0, n));
              model = model.slice(n);
              break;
            }
            case 'skip': {
              const n = Math.min(step.n, model.length);
              q.skip(n);
              model = model.slice(n);
              break;
            }
            case 'byteAt':
              if (step.i < model.length) expect(q.byteAt(step.i)).toBe(model[step.i]);
              else expect(() => q.byteAt(step.i)).toThrow();
              break;
            case 'uint32LE':
              if (step.i + 4 <= model.length) {
                const [a, b, c, d] = model.slice(step.i, step.i + 4) as [number, number, number, number];
                expect(q.uint32LE(step.i)).toBe(a + b * 0x100 + c * 0x10000 + d * 0x1000000);
              }
              break;
          }
          expect(q.length).toBe(model.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('any chunking of a stream gives the same reads', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.array(fc.nat(200)),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1 }),
        (data, cuts, reads) => {
          const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
          const q = new ByteQueue();
          let from = 0;
          for (const p of [...points, data.length]) {
            q.push(data.subarray(from, p));
            from = p;
          }
          const out: number[] = [];
          for (let k = 0; q.length > 0; k++) out.push(...q.take(Math.min(reads[k % reads.length]!, q.length)));
          expect(out).toEqual(Array.from(data));
        },
      ),
      { numRuns: 300 },
    );
  });
});
