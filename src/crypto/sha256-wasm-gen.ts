/**
 * Generates the WebAssembly module behind the small-input SHA-256: the FIPS 180-4 §6.2.2 compression
 * function over whole 64-byte blocks in linear memory. ./sha256-wasm.ts owns the JavaScript side
 * (copying the message in, padding, reading the digest) and the memory contract below.
 *
 * Shape: the message schedule is expanded into memory first, then the 64 rounds run in a loop of eight
 * rounds per iteration. Within those eight the working variables a..h are renamed rather than moved (round
 * i reads role r from local V + ((r - i) mod 8)), so each round writes just two locals, the new `a` into
 * the old `h` and the new `e` into the old `d`. Unrolling all 64 rounds would push the module past 4 KB,
 * the limit for synchronous compilation on a browser's main thread. The hash value between blocks stays in
 * memory rather than in eight more locals: live across the rounds, those spilled (measured on V8, x64:
 * 64 KiB took 337 µs with them, 236 µs without).
 */
import { CodeWriter, encodeModule, I32, Op, repeat } from '../base/wasm/encoder.js';

/** Memory layout (byte addresses), shared with ./sha256-wasm.ts. */
export const Layout = {
  /** The 64 round constants K. */
  K: 0,
  /** The message schedule W_0..W_63 of the current block. */
  W: 0x100,
  /** The initial hash value H(0). */
  IV: 0x200,
  /** The intermediate hash value between calls, as native words. */
  H: 0x220,
  /** The hash value as big-endian bytes: the digest once the last block is processed. */
  DIGEST: 0x240,
  /** Message bytes: up to CHUNK bytes, plus room for the padding blocks after them. */
  IN: 0x400,
  CHUNK: 0x10000,
  PAGES: 2,
} as const;

/**
 * FIPS 180-4 §4.2.2, eight a row as the standard prints them: the first 32 bits of the fractional parts of
 * the cube roots of the first 64 primes.
 */
// prettier-ignore
export const ROUND_CONSTANTS = Int32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
);

/** FIPS 180-4 §5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8 primes. */
export const INITIAL_HASH = Int32Array.of(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19);

// Locals: params first.
const N = 0; // bytes to process: a multiple of 64, 0 < N ≤ CHUNK + 64
const FIRST = 1; // nonzero: start from H(0) rather than the hash value at H
const P = 2; // address of the current block
const END = 3;
const Q = 4; // loop pointer of the schedule and round loops
const V = 5; // working variables, renamed per round
const T1 = 13;
const X = 14; // scratch for a value needed several times

/** Swaps the byte order of the value on the stack (WebAssembly loads little-endian, SHA-256 is big-endian). */
function emitByteSwap(c: CodeWriter): void {
  c.tee(X).const(0xff00ff00).op(Op.i32_and).const(8).op(Op.i32_rotl);
  c.get(X).const(0x00ff00ff).op(Op.i32_and).const(8).op(Op.i32_rotr);
  c.op(Op.i32_or);
}

/** Pushes rotr(x, r0) ^ rotr(x, r1) ^ (rotr or shr)(x, r2) of local `x`: the Σ and σ functions of §4.1.2. */
function emitSigma(c: CodeWriter, x: number, r0: number, r1: number, r2: number, shiftLast: boolean): void {
  c.get(x).const(r0).op(Op.i32_rotr);
  c.get(x).const(r1).op(Op.i32_rotr).op(Op.i32_xor);
  c.get(x)
    .const(r2)
    .op(shiftLast ? Op.i32_shr_u : Op.i32_rotr)
    .op(Op.i32_xor);
}

