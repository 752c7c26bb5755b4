/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xedb88320, as in zlib). TL constructor ids are CRC-32s of
 * normalized declarations, and the TCP "full" transport ends every packet with one. Written here rather than
 * taken from node:zlib because zlib.crc32 is missing from older Node 20 releases and from browsers.
 */

const POLYNOMIAL = 0xedb88320;

/** CRC of every possible byte value, so the main loop does one lookup per input byte. */
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The CRC-32 of `bytes` as an unsigned 32-bit number (`crc32("123456789") === 0xcbf43926`). */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
