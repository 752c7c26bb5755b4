import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { I32, I64, Op } from '../../src/base/wasm/encoder.js';
import { func, load } from './wasm-helpers.js';

/** What the encoded modules compute once instantiated: every opcode the encoder names, against a JS model. */

const i32 = fc.oneof(fc.integer({ min: -0x80000000, max: 0x7fffffff }), fc.constantFrom(0, 1, -1, 31, 32, 0x7fffffff, -0x80000000));
const i64 = fc.oneof(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.constantFrom(0n, 1n, -1n, 63n, 64n));
const u64 = (v: bigint) => BigInt.asUintN(64, v);
const s64 = (v: bigint) => BigInt.asIntN(64, v);
const bit = (b: boolean) => (b ? 1 : 0);

const i32Binary: [keyof typeof Op, (a: number, b: number) => number][] = [
  ['i32_add', (a, b) => (a + b) | 0],
  ['i32_sub', (a, b) => (a - b) | 0],
  ['i32_mul', (a, b) => Math.imul(a, b)],
  ['i32_and', (a, b) => a & b],
  ['i32_or', (a, b) => a | b],
  ['i32_xor', (a, b) => a ^ b],
  ['i32_shl', (a, b) => a << b], // both mask the count to 5 bits
  ['i32_shr_u', (a, b) => (a >>> b) | 0],
  ['i32_eq', (a, b) => bit(a === b)],
  ['i32_ne', (a, b) => bit(a !== b)],
  ['i32_lt_u', (a, b) => bit(a >>> 0 < b >>> 0)],
  ['i32_ge_u', (a, b) => bit(a >>> 0 >= b >>> 0)],
];

const i64Binary: [keyof typeof Op, (a: bigint, b: bigint) => bigint | number][] = [
  ['i64_add', (a, b) => s64(a + b)],
  ['i64_sub', (a, b) => s64(a - b)],
  ['i64_mul', (a, b) => s64(a * b)],
  ['i64_and', (a, b) => a & b],
  ['i64_shl', (a, b) => s64(a << (u64(b) & 63n))],
  ['i64_shr_u', (a, b) => s64(u64(a) >> (u64(b) & 63n))],
  ['i64_eq', (a, b) => bit(a === b)],
  ['i64_ne', (a, b) => bit(a !== b)],
  ['i64_lt_u', (a, b) => bit(u64(a) < u64(b))],
  ['i64_ge_u', (a, b) => bit(u64(a) >= u64(b))],
];
const i64Compare = new Set(['i64_eq', 'i64_ne', 'i64_lt_u', 'i64_ge_u']);

describe('opcodes, run', () => {
  it('every i32 binary operator computes what the spec says', () => {
    const m = load<Record<string, (a: number, b: number) => number>>(
      i32Binary.map(([name]) => func(name, [I32, I32], I32, (c) => c.get(0).get(1).op(Op[name]))),
    );
    fc.assert(
      fc.property(i32, i32, (a, b) => {
        for (const [name, model] of i32Binary) expect(m[name]!(a, b), `${name}(${a}, ${b})`).toBe(model(a, b));
      }),
    );
  });

  it('every i64 binary operator, with i64 params and results as bigints', () => {
    const m = load<Record<string, (a: bigint, b: bigint) => bigint | number>>(
      i64Binary.map(([name]) => func(name, [I64, I64], i64Compare.has(name) ? I32 : I64, (c) => c.get(0).get(1).op(Op[name]))),
    );
    fc.assert(
      fc.property(i64, i64, (a, b) => {
        for (const [name, model] of i64Binary) expect(m[name]!(a, b), `${name}(${a}, ${b})`).toBe(model(a, b));
      }),
    );
  });

  it('i64.rem_u (and its trap on zero), eqz, wrap and extend', () => {
    const m = load<{
      rem(a: bigint, b: bigint): bigint;
      eqz32(a: number): number;
      eqz64(a: bigint): number;
      wrap(a: bigint): number;
      extend(a: number): bigint;
    }>([
      func('rem', [I64, I64], I64, (c) => c.get(0).get(1).op(Op.i64_rem_u)),
      func('eqz32', [I32], I32, (c) => c.get(0).op(Op.i32_eqz)),
      func('eqz64', [I64], I32, (c) => c.get(0).op(Op.i64_eqz)),
      func('wrap', [I64], I32, (c) => c.get(0).op(Op.i32_wrap_i64)),
      func('extend', [I32], I64, (c) => c.get(0).op(Op.i64_extend_i32_u)),
    ]);
    fc.assert(
      fc.property(i64, i64, i32, (a, b, x) => {
        if (b !== 0n) expect(m.rem(a, b)).toBe(s64(u64(a) % u64(b)));
        expect(m.eqz64(a)).toBe(bit(a === 0n));
        expect(m.eqz32(x)).toBe(bit(x === 0));
        expect(m.wrap(a)).toBe(Number(BigInt.asIntN(32, a)));
        expect(m.extend(x)).toBe(BigInt(x >>> 0)); // zero-extended: -1 becomes 2^32 - 1
      }),
    );
    expect(() => m.rem(5n, 0n)).toThrow(); // integer divide by zero traps
  });

  it('i32.const and i64.const load any value exactly', () => {
    fc.assert(
      fc.property(fc.array(i32, { minLength: 1, maxLength: 50 }), fc.array(i64, { minLength: 1, maxLength: 50 }), (xs, ys) => {
        const m = load<Record<string, () => number | bigint>>([
          ...xs.map((x, i) => func(`a${i}`, [], I32, (c) => c.const(x))),
          ...ys.map((y, i) => func(`b${i}`, [], I64, (c) => c.const64(y))),
        ]);
        xs.forEach((x, i) => expect(m[`a${i}`]!()).toBe(x));
        ys.forEach((y, i) => expect(m[`b${i}`]!()).toBe(y));
      }),
      { numRuns: 20 },
    );
  });

  it('select picks the first operand when the condition is nonzero', () => {
    const m = load<{ pick(a: number, b: number, cond: number): number }>([
      func('pick', [I32, I32, I32], I32, (c) => c.get(0).get(1).get(2).op(Op.select)),
    ]);
    expect([m.pick(7, 9, 1), m.pick(7, 9, 0), m.pick(7, 9, -5)]).toEqual([7, 9, 7]);
  });
});

