/**
 * AES-IGE on the WebAssembly module from ./ige-wasm-gen.ts.
 *
 * The module works on fixed memory (never grown, so the views below stay valid): tables and round
 * keys at the bottom, then an input chunk and an output chunk, each preceded by a 16-byte slot with
 * the previous block of that stream. IGE needs exactly those two previous blocks, so the slots hold
 * the IV on the first chunk and carry the chaining state from one chunk to the next.
 *
 * Callers validate lengths (./ige.ts); nothing here is re-entrant, which is fine in one JS thread.
 */
import { INV_SBOX, TABLES } from './aes-core.js';
import { instantiate, littleEndian } from '../base/wasm/instantiate.js';
import { generateIgeModule, Layout } from './ige-wasm-gen.js';

export interface WasmIge {
  /**
   * IGE with a fresh key (16 or 32 bytes): the key schedule is computed inside the module. The result
   * goes into `out` when given (same length as data; it may be data itself), else into a new array.
   */
  withKey(dec: boolean, key: Uint8Array, data: Uint8Array, iv: Uint8Array, out?: Uint8Array): Uint8Array;
  /** IGE with a precomputed schedule (expandKey, plus invertKey for decryption, from ./aes-core.ts). */
  withSchedule(dec: boolean, rk: Int32Array, data: Uint8Array, iv: Uint8Array): Uint8Array;
}

/**
 * Compiles and instantiates the module; throws where WebAssembly is missing or refuses it, and on
 * big-endian hosts, where the typed-array views below would not match WebAssembly's little-endian
 * memory (the portable path handles those).
 */
export function createWasmIge(): WasmIge {
  if (!littleEndian) throw new Error('big-endian host');
  const exports = instantiate(generateIgeModule());
  const mem = exports['mem'] as { buffer: ArrayBuffer };
  type Fn = (a: number, b: number) => void;
  const enc = exports['enc'] as Fn;
  const dec = exports['dec'] as Fn;
  const key = exports['key'] as Fn;
  const m8 = new Uint8Array(mem.buffer);
  const m32 = new Int32Array(mem.buffer);
  m32.set(TABLES.subarray(0, 1024), Layout.TE >> 2);
  m32.set(TABLES.subarray(1024, 2048), Layout.TD >> 2);
  for (let x = 0; x < 256; x++) m32[(Layout.SI4 >> 2) + x] = INV_SBOX[x]! * 0x01010101;

  function run(isDec: boolean, pairs: number, data: Uint8Array, iv: Uint8Array, into?: Uint8Array): Uint8Array {
    // y_0 (previous output) and x_0 (previous input): encryption has y_0 = c_0 = iv[0:16] and
    // x_0 = p_0 = iv[16:32]; decryption has y_0 = p_0 and x_0 = c_0.
    const inIv = isDec ? 0 : 16;
    const outIv = 16 - inIv;
    for (let i = 0; i < 16; i++) {
      m8[Layout.IN - 16 + i] = iv[inIv + i]!;
      m8[Layout.OUT - 16 + i] = iv[outIv + i]!;
    }
    const fn = isDec ? dec : enc;
    const n = data.length;
    if (n <= Layout.CHUNK) {
      if (n === 0) return into ?? new Uint8Array(0);
      m8.set(data, Layout.IN);
      fn(n, pairs);
      if (!into) return m8.slice(Layout.OUT, Layout.OUT + n);
      into.set(m8.subarray(Layout.OUT, Layout.OUT + n));
      return into;
    }
    // Each chunk is copied into the module before its output is written back, so into may be data.
    const out = into ?? new Uint8Array(n);
    for (let off = 0; off < n; off += Layout.CHUNK) {
      const len = Math.min(Layout.CHUNK, n - off);
      m8.set(data.subarray(off, off + len), Layout.IN);
      fn(len, pairs);
      out.set(m8.subarray(Layout.OUT, Layout.OUT + len), off);
      m8.copyWithin(Layout.IN - 16, Layout.IN + len - 16, Layout.IN + len);
      m8.copyWithin(Layout.OUT - 16, Layout.OUT + len - 16, Layout.OUT + len);
    }
    return out;
  }

  return {
    withKey(isDec, k, data, iv, out) {
      m8.set(k, Layout.RK);
      key(k.length >>> 2, isDec ? 1 : 0);
      return run(isDec, k.length === 32 ? 6 : 4, data, iv, out);
    },
    withSchedule(isDec, rk, data, iv) {
      m32.set(rk, Layout.RK >> 2);
      return run(isDec, rk.length === 60 ? 6 : 4, data, iv);
    },
  };
}
