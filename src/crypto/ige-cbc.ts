/**
 * AES-IGE encryption through the platform's AES-CBC (OpenSSL with AES-NI, in Node), for long inputs.
 *
 * IGE encryption is CBC encryption in disguise. With plaintext blocks x_i and ciphertext blocks y_i,
 *
 *   y_i = E(x_i ^ y_{i-1}) ^ x_{i-1}.
 *
 * Name the cipher's output z_i = E(x_i ^ y_{i-1}). Then y_{i-1} = z_{i-1} ^ x_{i-2}, so the cipher's
 * input is (x_i ^ x_{i-2}) ^ z_{i-1}: CBC encryption (input = next block ^ previous output) of the
 * blocks p_i = x_i ^ x_{i-2}, which depend on the plaintext alone. One XOR pass builds p, one CBC call
 * with a zero IV gives every z_i, one XOR pass gives y_i = z_i ^ x_{i-1}. The IV's halves are y_0 and
 * x_0, so p_1 = x_1 ^ y_0, p_2 = x_2 ^ x_0 and y_1 = z_1 ^ x_0.
 *
 * Decryption has no such form (its feedback runs through the inverse cipher, which no chained mode of
 * OpenSSL applies), so it stays on our own AES. A native cipher costs a few microseconds to set up,
 * which is why short inputs stay on WebAssembly too (IGE_CBC_MIN_BYTES, measured crossover ~2 KiB).
 */
import { nodeBuiltin } from '../base/host.js';

interface CbcCipher {
  setAutoPadding(on: boolean): CbcCipher;
  update(data: Uint8Array): Uint8Array;
}
type CreateCipheriv = (algorithm: string, key: Uint8Array, iv: Uint8Array) => CbcCipher;

/** node:crypto's createCipheriv, looked up at run time so that bundles for other hosts carry no import. */
const nodeCreateCipheriv = (): CreateCipheriv | undefined => nodeBuiltin<{ createCipheriv: CreateCipheriv }>('node:crypto')?.createCipheriv;

/** Inputs from this length up go through CBC when it is available. */
export const IGE_CBC_MIN_BYTES = 2048;

const ZERO_IV = new Uint8Array(16);

/** 4-byte aligned words of `bytes` (copied first when its offset is not aligned). */
function words(bytes: Uint8Array): Int32Array {
  const aligned = (bytes.byteOffset & 3) === 0 ? bytes : bytes.slice();
  return new Int32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2);
}

function makeIgeEncryptCbc(createCipheriv: CreateCipheriv) {
  /**
   * IGE encryption of `data` (length a multiple of 16, checked by the caller) under a 16- or 32-byte key,
   * into `into` when given (data's length; it may be data itself), else into a new array.
   */
  return function igeEncryptCbc(data: Uint8Array, key: Uint8Array, iv: Uint8Array, into?: Uint8Array): Uint8Array {
    const n = data.length >>> 2;
    const x = words(data);
    const v = words(iv);
    const p = new Int32Array(n);
    for (let j = 0; j < 8 && j < n; j++) p[j] = x[j]! ^ v[j]!; // p_1 = x_1 ^ y_0, p_2 = x_2 ^ x_0
    for (let j = 8; j < n; j++) p[j] = x[j]! ^ x[j - 8]!;
    const cipher = createCipheriv(key.length === 32 ? 'aes-256-cbc' : 'aes-128-cbc', key, ZERO_IV).setAutoPadding(false);
    const z = words(cipher.update(new Uint8Array(p.buffer)));
    // y goes straight to `into` when its words are aligned, else into z (then copied once). Block by block,
    // each x block read before its y block is written, so that into may be data itself; y_1 = z_1 ^ x_0.
    const direct = into !== undefined && (into.byteOffset & 3) === 0;
    const y = direct ? new Int32Array(into.buffer, into.byteOffset, n) : z;
    let x0 = v[4]!,
      x1 = v[5]!,
      x2 = v[6]!,
      x3 = v[7]!;
    for (let j = 0; j < n; j += 4) {
      const a0 = x[j]!,
        a1 = x[j + 1]!,
        a2 = x[j + 2]!,
        a3 = x[j + 3]!;
      y[j] = z[j]! ^ x0;
      y[j + 1] = z[j + 1]! ^ x1;
      y[j + 2] = z[j + 2]! ^ x2;
      y[j + 3] = z[j + 3]! ^ x3;
      x0 = a0;
      x1 = a1;
      x2 = a2;
      x3 = a3;
    }
    if (direct) return into;
    const result = new Uint8Array(z.buffer, z.byteOffset, data.length);
    if (into === undefined) return result;
    into.set(result);
    return into;
  };
}

let cbc: ReturnType<typeof makeIgeEncryptCbc> | null | undefined;

/**
 * The CBC-backed IGE encryption, or null where node:crypto is absent. Looked up on first use rather than
 * at import: loading node:crypto costs an importer of mtwire ~40 ms and ~0.5 MB of heap.
 */
export function igeEncryptCbc(): ReturnType<typeof makeIgeEncryptCbc> | null {
  if (cbc === undefined) {
    const createCipheriv = nodeCreateCipheriv();
    cbc = createCipheriv ? makeIgeEncryptCbc(createCipheriv) : null;
  }
  return cbc;
}
