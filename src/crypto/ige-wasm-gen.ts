/**
 * Generates the WebAssembly module behind the fast AES-IGE path: T-table AES with the IGE chaining
 * and the key schedule, as straight-line code over tables in linear memory. ./ige-wasm.ts owns the
 * JavaScript side and the memory contract below.
 *
 * Why the code has the shape it has (each point was measured on V8/TurboFan, Node 20, x64):
 * - Table index = (s >>> (8k-2)) & 0x3fc: byte k already times 4, two ALU ops. V8 does not fold a
 *   shift into the x64 address scale, so ((s >>> 8k) & 255) << 2 costs a third op (≈ 20% slower).
 * - Each round's four output words are also stored to a scratch slot ("pin"). TurboFan keeps memory
 *   loads in program order but sinks pure XORs to their first use, which is in the next round; all 16
 *   loaded table words of a round then stay live at once and spill. A store is effectful, so it makes
 *   each column's XORs happen right after its loads (≈ 25% faster than without).
 * - Rounds run in a loop of two rounds per iteration rather than fully unrolled: the same speed within
 *   noise, and the module stays under 4 KB, the limit for synchronous compilation on a browser's main
 *   thread.
 */
import { CodeWriter, encodeModule, I32, Op, repeat } from '../base/wasm/encoder.js';

/** Memory layout (byte addresses), shared with ./ige-wasm.ts. */
export const Layout = {
  /** TE0..TE3, 1 KiB each. */
  TE: 0,
  /** TD0..TD3, 1 KiB each. */
  TD: 0x1000,
  /** INV_SBOX[x] * 0x01010101 per entry, for the last decryption round. */
  SI4: 0x2000,
  /** Round keys, up to 15 × 16 bytes, in encryption round order (see invertKey in ./aes-core.ts). */
  RK: 0x2400,
  /** The store-only slot described above. */
  PIN: 0x2500,
  /** Input chunk, preceded by a 16-byte slot holding the previous input block. */
  IN: 0x4000,
  /** Output chunk, preceded by a 16-byte slot holding the previous output block. */
  OUT: 0x14010,
  CHUNK: 0x10000,
  PAGES: 3,
} as const;

/** Distance from an input block to the output block at the same position. */
const DELTA = Layout.OUT - Layout.IN;

// IGE function locals: params first.
const N = 0; // bytes to process (multiple of 16, 0 < N ≤ CHUNK)
const PAIRS = 1; // (rounds - 2) / 2: 6 for AES-256, 4 for AES-128
const Q = 2; // address of the previous input block; the current one is at Q+16
const END = 3;
const S = 4; // state words s0..s3
const T = 8; // state words t0..t3
const KP = 12; // round-key pointer
const CNT = 13;
const K0 = 14; // address of the first round key used

/** Pushes (byte k of local `src`) × 4, a ready table offset. */
function emitIndex(c: CodeWriter, src: number, k: number): void {
  c.get(src);
  if (k === 0) c.const(2).op(Op.i32_shl);
  else c.const(8 * k - 2).op(Op.i32_shr_u);
  c.const(0x3fc).op(Op.i32_and);
}

/**
 * Pushes SubBytes of local `src`, with the bytes rotated down by `rot` first (RotWord is rot = 1):
 * result byte k is S[byte k+rot]. TE_{k+3} holds the bare S-box value in byte k (see the TE layout in
 * ./aes-core.ts), so a masked T-table load gives it without a separate S-box table.
 */
function emitSubWord(c: CodeWriter, src: number, rot: number): void {
  for (let k = 0; k < 4; k++) {
    emitIndex(c, src, (k + rot) & 3);
    c.load(Layout.TE + 1024 * ((k + 3) & 3))
      .const(0xff << (8 * k))
      .op(Op.i32_and);
    if (k) c.op(Op.i32_xor);
  }
}

