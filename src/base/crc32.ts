/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xedb88320, as in zlib). TL constructor ids are CRC-32s of
 * normalized declarations, and the TCP "full" transport ends every packet with one. Written here rather than
 * taken from node:zlib because zlib.crc32 is missing from older Node 20 releases and from browsers.
 */

const POLYNOMIAL = 0xedb88320;

/**
 * Slicing-by-8 tables: TABLES[k][b] is the CRC of byte b followed by k zero bytes, so the main loop
 * folds 8 input bytes with 8 independent lookups instead of 8 dependent ones.
 */
const TABLES: Int32Array = (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) t[k * 256 + n] = (t[(k - 1) * 256 + n]! >>> 8) ^ t[t[(k - 1) * 256 + n]! & 0xff]!;
  }
  return t;
})();

/** Continues a CRC over more bytes: `crc32Update(crc32(a), b) === crc32(a + b)`. */
export function crc32Update(crc: number, bytes: Uint8Array): number {
  const t = TABLES;
  let c = ~crc;
  let i = 0;
  const end8 = bytes.length - (bytes.length & 7);
  for (; i < end8; i += 8) {
    const lo = c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    const hi = bytes[i + 4]! | (bytes[i + 5]! << 8) | (bytes[i + 6]! << 16) | (bytes[i + 7]! << 24);
    c =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + (hi & 0xff)]! ^
      t[512 + ((hi >>> 8) & 0xff)]! ^
      t[256 + ((hi >>> 16) & 0xff)]! ^
      t[hi >>> 24]!;
  }
  for (; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** The CRC-32 of `bytes` as an unsigned 32-bit number (`crc32("123456789") === 0xcbf43926`). */
export function crc32(bytes: Uint8Array): number {
  return crc32Update(0, bytes);
}
