/**
 * Factoring the handshake's pq (step 3 of auth key creation): a product of two distinct primes below
 * 2^64, in practice two ~31-bit primes. Pollard-Brent rho takes tens of thousands of steps here (53 758
 * for the classic 0x17ED48941A08F981), so the step cost decides everything: bigint arithmetic allocates
 * on every operation (~380 ns per step, measured), so the walk runs in WebAssembly on native 64-bit
 * multiplication (./pq-wasm.ts) or, where that is unavailable or pq ≥ 2^63, on Montgomery arithmetic
 * over three 22-bit limbs held in doubles (~75 ns per step, no allocation).
 */
import { MtwireError } from '../base/errors.js';
import { montgomeryNPrime } from './bigint.js';
import { createWasmBrentWalk, type BrentWalk } from './pq-wasm.js';
import { isPrimeU64 } from './primes.js';

/** pq is not a product of two distinct primes below 2^64. */
export class PqFactorizationError extends MtwireError {
  constructor(message: string) {
    super('PQ_INVALID', message);
  }
}

const LIMB = 4194304; // 2^22
const INV_LIMB = 1 / LIMB;

/**
 * Arithmetic modulo an odd n < 2^64 in Montgomery form with R = 2^66. Numbers are three 22-bit limbs,
 * little-endian, in a Float64Array. Every intermediate stays below 2^53, so double arithmetic is exact:
 * limb products are < 2^44 and a column sums at most a handful of them.
 */
class Montgomery66 {
  private readonly n0: number;
  private readonly n1: number;
  private readonly n2: number;
  /** -n^-1 mod 2^22 */
  private readonly nPrime: number;

  constructor(readonly n: bigint) {
    [this.n0, this.n1, this.n2] = [Number(n & 0x3fffffn), Number((n >> 22n) & 0x3fffffn), Number(n >> 44n)];
    this.nPrime = Number(montgomeryNPrime(n, 22));
  }

  toBigInt(a: Float64Array): bigint {
    return (BigInt(a[2]!) << 44n) | (BigInt(a[1]!) << 22n) | BigInt(a[0]!);
  }

  /** out = a * b / R mod n, for a, b < n. `out` may alias an input. */
  mul(a: Float64Array, b: Float64Array, out: Float64Array): void {
    const a0 = a[0]!,
      a1 = a[1]!,
      a2 = a[2]!,
      b0 = b[0]!,
      b1 = b[1]!,
      b2 = b[2]!;
    this.reduce(a0 * b0, a0 * b1 + a1 * b0, a0 * b2 + a1 * b1 + a2 * b0, a1 * b2 + a2 * b1, a2 * b2, out);
  }

  /** The rho step y <- y^2/R + c mod n (any fixed polynomial map works; this one needs no conversions). */
  step(y: Float64Array, c: number): void {
    const y0 = y[0]!,
      y1 = y[1]!,
      y2 = y[2]!;
    this.reduce(y0 * y0, 2 * y0 * y1, 2 * y0 * y2 + y1 * y1, 2 * y1 * y2, y2 * y2, y);
    y[0]! += c; // c < 2^22 and y < n, so one carry and one conditional subtraction restore y < n
    if (y[0]! >= LIMB) {
      y[0]! -= LIMB;
      y[1]! += 1;
      if (y[1]! >= LIMB) {
        y[1]! -= LIMB;
        y[2]! += 1;
      }
    }
    this.subtractIfAtLeastN(y);
  }

  /**
   * Montgomery reduction of a product given by its five column sums: three steps that each add a
   * multiple m*n chosen to make the lowest column divisible by 2^22, then carry it up. Writes
   * (product / R) mod n to `out`.
   */
  private reduce(c0: number, c1: number, c2: number, c3: number, c4: number, out: Float64Array): void {
    const { n0, n1, n2, nPrime } = this;
    let m = lowLimb(lowLimb(c0) * nPrime);
    c1 += (c0 + m * n0) * INV_LIMB + m * n1;
    c2 += m * n2;
    m = lowLimb(lowLimb(c1) * nPrime);
    c2 += (c1 + m * n0) * INV_LIMB + m * n1;
    c3 += m * n2;
    m = lowLimb(lowLimb(c2) * nPrime);
    c3 += (c2 + m * n0) * INV_LIMB + m * n1;
    c4 += m * n2;
    // Normalize (c3, c4) into limbs; the value is < 2n, so one conditional subtraction finishes it.
    const carry3 = Math.floor(c3 * INV_LIMB);
    c4 += carry3;
    const carry4 = Math.floor(c4 * INV_LIMB);
    out[0] = c3 - carry3 * LIMB;
    out[1] = c4 - carry4 * LIMB;
    out[2] = carry4;
    this.subtractIfAtLeastN(out);
  }

