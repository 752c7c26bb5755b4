/**
 * The Pollard-Brent walk of ./pq.ts in WebAssembly, where 64-bit integer multiplication is native: one
 * Montgomery multiplication modulo n (R = 2^64) is a dozen i64 operations, where the JavaScript walk
 * needs double-precision limbs. About twice as fast per step.
 *
 * Montgomery product of a, b < n < 2^63: T = a*b as (hi, lo); m = lo * n' mod 2^64 with n' = -n^-1;
 * (T + m*n) / 2^64 = hi + mulhi(m, n) + (lo != 0), since lo + (m*n mod 2^64) is 0 or exactly 2^64. The
 * sum is below 2n < 2^64, so one conditional subtraction reduces it. That bound is why the walk only
 * takes n < 2^63 (real pq are ~2^62); ./pq.ts keeps the JavaScript walk for the rest.
 *
 * Exports `walk(n, n', c) -> factor`, the same walk as brentWalk in ./pq.ts: y0 = 2, y <- y^2/R + c,
 * 128 steps per gcd, replay on overshoot; it returns n itself when this c failed.
 */
import { CodeWriter, encodeModule, I32, I64, Op, repeat } from '../base/wasm/encoder.js';
import { instantiate } from '../base/wasm/instantiate.js';
import { montgomeryNPrime } from './bigint.js';

// Params (i64).
const N = 0;
const NP = 1; // n' = -n^-1 mod 2^64
const C = 2; // c mod n
// i64 locals.
const Y = 3;
const X = 4;
const SAVED = 5;
const Q = 6; // product of the differences
const G = 7;
const T = 8;
const LO = 9;
const HI = 10;
const A = 11; // operands of mulhi
const B = 12;
const P01 = 13;
const P10 = 14;
const GA = 15;
const GB = 16;
// i32 locals.
const R = 17;
const K = 18;
const J = 19;
/** The locals after the three params: Y..GB, then R, K, J. */
const LOCALS = [...repeat(I64, 14), ...repeat(I32, 3)];

const BATCH = 128;
const MASK32 = 0xffffffffn;

/** Pushes the high 64 bits of the unsigned 128-bit product of locals A and B (schoolbook on 32-bit halves). */
function emitMulHi(c: CodeWriter): void {
  const lowHalf = (local: number) => c.get(local).const64(MASK32).op(Op.i64_and);
  const highHalf = (local: number) => c.get(local).const64(32n).op(Op.i64_shr_u);
  lowHalf(A);
  highHalf(B);
  c.op(Op.i64_mul).set(P01);
  highHalf(A);
  lowHalf(B);
  c.op(Op.i64_mul).set(P10);
  // hi = a1*b1 + (p01 >> 32) + (p10 >> 32) + (((a0*b0) >> 32) + low(p01) + low(p10)) >> 32
  highHalf(A);
  highHalf(B);
  c.op(Op.i64_mul);
  c.get(P01).const64(32n).op(Op.i64_shr_u).op(Op.i64_add);
  c.get(P10).const64(32n).op(Op.i64_shr_u).op(Op.i64_add);
  lowHalf(A);
  lowHalf(B);
  c.op(Op.i64_mul).const64(32n).op(Op.i64_shr_u);
  c.get(P01).const64(MASK32).op(Op.i64_and).op(Op.i64_add);
  c.get(P10).const64(MASK32).op(Op.i64_and).op(Op.i64_add);
  c.const64(32n).op(Op.i64_shr_u).op(Op.i64_add);
}

/** Pushes value - n if value >= n else value, for the value in local `v` (branch-free). */
function emitReduceOnce(c: CodeWriter, v: number): void {
  c.get(v).get(N).op(Op.i64_sub).get(v).get(v).get(N).op(Op.i64_ge_u).op(Op.select);
}

/** Sets local `out` to the Montgomery product of locals `a` and `b` (all < n). */
function emitMontMul(c: CodeWriter, a: number, b: number, out: number): void {
  c.get(a).set(A).get(b).set(B);
  c.get(A).get(B).op(Op.i64_mul).set(LO);
  emitMulHi(c);
  c.set(HI);
  c.get(LO).get(NP).op(Op.i64_mul).set(A);
  c.get(N).set(B);
  emitMulHi(c);
  c.get(HI).op(Op.i64_add);
  c.get(LO).op(Op.i64_eqz).const(1).op(Op.i32_xor).op(Op.i64_extend_i32_u).op(Op.i64_add).set(T);
  emitReduceOnce(c, T);
  c.set(out);
}

