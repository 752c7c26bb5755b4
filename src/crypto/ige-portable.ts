/**
 * AES-IGE in plain TypeScript on the shared AES core: the fallback where WebAssembly is unavailable.
 *
 * Both directions are the same chain, y_i = F(x_i ^ y_{i-1}) ^ x_{i-1}, with F = AES encrypt or decrypt
 * and the IV giving y_0 and x_0 (see ./ige.ts for which half is which).
 */
import { decryptBlockWords, encryptBlockWords } from './aes-core.js';

/**
 * `rk` is expandKey(key) for encryption, invertKey(expandKey(key)) for decryption. The result goes into
 * `into` when given (data's length; it may be data itself), else into a new array.
 */
export function igePortable(dec: boolean, rk: Int32Array, data: Uint8Array, iv: Uint8Array, into?: Uint8Array): Uint8Array {
  const n = data.length;
  // The input is copied to where the output goes and chained there in place: each block is read before
  // it is overwritten. (Not data.slice(): on a Buffer that is a view.)
  const out = into ?? new Uint8Array(n);
  if (out !== data) out.set(data);
  const w = new DataView(out.buffer, out.byteOffset, n);
  const ivw = new DataView(iv.buffer, iv.byteOffset, 32);
  const inIv = dec ? 0 : 16;
  const outIv = 16 - inIv;
  let y0 = ivw.getInt32(outIv, true),
    y1 = ivw.getInt32(outIv + 4, true);
  let y2 = ivw.getInt32(outIv + 8, true),
    y3 = ivw.getInt32(outIv + 12, true);
  let x0 = ivw.getInt32(inIv, true),
    x1 = ivw.getInt32(inIv + 4, true);
  let x2 = ivw.getInt32(inIv + 8, true),
    x3 = ivw.getInt32(inIv + 12, true);
  const blk = new Int32Array(4);
  const f = dec ? decryptBlockWords : encryptBlockWords;
  for (let o = 0; o < n; o += 16) {
    const a0 = w.getInt32(o, true),
      a1 = w.getInt32(o + 4, true);
    const a2 = w.getInt32(o + 8, true),
      a3 = w.getInt32(o + 12, true);
    blk[0] = a0 ^ y0;
    blk[1] = a1 ^ y1;
    blk[2] = a2 ^ y2;
    blk[3] = a3 ^ y3;
    f(rk, blk, 0, blk, 0);
    y0 = blk[0]! ^ x0;
    y1 = blk[1]! ^ x1;
    y2 = blk[2]! ^ x2;
    y3 = blk[3]! ^ x3;
    w.setInt32(o, y0, true);
    w.setInt32(o + 4, y1, true);
    w.setInt32(o + 8, y2, true);
    w.setInt32(o + 12, y3, true);
    x0 = a0;
    x1 = a1;
    x2 = a2;
    x3 = a3;
  }
  return out;
}