  private subtractIfAtLeastN(a: Float64Array): void {
    const { n0, n1, n2 } = this;
    const a0 = a[0]!,
      a1 = a[1]!,
      a2 = a[2]!;
    if (a2 < n2 || (a2 === n2 && (a1 < n1 || (a1 === n1 && a0 < n0)))) return;
    subtract(a0, a1, a2, n0, n1, n2, a);
  }
}

function lowLimb(x: number): number {
  return x - Math.floor(x * INV_LIMB) * LIMB;
}

/** out = a - b for a >= b, limb-wise with borrows. */
function subtract(a0: number, a1: number, a2: number, b0: number, b1: number, b2: number, out: Float64Array): void {
  let r0 = a0 - b0,
    r1 = a1 - b1,
    r2 = a2 - b2;
  if (r0 < 0) {
    r0 += LIMB;
    r1 -= 1;
  }
  if (r1 < 0) {
    r1 += LIMB;
    r2 -= 1;
  }
  out[0] = r0;
  out[1] = r1;
  out[2] = r2;
}

/** out = |a - b| */
function absDiff(a: Float64Array, b: Float64Array, out: Float64Array): void {
  const a0 = a[0]!,
    a1 = a[1]!,
    a2 = a[2]!,
    b0 = b[0]!,
    b1 = b[1]!,
    b2 = b[2]!;
  if (a2 > b2 || (a2 === b2 && (a1 > b1 || (a1 === b1 && a0 >= b0)))) subtract(a0, a1, a2, b0, b1, b2, out);
  else subtract(b0, b1, b2, a0, a1, a2, out);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Steps between gcds: the product of 128 differences is tested at once (Brent's batching). */
const BATCH = 128;

/**
 * One Pollard-Brent walk with constant c. Returns a factor of n, or n itself when this walk failed
 * (the sequence cycled modulo n before modulo a factor) and another c is needed.
 */
function brentWalk(mont: Montgomery66, c: number): bigint {
  const n = mont.n;
  const y = Float64Array.of(2, 0, 0);
  const x = new Float64Array(3);
  const saved = new Float64Array(3);
  const diff = new Float64Array(3);
  const product = Float64Array.of(1, 0, 0); // any unit; the factor R^-k that mul adds is a unit too
  let g = 1n;
  for (let r = 1; g === 1n; r *= 2) {
    x.set(y);
    for (let i = 0; i < r; i++) mont.step(y, c);
    for (let k = 0; k < r && g === 1n; k += BATCH) {
      saved.set(y);
      const steps = Math.min(BATCH, r - k);
      for (let i = 0; i < steps; i++) {
        mont.step(y, c);
        absDiff(x, y, diff);
        mont.mul(product, diff, product);
      }
      g = gcd(mont.toBigInt(product), n);
    }
  }
  if (g !== n) return g;
  // The batch overshot (the product hit 0 mod n): replay it one step at a time from the saved point.
  do {
    mont.step(saved, c);
    absDiff(x, saved, diff);
    g = gcd(mont.toBigInt(diff), n);
  } while (g === 1n);
  return g;
}

/** Walks to try before giving up; each new c succeeds with high probability, so this never runs out on valid input. */
const MAX_WALKS = 64;

let wasmWalk: BrentWalk | null | undefined;
function loadWasmWalk(): BrentWalk | null {
  try {
    return createWasmBrentWalk();
  } catch {
    return null;
  }
}

/** The walk for pq: WebAssembly when it loads and pq < 2^63 (its Montgomery bound), else JavaScript. */
function walkFor(pq: bigint, useWasm: boolean): BrentWalk {
  const wasm = useWasm && pq < 1n << 63n ? (wasmWalk ??= loadWasmWalk()) : null;
  if (wasm) return wasm;
  const mont = new Montgomery66(pq);
  return (_, c) => brentWalk(mont, c);
}

/**
 * Splits pq into its two prime factors, smaller first. `useWasm: false` forces the JavaScript walk
 * (tests compare the two).
 */
export function factorizePQ(pq: bigint, { useWasm = true }: { useWasm?: boolean } = {}): [bigint, bigint] {
  if (pq < 6n || pq >= 1n << 64n) throw new PqFactorizationError(`pq ${pq} is outside 6..2^64-1`);
  let factor = 0n;
  if ((pq & 1n) === 0n) {
    factor = 2n;
  } else if (!isPrimeU64(pq)) {
    const walk = walkFor(pq, useWasm);
    for (let c = 1; c <= MAX_WALKS && factor === 0n; c++) {
      const g = walk(pq, c);
      if (g !== pq) factor = g;
    }
  }
  const other = factor === 0n ? 0n : pq / factor;
  const [p, q] = factor < other ? [factor, other] : [other, factor];
  if (p === 0n || p === q || !isPrimeU64(p) || !isPrimeU64(q)) {
    throw new PqFactorizationError(`pq ${pq} is not a product of two distinct primes`);
  }
  return [p, q];
}
