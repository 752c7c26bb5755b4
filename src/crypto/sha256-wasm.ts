/**
 * SHA-256 on the WebAssembly module from ./sha256-wasm-gen.ts.
 *
 * The message parts are copied into the module's input area; each time it fills (CHUNK bytes) the module
 * compresses it and continues from the hash value it keeps at H. The padding of FIPS 180-4 §5.1.1 (a 1 bit,
 * zeros, the bit length as 64 bits big-endian) is written after the last bytes, in the room the layout
 * leaves past CHUNK, and the module then writes the digest's bytes where one copy returns them.
 *
 * Nothing here is re-entrant, which is fine in one JS thread.
 */
import { instantiate, littleEndian } from '../base/wasm/instantiate.js';
import { generateSha256Module, INITIAL_HASH, Layout, ROUND_CONSTANTS } from './sha256-wasm-gen.js';

/** SHA-256 of the concatenated parts. */
export type Sha256 = (parts: readonly Uint8Array[]) => Uint8Array;

/**
 * Compiles and instantiates the module; throws where WebAssembly is missing or refuses it, and on
 * big-endian hosts, where the Int32Array view of the constants would not match WebAssembly's memory.
 */
export function createWasmSha256(): Sha256 {
  if (!littleEndian) throw new Error('big-endian host');
  const exports = instantiate(generateSha256Module());
  const mem = exports['mem'] as { buffer: ArrayBuffer };
  const blocks = exports['blocks'] as (n: number, first: number) => void;
  const m8 = new Uint8Array(mem.buffer);
  const m32 = new Int32Array(mem.buffer);
  m32.set(ROUND_CONSTANTS, Layout.K >> 2);
  m32.set(INITIAL_HASH, Layout.IV >> 2);

  return (parts) => {
    let fill = 0; // bytes waiting at IN
    let total = 0;
    let first = 1;
    for (const part of parts) {
      total += part.length;
      for (let at = 0; at < part.length;) {
        const take = Math.min(part.length - at, Layout.CHUNK - fill);
        m8.set(at === 0 && take === part.length ? part : part.subarray(at, at + take), Layout.IN + fill);
        fill += take;
        at += take;
        if (fill === Layout.CHUNK) {
          blocks(Layout.CHUNK, first);
          first = 0;
          fill = 0;
        }
      }
    }
    // One block more when the 0x80 byte and the 8-byte length do not fit after the data in its last block.
    const padded = (fill + 72) & ~63;
    const end = Layout.IN + padded;
    m8[Layout.IN + fill] = 0x80;
    m8.fill(0, Layout.IN + fill + 1, end - 5);
    // The bit length, total × 8, big-endian (stores keep the low 8 bits); its top three bytes stay zero
    // below 2^37 bytes of input.
    m8[end - 5] = Math.floor(total / 0x20000000);
    m8[end - 4] = total >>> 21;
    m8[end - 3] = total >>> 13;
    m8[end - 2] = total >>> 5;
    m8[end - 1] = total << 3;
    blocks(padded, first);
    return m8.slice(Layout.DIGEST, Layout.DIGEST + 32);
  };
}

let shared: Sha256 | null | undefined;

/**
 * The one instance, compiled on first use rather than at import (about a millisecond not every program
 * needs); null where WebAssembly cannot be used, so callers keep their other SHA-256.
 */
export function wasmSha256(): Sha256 | null {
  if (shared === undefined) {
    try {
      shared = createWasmSha256();
    } catch {
      shared = null;
    }
  }
  return shared;
}
