/**
 * gzip_packed without node:zlib (browsers, workers): fflate's deflate and inflate behind the MTProto
 * layer's Compression interface. The framing is ours: the header is parsed and the trailer checked here,
 * so that this side accepts exactly what nodeCompression accepts (RFC 1952 gzip or RFC 1950 zlib, checksum
 * and length verified) and reports each fault with its byte offset.
 */
import { Inflate, gzipSync } from 'fflate';
import { concatBytes } from '../base/concat.js';
import { crc32 } from '../base/crc32.js';
import { GzipError, type Compression } from '../mtproto/compression.js';

/** Where the deflate data sits inside a framed stream, and how to check what it inflates to. */
interface Framing {
  readonly name: 'gzip' | 'zlib';
  readonly bodyStart: number;
  readonly bodyEnd: number;
  verify(output: Uint8Array): void;
}

const GZIP_FLAGS = { hcrc: 0x02, extra: 0x04, name: 0x08, comment: 0x10, reserved: 0xe0 };
const GZIP_HEADER = 10;
const GZIP_TRAILER = 8;
const ZLIB_TRAILER = 4;

/**
 * Input goes to the inflater this many bytes at a time and the output is counted after each piece:
 * deflate expands at most ~1032:1, so a stream past its cap is stopped within ~4 MB of it, never inflated in full.
 */
const INFLATE_STEP = 4096;

function fail(message: string): never {
  throw new GzipError(`bad gzip_packed data: ${message}`);
}

/** Reads the header of an RFC 1952 member (magic 1f 8b already seen). */
function gzipFraming(data: Uint8Array): Framing {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length < GZIP_HEADER + GZIP_TRAILER) fail(`gzip stream of ${data.length} bytes is shorter than its header and trailer`);
  if (data[2] !== 8) fail(`gzip compression method ${data[2]} at offset 2, only 8 (deflate) exists`);
  const flags = data[3]!;
  if ((flags & GZIP_FLAGS.reserved) !== 0) fail(`reserved gzip flag bits set in 0x${flags.toString(16)} at offset 3`);
  let at = GZIP_HEADER;
  if (flags & GZIP_FLAGS.extra) at += 2 + (at + 2 <= data.length ? view.getUint16(at, true) : 0);
  for (const flag of [GZIP_FLAGS.name, GZIP_FLAGS.comment]) {
    if (!(flags & flag)) continue;
    const end = data.indexOf(0, at);
    if (end < 0) fail(`gzip header string from offset ${at} has no terminating zero`);
    at = end + 1;
  }
  if (flags & GZIP_FLAGS.hcrc && at + 2 <= data.length) {
    if (view.getUint16(at, true) !== (crc32(data.subarray(0, at)) & 0xffff))
      fail(`gzip header CRC16 at offset ${at} does not match the header`);
    at += 2;
  }
  const bodyEnd = data.length - GZIP_TRAILER;
  if (at > bodyEnd) fail(`gzip header runs to offset ${at}, past the trailer at ${bodyEnd}`);
  return {
    name: 'gzip',
    bodyStart: at,
    bodyEnd,
    verify(output) {
      if (view.getUint32(bodyEnd, true) !== crc32(output)) fail(`gzip CRC32 at offset ${bodyEnd} does not match the inflated data`);
      if (view.getUint32(bodyEnd + 4, true) !== output.length >>> 0)
        fail(`gzip ISIZE at offset ${bodyEnd + 4} is not the inflated length ${output.length}`);
    },
  };
}

/** Reads the 2-byte header of an RFC 1950 stream, or returns undefined when the bytes are not one. */
function zlibFraming(data: Uint8Array): Framing | undefined {
  if (data.length < 2 + ZLIB_TRAILER) return undefined;
  const cmf = data[0]!;
  const flg = data[1]!;
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) return undefined;
  if (flg & 0x20) fail('zlib stream at offset 0 asks for a preset dictionary, which gzip_packed never uses');
  const bodyEnd = data.length - ZLIB_TRAILER;
  return {
    name: 'zlib',
    bodyStart: 2,
    bodyEnd,
    verify(output) {
      const stored = new DataView(data.buffer, data.byteOffset + bodyEnd, ZLIB_TRAILER).getUint32(0, false);
      if (stored !== adler32(output)) fail(`zlib Adler-32 at offset ${bodyEnd} does not match the inflated data`);
    },
  };
}

/** RFC 1950's checksum; 5552 is the most bytes whose sums cannot overflow 2^32 before the modulo. */
function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let start = 0; start < data.length; start += 5552) {
    const end = Math.min(start + 5552, data.length);
    for (let i = start; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function framingOf(data: Uint8Array): Framing {
  if (data[0] === 0x1f && data[1] === 0x8b) return gzipFraming(data);
  const zlib = zlibFraming(data);
  if (zlib !== undefined) return zlib;
  const start = [...data.subarray(0, 2)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return fail(`stream starts with [${start}] at offset 0: neither gzip (1f 8b) nor a zlib header`);
}

function inflateCapped(body: Uint8Array, maxOutput: number, framing: string): Uint8Array {
  const pieces: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((piece) => {
    pieces.push(piece);
    total += piece.length;
  });
  try {
    for (let at = 0; at < body.length || at === 0; at += INFLATE_STEP) {
      inflater.push(body.subarray(at, at + INFLATE_STEP), at + INFLATE_STEP >= body.length);
      if (total > maxOutput) fail(`${framing} stream inflates past the ${maxOutput}-byte cap`);
    }
  } catch (err) {
    if (err instanceof GzipError) throw err;
    fail(`${framing} deflate data: ${(err as Error).message}`);
  }
  return pieces.length === 1 ? pieces[0]! : concatBytes(pieces, total);
}

export const portableCompression: Compression = {
  gzip: (data) => gzipSync(data),
  gunzip(data, maxOutput) {
    const framing = framingOf(data);
    const output = inflateCapped(data.subarray(framing.bodyStart, framing.bodyEnd), maxOutput, framing.name);
    framing.verify(output);
    return output;
  },
};
