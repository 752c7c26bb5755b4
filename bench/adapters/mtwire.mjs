// mtwire, from the built library (dist/). Every mtwire call of the benchmarks is in this file.
const dist = new URL('../../dist/src/', import.meta.url);
const notBuilt = [];

async function load(path) {
  try {
    return await import(new URL(path, dist).href);
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    notBuilt.push(`dist/src/${path}`);
    return undefined;
  }
}

const tlLib = await load('tl/index.js');
const ige = await load('crypto/ige.js');
const node = await load('crypto/node.js');
const pq = await load('crypto/pq.js');

/** Why an entry below is undefined. */
export const missing = notBuilt.length ? `not built: ${notBuilt.join(', ')}` : undefined;

export const tl = tlLib && {
  payload: 'L228',
  decode: (bytes) => tlLib.decodeObject(bytes),
  encode: (obj) => tlLib.encodeObject(obj),
  request: (_bytes, json) => tlLib.objectFromJson(json),
};

export const crypto = {
  igeEncrypt: ige && ((data, key, iv) => ige.aesIgeEncrypt(data, key, iv)),
  igeDecrypt: ige && ((data, key, iv) => ige.aesIgeDecrypt(data, key, iv)),
  sha256: node && ((data) => node.nodeCrypto.sha256(data)),
  modPow: node && ((b, e, m) => node.nodeCrypto.modPow(b, e, m)),
  // Expected to return [p, q] as bigints.
  factorizePQ: pq && ((n) => pq.factorizePQ(n)),
};
