/**
 * UTF-8 → string for the TL reader, tuned for what Telegram sends: short ASCII (names, usernames),
 * long ASCII, and text mixing ASCII with 2- and 3-byte sequences (Cyrillic, CJK …).
 *
 * - short ASCII: built in JS (a native call costs more than the work);
 * - other ASCII: Node's latin1Slice copies bytes straight into a one-byte string;
 * - mixed text: decoded into UTF-16 and turned into a string by ucs2Slice, which in Node 20 is about
 *   1.6× faster than TextDecoder or utf8Slice on such text; from WASM_MIN_BYTES up the decoding runs in
 *   WebAssembly (./utf8-wasm.ts), below that (and where WebAssembly is missing) in JS;
 * - anything else (4-byte sequences, invalid or overlong bytes, no Buffer): the platform decoder, so
 *   invalid input gives exactly the U+FFFD replacements TextDecoder gives.
 */

import { createUtf8Wasm, UTF8_WASM_MAX_BYTES } from './utf8-wasm.js';

type SliceFn = (this: Uint8Array, start: number, end: number) => string;
const bufferProto = (globalThis as { Buffer?: { prototype: { latin1Slice?: SliceFn; ucs2Slice?: SliceFn } } }).Buffer?.prototype;
const latin1Slice = bufferProto?.latin1Slice;
const ucs2Slice = bufferProto?.ucs2Slice;
// ignoreBOM: a leading U+FEFF is part of a TL string (the default would drop it, so the string would not round-trip).
const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Strings up to this many units are built in JS (one fromCharCode call, see unitsString); longer ones natively. */
const SHORT_ASCII = 16;
/** The scratch buffer is kept up to this many UTF-16 units; longer strings get a buffer of their own. */
const SCRATCH_KEEP = 1 << 16;
let scratch = new Uint16Array(1024);
let scratchBytes = new Uint8Array(scratch.buffer);

const fromCharCode = String.fromCharCode;

/** Mixed strings from this many bytes up go to WebAssembly: below it the call and copy cost more than they save. */
const WASM_MIN_BYTES = 48;
type Decoder = (b: Uint8Array, start: number, end: number) => string | undefined;
/** Compiled on the first long mixed string; null where it cannot be (no WebAssembly, no ucs2Slice). */
let wasmDecoder: Decoder | null | undefined;

function loadWasmDecoder(): Decoder | null {
  try {
    return ucs2Slice ? createUtf8Wasm(ucs2Slice) : null;
  } catch {
    return null;
  }
}

export function decodeUtf8(b: Uint8Array, start: number, end: number): string {
  let i = start;
  while (i < end && b[i]! < 0x80) i++;
  if (i === end) {
    const n = end - start;
    if (n <= SHORT_ASCII) return unitsString(b, start, n);
    return latin1Slice ? latin1Slice.call(b, start, end) : textDecoder.decode(b.subarray(start, end));
  }
  const n = end - start;
  if (n >= WASM_MIN_BYTES && n <= UTF8_WASM_MAX_BYTES && (wasmDecoder ??= loadWasmDecoder())) {
    return wasmDecoder(b, start, end) ?? textDecoder.decode(b.subarray(start, end));
  }
  return (ucs2Slice && decodeMixed(b, start, i, end)) ?? textDecoder.decode(b.subarray(start, end));
}

/** Decodes text whose first non-ASCII byte is at `i`; undefined when it needs the platform decoder. */
function decodeMixed(b: Uint8Array, start: number, i: number, end: number): string | undefined {
  const units = end - start; // UTF-16 units never outnumber UTF-8 bytes
  if (units > scratch.length && units <= SCRATCH_KEEP) {
    scratch = new Uint16Array(units * 2);
    scratchBytes = new Uint8Array(scratch.buffer);
  }
  const out = units <= scratch.length ? scratch : new Uint16Array(units);
  let n = 0;
  for (let k = start; k < i; k++) out[n++] = b[k]!;
  // Every multi-byte sequence needs its continuation bytes inside [i, end): `last` bounds the reads.
  const last = end - 1;
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) {
      out[n++] = c;
      i++;
    } else if (c < 0xe0) {
      if (c < 0xc2 || i >= last) return undefined;
      const c1 = b[i + 1]!;
      if ((c1 & 0xc0) !== 0x80) return undefined;
      out[n++] = ((c & 0x1f) << 6) | (c1 & 0x3f);
      i += 2;
    } else if (c < 0xf0) {
      if (i + 1 >= last) return undefined;
      const c1 = b[i + 1]!;
      const c2 = b[i + 2]!;
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) return undefined;
      const unit = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
      // Overlong forms and UTF-16 surrogates are invalid UTF-8: leave them to the platform decoder.
      if (unit < 0x800 || (unit >= 0xd800 && unit < 0xe000)) return undefined;
      out[n++] = unit;
      i += 3;
    } else {
      return undefined;
    }
  }
  // Short results are cheaper to build in JS than through a native call, as for ASCII.
  if (n <= SHORT_ASCII) return unitsString(out, 0, n);
  return ucs2Slice!.call(out === scratch ? scratchBytes : new Uint8Array(out.buffer), 0, n * 2);
}