/**
 * One round from locals `src..src+3` to `dst..dst+3` with the round key at [KP + keyOff]. Row k of
 * output column j comes from column j+k (ShiftRows) or j-k (InvShiftRows). `last` drops MixColumns.
 */
function emitRound(c: CodeWriter, dec: boolean, src: number, dst: number, keyOff: number, last: boolean): void {
  for (let j = 0; j < 4; j++) {
    if (!last) c.const(0); // address operand of the pin store
    for (let k = 0; k < 4; k++) {
      emitIndex(c, src + (dec ? (j - k) & 3 : (j + k) & 3), k);
      if (!last) c.load((dec ? Layout.TD : Layout.TE) + 1024 * k);
      else
        c.load(dec ? Layout.SI4 : Layout.TE + 1024 * ((k + 3) & 3))
          .const(0xff << (8 * k))
          .op(Op.i32_and);
      if (k === 1 || k === 3) c.op(Op.i32_xor);
    }
    c.op(Op.i32_xor)
      .get(KP)
      .load(keyOff + 4 * j)
      .op(Op.i32_xor);
    if (!last) c.tee(dst + j).store(Layout.PIN + 4 * j);
    else c.set(dst + j);
  }
}

/** `enc(n, pairs)` / `dec(n, pairs)`: IGE over the input chunk, y_i = F(x_i ^ y_{i-1}) ^ x_{i-1}. */
function emitIge(dec: boolean): CodeWriter {
  const c = new CodeWriter();
  // Encryption walks the schedule up from round 0; decryption down from round 2 × pairs + 2.
  const step = dec ? -32 : 32;
  c.const(Layout.RK);
  if (dec) c.get(PAIRS).const(5).op(Op.i32_shl).op(Op.i32_add).const(32).op(Op.i32_add);
  c.set(K0);
  c.const(Layout.IN - 16)
    .tee(Q)
    .get(N)
    .op(Op.i32_add)
    .set(END);
  c.loop();
  {
    // s = x_i ^ y_{i-1} ^ first round key.
    for (let j = 0; j < 4; j++) {
      c.get(Q)
        .load(16 + 4 * j)
        .get(Q)
        .load(DELTA + 4 * j)
        .op(Op.i32_xor);
      c.get(K0)
        .load(4 * j)
        .op(Op.i32_xor)
        .set(S + j);
    }
    c.get(K0).set(KP).get(PAIRS).set(CNT);
    // Two rounds per iteration, keys at KP+16 and KP+hi; for decryption KP moves down first, so
    // both offsets stay non-negative as wasm requires.
    const hi = dec ? 0 : 32;
    c.loop();
    if (dec) c.get(KP).const(step).op(Op.i32_add).set(KP);
    emitRound(c, dec, S, T, 16, false);
    emitRound(c, dec, T, S, hi, false);
    if (!dec) c.get(KP).const(step).op(Op.i32_add).set(KP);
    c.get(CNT).const(-1).op(Op.i32_add).tee(CNT).brIf(0);
    c.end();
    if (dec) c.get(KP).const(step).op(Op.i32_add).set(KP);
    emitRound(c, dec, S, T, 16, false);
    emitRound(c, dec, T, S, hi, true);
    // y_i = state ^ x_{i-1}.
    for (let j = 0; j < 4; j++) {
      c.get(Q)
        .get(S + j)
        .get(Q)
        .load(4 * j)
        .op(Op.i32_xor)
        .store(DELTA + 16 + 4 * j);
    }
    c.get(Q).const(16).op(Op.i32_add).tee(Q).get(END).op(Op.i32_ne).brIf(0);
  }
  c.end();
  return c;
}

// Key function locals.
const NK = 0; // key length in words, 4 or 8 (the key bytes are already at RK)
const DEC = 1; // nonzero: also turn the schedule into the decryption schedule
const P = 2; // address of w[i-1]
const R = 3; // address of w[i-nk]
const KEND = 4;
const J = 5; // i mod nk
const W = 6; // scratch word
const RCON = 7;