/** Local `v` <- v^2/R + c mod n: the rho map. */
function emitStep(c: CodeWriter, v: number): void {
  emitMontMul(c, v, v, T);
  c.get(T).get(C).op(Op.i64_add).set(T);
  emitReduceOnce(c, T);
  c.set(v);
}

/** Pushes |local a - local b|. */
function emitAbsDiff(c: CodeWriter, a: number, b: number): void {
  c.get(a).get(b).op(Op.i64_sub).get(b).get(a).op(Op.i64_sub).get(a).get(b).op(Op.i64_ge_u).op(Op.select);
}

/** Sets G to gcd(the value on the stack, n), by Euclid on GA, GB. */
function emitGcd(c: CodeWriter): void {
  c.set(GA).get(N).set(GB);
  c.block().loop();
  c.get(GB).op(Op.i64_eqz).brIf(1);
  c.get(GA).get(GB).op(Op.i64_rem_u).get(GB).set(GA).set(GB);
  c.br(0);
  c.end().end();
  c.get(GA).set(G);
}

/** Branches `depth` levels out when G != 1. */
const brIfFound = (c: CodeWriter, depth: number) => c.get(G).const64(1n).op(Op.i64_ne).brIf(depth);

function emitWalk(): CodeWriter {
  const c = new CodeWriter();
  c.const64(2n).set(Y).const64(1n).set(Q).const(1).set(R);
  c.block(); // exits once G != 1
  c.loop(); // for r = 1, 2, 4 …
  {
    c.get(Y).set(X);
    c.get(R).set(J);
    c.loop();
    emitStep(c, Y);
    c.get(J).const(-1).op(Op.i32_add).tee(J).brIf(0);
    c.end();
    c.const(0).set(K);
    c.loop(); // batches of up to BATCH steps
    {
      c.get(Y).set(SAVED);
      // J = min(BATCH, r - k)
      c.get(R).get(K).op(Op.i32_sub).tee(J).const(BATCH).get(J).const(BATCH).op(Op.i32_lt_u).op(Op.select).set(J);
      c.loop();
      emitStep(c, Y);
      emitAbsDiff(c, X, Y);
      c.set(T);
      emitMontMul(c, Q, T, Q);
      c.get(J).const(-1).op(Op.i32_add).tee(J).brIf(0);
      c.end();
      c.get(Q);
      emitGcd(c);
      brIfFound(c, 2);
      c.get(K).const(BATCH).op(Op.i32_add).tee(K).get(R).op(Op.i32_lt_u).brIf(0);
    }
    c.end();
    c.get(R).const(1).op(Op.i32_shl).set(R);
    c.br(0);
  }
  c.end();
  c.end();
  // A proper factor: done. G == n: the batch overshot; replay it one step at a time from SAVED.
  c.get(G).get(N).op(Op.i64_ne).if();
  c.get(G).op(Op.return);
  c.end();
  c.loop();
  emitStep(c, SAVED);
  emitAbsDiff(c, X, SAVED);
  emitGcd(c);
  c.get(G).const64(1n).op(Op.i64_eq).brIf(0);
  c.end();
  c.get(G);
  return c;
}

/** The module bytes (no memory: pages 0). */
export function generatePqModule(): Uint8Array {
  return encodeModule(0, [{ name: 'walk', params: repeat(I64, 3), locals: LOCALS, result: I64, body: emitWalk() }]);
}

/** One walk: a factor of the odd n < 2^63 with constant c, or n when this c failed. */
export type BrentWalk = (n: bigint, c: number) => bigint;

/** Throws where WebAssembly (with BigInt ↔ i64 at the boundary) is unavailable. */
export function createWasmBrentWalk(): BrentWalk {
  const walk = instantiate(generatePqModule())['walk'] as (n: bigint, np: bigint, c: bigint) => bigint;
  return (n, c) => walk(n, BigInt.asIntN(64, montgomeryNPrime(n, 64)), BigInt(c) % n);
}