/**
 * A string from up to 16 UTF-16 units (bytes, for ASCII) per `fromCharCode` call: a call with all the
 * units as arguments builds one flat string, where a `+=` loop (or joining shorter calls) builds a rope
 * that V8 has to flatten again on first use. Measured: a 9..16-unit string costs about 2/3 of two 8-unit
 * calls joined, and about half of Buffer's latin1Slice (a native call).
 */
function unitsString(b: Uint8Array | Uint16Array, i: number, n: number): string {
  switch (n) {
    case 0:
      return '';
    case 1:
      return fromCharCode(b[i]!);
    case 2:
      return fromCharCode(b[i]!, b[i + 1]!);
    case 3:
      return fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!);
    case 4:
      return fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);
    case 5:
      return fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!);
    case 6:
      return fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!);
    case 7:
      return fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!);
    case 8:
      return fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
    case 9:
      return fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!);
    case 10:
      return fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!);
    case 11:
      return fromCharCode(
        b[i]!,
        b[i + 1]!,
        b[i + 2]!,
        b[i + 3]!,
        b[i + 4]!,
        b[i + 5]!,
        b[i + 6]!,
        b[i + 7]!,
        b[i + 8]!,
        b[i + 9]!,
        b[i + 10]!,
      );
    case 12:
      return fromCharCode(
        b[i]!,
        b[i + 1]!,
        b[i + 2]!,
        b[i + 3]!,
        b[i + 4]!,
        b[i + 5]!,
        b[i + 6]!,
        b[i + 7]!,
        b[i + 8]!,
        b[i + 9]!,
        b[i + 10]!,
        b[i + 11]!,
      );
    case 13:
      return fromCharCode(
        b[i]!,
        b[i + 1]!,
        b[i + 2]!,
        b[i + 3]!,
        b[i + 4]!,
        b[i + 5]!,
        b[i + 6]!,
        b[i + 7]!,
        b[i + 8]!,
        b[i + 9]!,
        b[i + 10]!,
        b[i + 11]!,
        b[i + 12]!,
      );
    case 14:
      return fromCharCode(
        b[i]!,
        b[i + 1]!,
        b[i + 2]!,
        b[i + 3]!,
        b[i + 4]!,
        b[i + 5]!,
        b[i + 6]!,
        b[i + 7]!,
        b[i + 8]!,
        b[i + 9]!,
        b[i + 10]!,
        b[i + 11]!,
        b[i + 12]!,
        b[i + 13]!,
      );
    case 15:
      return fromCharCode(
        b[i]!,
        b[i + 1]!,
        b[i + 2]!,
        b[i + 3]!,
        b[i + 4]!,
        b[i + 5]!,
        b[i + 6]!,
        b[i + 7]!,
        b[i + 8]!,
        b[i + 9]!,
        b[i + 10]!,
        b[i + 11]!,
        b[i + 12]!,
        b[i + 13]!,
        b[i + 14]!,
      );
    case 16:
      return fromCharCode(
        b[i]!,
        b[i + 1]!,
        b[i + 2]!,
        b[i + 3]!,
        b[i + 4]!,
        b[i + 5]!,
        b[i + 6]!,
        b[i + 7]!,
        b[i + 8]!,
        b[i + 9]!,
        b[i + 10]!,
        b[i + 11]!,
        b[i + 12]!,
        b[i + 13]!,
        b[i + 14]!,
        b[i + 15]!,
      );
    default:
      return unitsString(b, i, 16) + unitsString(b, i + 16, n - 16);
  }
}
