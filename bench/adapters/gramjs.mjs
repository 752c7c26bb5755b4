// gramjs (`telegram` 2.26.22). It ships layer 198, so its Api is rebuilt here from mtwire's layer-228
// schema with gramjs's own generator (telegram/tl/api.js turns the text of ./apiTl.js into classes).
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// Its parser takes `name#id ...` lines and section markers; tdlib's id-less builtin lines
// (`int ? = Int;`, `test.useConfigSimple = ...;`) are left out, as gramjs's own apiTl.js leaves them out.
const schema = readFileSync(new URL('../../schema/api.tl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => /^[\w.]+#[0-9a-f]+\s/.test(line) || /^---\w+---$/.test(line))
  .join('\n');
const apiTlPath = require.resolve('telegram/tl/apiTl.js');
const apiTl = new Module(apiTlPath);
apiTl.filename = apiTlPath;
apiTl.exports = schema;
apiTl.loaded = true;
require.cache[apiTlPath] = apiTl;

const { BinaryReader } = require('telegram/extensions/BinaryReader.js');
const { IGE } = require('telegram/crypto/IGE.js');
const { Factorizator } = require('telegram/crypto/Factorizator.js');
const { modExp, returnBigInt, sha256 } = require('telegram/Helpers.js');

const buffer = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

export const tl = {
  payload: 'L228',
  decode(bytes) {
    const reader = new BinaryReader(buffer(bytes));
    const obj = reader.tgReadObject();
    if (reader.tellPosition() !== bytes.length) throw new Error('trailing bytes after object');
    return obj;
  },
  encode: (obj) => obj.getBytes(),
  request(bytes) {
    return tl.decode(bytes);
  },
};

export const crypto = {
  // gramjs builds a new IGE (and key schedule) for every message, as here.
  igeEncrypt: (data, key, iv) => new IGE(buffer(key), buffer(iv)).encryptIge(buffer(data)),
  igeDecrypt: (data, key, iv) => new IGE(buffer(key), buffer(iv)).decryptIge(buffer(data)),
  sha256: (data) => sha256(buffer(data)),
  // big-integer wraps native bigints without copying, so the conversions cost O(1).
  modPow: (b, e, m) => modExp(returnBigInt(b), returnBigInt(e), returnBigInt(m)).value,
  factorizePQ(pq) {
    const { p, q } = Factorizator.factorize(returnBigInt(pq));
    return [p.value, q.value];
  },
};
