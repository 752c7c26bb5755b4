// mtcute 0.30.3 (@mtcute/core, layer 227), called the way its Node client calls it.
import { readFileSync } from 'node:fs';
import { createHash, pbkdf2, randomFillSync } from 'node:crypto';
import { bigint } from '@fuman/utils';
import { BaseCryptoProvider, computeSrpParams, TlBinaryReader, TlBinaryWriter, __tlReaderMap, __tlWriterMap } from '@mtcute/core/utils.js';
import { getWasmUrl, ige256Decrypt, ige256Encrypt, initSync, sha256 } from '@mtcute/wasm';

// What @mtcute/node's NodeCryptoProvider.initialize() does: load the (SIMD when available) wasm blob.
initSync(readFileSync(getWasmUrl()));

// NodeCryptoProvider minus the parts not benchmarked; factorizePQ comes from BaseCryptoProvider.
class Provider extends BaseCryptoProvider {
  randomFill(buf) {
    randomFillSync(buf);
  }

  // As NodeCryptoProvider does: node's callback pbkdf2 (the libuv thread pool), wrapped in a promise.
  pbkdf2(password, salt, iterations, keylen = 64, algo = 'sha512') {
    return new Promise((resolve, reject) =>
      pbkdf2(password, salt, iterations, keylen, algo, (err, key) => (err ? reject(err) : resolve(new Uint8Array(key)))),
    );
  }

  // NodeCryptoProvider hashes with node:crypto.
  sha256(data) {
    return new Uint8Array(createHash('sha256').update(data).digest());
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

/** One cloud-password check through computeSrpParams, its secret `a` fixed by replacing randomBytes once. */
export const password = {
  prove(algo, srpB, passwordText, a) {
    const fixed = Object.create(provider, { randomBytes: { value: () => a } });
    const request = {
      _: 'account.password',
      currentAlgo: { _: 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow', ...algo },
      srpB,
      srpId: 1n,
    };
    return computeSrpParams(fixed, request, passwordText).then((r) => r.M1);
  },
};