/** `key(nk, dec)`: the FIPS-197 key expansion in place at RK, then InvMixColumns for decryption. */
function emitKey(): CodeWriter {
  const c = new CodeWriter();
  // P = RK + 4nk - 4, R = RK; P stops at the last word's predecessor, RK + 4 × (4nk + 27).
  c.const(Layout.RK - 4)
    .get(NK)
    .const(2)
    .op(Op.i32_shl)
    .op(Op.i32_add)
    .set(P);
  c.const(Layout.RK).set(R);
  c.const(Layout.RK + 108)
    .get(NK)
    .const(4)
    .op(Op.i32_shl)
    .op(Op.i32_add)
    .set(KEND);
  c.const(1).set(RCON);
  // W carries w[i-1] in a local: reloading it from memory would put a store-to-load forwarding delay
  // on the serial chain of every word (measured 2-3x slower).
  c.get(P).load(0).set(W);
  c.loop();
  {
    c.get(J).op(Op.i32_eqz).if();
    {
      emitSubWord(c, W, 1);
      c.get(RCON).op(Op.i32_xor).set(W);
      // rcon = xtime(rcon) in GF(2^8).
      c.get(RCON).const(1).op(Op.i32_shl).get(RCON).const(7).op(Op.i32_shr_u).const(0x11b).op(Op.i32_mul);
      c.op(Op.i32_xor).set(RCON);
    }
    c.else();
    {
      // For 256-bit keys word 4 of each group gets SubWord alone (j == 4 cannot happen when nk == 4).
      c.get(J).const(4).op(Op.i32_eq).if();
      emitSubWord(c, W, 0);
      c.set(W).end();
    }
    c.end();
    c.get(P).get(R).load(0).get(W).op(Op.i32_xor).tee(W).store(4);
    c.get(J).const(1).op(Op.i32_add).get(NK).const(1).op(Op.i32_sub).op(Op.i32_and).set(J);
    c.get(R).const(4).op(Op.i32_add).set(R);
    c.get(P).const(4).op(Op.i32_add).tee(P).get(KEND).op(Op.i32_ne).brIf(0);
  }
  c.end();

  // Decryption schedule: InvMixColumns on round keys 1..rounds-1, i.e. words RK+16 .. RK+16×(nk+6).
  c.get(DEC).if();
  c.const(Layout.RK + 16).set(P);
  c.const(Layout.RK + 96)
    .get(NK)
    .const(4)
    .op(Op.i32_shl)
    .op(Op.i32_add)
    .set(KEND);
  c.loop();
  {
    c.get(P).load(0).set(W);
    c.get(P);
    for (let k = 0; k < 4; k++) {
      // TD_k[S[b]] is InvMixColumns of byte b in row k; byte 1 of TE0[b] is S[b].
      emitIndex(c, W, k);
      c.load8(Layout.TE + 1)
        .const(2)
        .op(Op.i32_shl)
        .load(Layout.TD + 1024 * k);
      if (k) c.op(Op.i32_xor);
    }
    c.store(0);
    c.get(P).const(4).op(Op.i32_add).tee(P).get(KEND).op(Op.i32_ne).brIf(0);
  }
  c.end().end();
  return c;
}

/** The module bytes: exports `mem`, `enc(n, pairs)`, `dec(n, pairs)` and `key(nk, dec)`. */
export function generateIgeModule(): Uint8Array {
  return encodeModule(Layout.PAGES, [
    { name: 'enc', params: repeat(I32, 2), locals: repeat(I32, 13), body: emitIge(false) },
    { name: 'dec', params: repeat(I32, 2), locals: repeat(I32, 13), body: emitIge(true) },
    { name: 'key', params: repeat(I32, 2), locals: repeat(I32, 6), body: emitKey() },
  ]);
}