/** Round `i` of eight (§6.2.2 step 3), with K_t and W_t at [Q + K + 4i] and [Q + W + 4i]. */
function emitRound(c: CodeWriter, i: number): void {
  const role = (r: number): number => V + ((r - i) & 7);
  const [a, b, cc, d, e, f, g, h] = [0, 1, 2, 3, 4, 5, 6, 7].map(role) as [number, number, number, number, number, number, number, number];
  // T1 = h + Σ1(e) + Ch(e, f, g) + K_t + W_t, with Ch(e, f, g) = g ^ (e & (f ^ g)).
  c.get(h);
  emitSigma(c, e, 6, 11, 25, false);
  c.op(Op.i32_add);
  c.get(g).get(e).get(f).get(g).op(Op.i32_xor).op(Op.i32_and).op(Op.i32_xor).op(Op.i32_add);
  c.get(Q)
    .load(Layout.K + 4 * i)
    .op(Op.i32_add);
  c.get(Q)
    .load(Layout.W + 4 * i)
    .op(Op.i32_add)
    .set(T1);
  // The new e = d + T1 goes into d's local; the new a = T1 + Σ0(a) + Maj(a, b, c) into h's.
  c.get(d).get(T1).op(Op.i32_add).set(d);
  c.get(T1);
  emitSigma(c, a, 2, 13, 22, false);
  c.op(Op.i32_add);
  // Maj(a, b, c) = (a & b) | (c & (a | b)).
  c.get(a).get(b).op(Op.i32_and).get(cc).get(a).get(b).op(Op.i32_or).op(Op.i32_and).op(Op.i32_or);
  c.op(Op.i32_add).set(h);
}

/** `blocks(n, first)`: compresses the n bytes at IN into the hash value, then writes H and DIGEST. */
function emitBlocks(): CodeWriter {
  const c = new CodeWriter();
  c.get(FIRST).if();
  for (let j = 0; j < 8; j++)
    c.const(0)
      .const(0)
      .load(Layout.IV + 4 * j)
      .store(Layout.H + 4 * j);
  c.end();
  c.const(Layout.IN).tee(P).get(N).op(Op.i32_add).set(END);
  c.loop();
  {
    // W_0..W_15: the block's words, big-endian.
    c.const(0).set(Q);
    c.loop();
    c.get(Q).get(P).get(Q).op(Op.i32_add).load(0);
    emitByteSwap(c);
    c.store(Layout.W);
    c.get(Q).const(4).op(Op.i32_add).tee(Q).const(64).op(Op.i32_ne).brIf(0);
    c.end();
    // W_t = σ1(W_t-2) + W_t-7 + σ0(W_t-15) + W_t-16 for t = 16..63, with Q at W_t-16.
    c.const(Layout.W).set(Q);
    c.loop();
    c.get(Q);
    c.get(Q).load(56).set(X);
    emitSigma(c, X, 17, 19, 10, true);
    c.get(Q).load(36).op(Op.i32_add);
    c.get(Q).load(4).set(X);
    emitSigma(c, X, 7, 18, 3, true);
    c.op(Op.i32_add).get(Q).load(0).op(Op.i32_add).store(64);
    c.get(Q)
      .const(4)
      .op(Op.i32_add)
      .tee(Q)
      .const(Layout.W + 192)
      .op(Op.i32_ne)
      .brIf(0);
    c.end();
    for (let j = 0; j < 8; j++)
      c.const(0)
        .load(Layout.H + 4 * j)
        .set(V + j);
    c.const(0).set(Q);
    c.loop();
    for (let i = 0; i < 8; i++) emitRound(c, i);
    c.get(Q).const(32).op(Op.i32_add).tee(Q).const(256).op(Op.i32_ne).brIf(0);
    c.end();
    // Eight rounds rename each role back to its own local, so V + j holds the new value of H_j's variable.
    for (let j = 0; j < 8; j++)
      c.const(0)
        .const(0)
        .load(Layout.H + 4 * j)
        .get(V + j)
        .op(Op.i32_add)
        .store(Layout.H + 4 * j);
    c.get(P).const(64).op(Op.i32_add).tee(P).get(END).op(Op.i32_ne).brIf(0);
  }
  c.end();
  for (let j = 0; j < 8; j++) {
    c.const(0)
      .const(0)
      .load(Layout.H + 4 * j);
    emitByteSwap(c);
    c.store(Layout.DIGEST + 4 * j);
  }
  return c;
}

/** The module bytes: exports `mem` and `blocks(n, first)`. */
export function generateSha256Module(): Uint8Array {
  return encodeModule(Layout.PAGES, [{ name: 'blocks', params: repeat(I32, 2), locals: repeat(I32, 13), body: emitBlocks() }]);
}
