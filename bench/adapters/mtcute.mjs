// mtcute 0.30.3 (@mtcute/core, layer 227), called the way its Node client calls it.
import { readFileSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { bigint } from '@fuman/utils';
import { BaseCryptoProvider, TlBinaryReader, TlBinaryWriter, __tlReaderMap, __tlWriterMap } from '@mtcute/core/utils.js';
import { getWasmUrl, ige256Decrypt, ige256Encrypt, initSync, sha256 } from '@mtcute/wasm';

// What @mtcute/node's NodeCryptoProvider.initialize() does: load the (SIMD when available) wasm blob.
initSync(readFileSync(getWasmUrl()));

// NodeCryptoProvider minus the parts not benchmarked; factorizePQ comes from BaseCryptoProvider.
class Provider extends BaseCryptoProvider {
  randomFill(buf) {
    randomFillSync(buf);
  }
}
const provider = new Provider();

const REQUEST_CALL = 0x42ff96ed;

export const tl = {
  payload: 'L227',
  decode: (bytes) => new TlBinaryReader(__tlReaderMap, bytes).object(),
  encode: (obj) => TlBinaryWriter.serializeObject(__tlWriterMap, obj),
  // The reader map holds constructors only, so a request is read field by field with mtcute's reader.
  request(bytes) {
    const r = new TlBinaryReader(__tlReaderMap, bytes);
    if (r.uint() !== REQUEST_CALL) throw new Error('mtcute adapter reads phone.requestCall only');
    const flags = r.uint();
    const obj = {
      _: 'phone.requestCall',
      video: (flags & 1) !== 0,
      userId: r.object(),
      randomId: r.int(),
      gAHash: r.bytes(),
      protocol: r.object(),
    };
    if (r.pos !== bytes.length) throw new Error('trailing bytes after phone.requestCall');
    return obj;
  },
};

export const crypto = {
  igeEncrypt: (data, key, iv) => ige256Encrypt(data, key, iv),
  igeDecrypt: (data, key, iv) => ige256Decrypt(data, key, iv),
  sha256: (data) => sha256(data),
  // mtcute's auth key exchange calls @fuman/utils bigint.modPowBinary on native bigints.
  modPow: (b, e, m) => bigint.modPowBinary(b, e, m),
  factorizePQ(pq) {
    const [p, q] = provider.factorizePQ(bigint.toBytes(pq));
    return [bigint.fromBytes(p), bigint.fromBytes(q)];
  },
};