describe('control flow, run', () => {
  it('a loop with block/br_if/br sums 1..n', () => {
    const m = load<{ sum(n: number): number }>([
      func(
        'sum',
        [I32],
        I32,
        (c) =>
          c
            .block()
            .loop()
            .get(0)
            .op(Op.i32_eqz)
            .brIf(1) // n == 0: leave the block
            .get(1)
            .get(0)
            .op(Op.i32_add)
            .set(1)
            .get(0)
            .const(1)
            .op(Op.i32_sub)
            .set(0)
            .br(0) // next iteration
            .end()
            .end()
            .get(1),
        [I32],
      ),
    ]);
    expect([0, 1, 10, 1000].map((n) => m.sum(n))).toEqual([0, 1, 55, 500500]);
  });

  it('if/else and an early return', () => {
    const m = load<{ maxU(a: number, b: number): number; orDefault(a: number): number }>([
      func('maxU', [I32, I32], I32, (c) => c.get(0).get(1).op(Op.i32_ge_u).if().get(0).set(2).else().get(1).set(2).end().get(2), [I32]),
      func('orDefault', [I32], I32, (c) => c.get(0).op(Op.i32_eqz).if().const(42).op(Op.return).end().get(0)),
    ]);
    expect([m.maxU(3, 5), m.maxU(5, 3), m.maxU(-1, 5), m.maxU(7, 7)]).toEqual([5, 5, -1, 7]);
    expect([m.orDefault(0), m.orDefault(9)]).toEqual([42, 9]);
  });

  it('local.tee stores and keeps the value; i64 locals start at zero', () => {
    const m = load<{ twice(a: number): number; zero(): bigint }>([
      func('twice', [I32], I32, (c) => c.get(0).tee(1).get(1).op(Op.i32_add), [I32]),
      func('zero', [], I64, (c) => c.get(1), [I32, I64]),
    ]);
    expect(m.twice(21)).toBe(42);
    expect(m.zero()).toBe(0n);
  });
});

describe('memory, run', () => {
  const m = load<{
    mem: { buffer: ArrayBuffer };
    store32(addr: number, v: number): void;
    load32(addr: number): number;
    store16(addr: number, v: number): void;
    load8(addr: number): number;
  }>(
    [
      func('store32', [I32, I32], undefined, (c) => c.get(0).get(1).store(4)),
      func('load32', [I32], I32, (c) => c.get(0).load(4)),
      func('store16', [I32, I32], undefined, (c) => c.get(0).get(1).store16(2)),
      func('load8', [I32], I32, (c) => c.get(0).load8(1)),
    ],
    2,
  );
  const bytes = () => new Uint8Array(m.mem.buffer);

  it('i32.store / i32.load are little-endian and add the constant offset to the address', () => {
    m.store32(0, 0x11223344);
    expect(Array.from(bytes().subarray(4, 8))).toEqual([0x44, 0x33, 0x22, 0x11]);
    expect(m.load32(0)).toBe(0x11223344);
    bytes().set([0xef, 0xbe, 0xad, 0xde], 100);
    expect(m.load32(96)).toBe(0xdeadbeef | 0);
  });

  it('i32.store16 writes the low two bytes; i32.load8_u reads one byte zero-extended', () => {
    bytes().fill(0, 0, 16);
    m.store16(8, 0x12abcdef);
    expect(Array.from(bytes().subarray(8, 14))).toEqual([0, 0, 0xef, 0xcd, 0, 0]);
    expect(m.load8(9)).toBe(0xef);
    expect(m.load8(10)).toBe(0xcd);
    bytes()[300] = 0xff;
    expect(m.load8(299)).toBe(255); // unsigned, not -1
  });

  it('accesses past the memory trap', () => {
    const end = 2 * 65536;
    expect(() => m.load32(end - 8)).not.toThrow();
    expect(() => m.load32(end - 7)).toThrow();
    expect(() => m.load8(end - 1)).toThrow();
    expect(() => m.store16(end - 3, 1)).toThrow();
  });
});
