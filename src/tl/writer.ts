import { encodeFailure, TlEncodeError } from './errors.js';

/** `vector#1cb5c415`, written before the count of every boxed `Vector<T>`. */
export const VECTOR_ID = 0x1cb5c415;
export const BOOL_TRUE_ID = 0x997275b5;
export const BOOL_FALSE_ID = 0xbc799737;

const INT64_MIN = -(2n ** 63n);
const UINT64_END = 2n ** 64n;
/** TL strings and bytes carry at most a 3-byte length. */
const MAX_BYTES_LENGTH = 0xffffff;
/** Strings shorter than this are written by a char loop; longer ones by TextEncoder.encodeInto. */
const SHORT_STRING = 48;

const utf8 = new TextEncoder();

/**
 * Writes TL binary into one growable buffer. Values are little-endian and every value ends on a
 * 4-byte boundary, as TL requires. `result()` copies out exactly the written bytes: one allocation per
 * message when the writer is reused (see `encodeWith`).
 *
 * Writers validate what they are given (an `int` that is not a 32-bit integer, a `long` outside 64 bits,
 * an `int128` of the wrong length) and throw `TlEncodeError` instead of writing something else.
 */
export class TlWriter {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes, doubling so that growth is amortised O(1). */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(this.pos + n);
  }

  private grow(needed: number): void {
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** A copy of the bytes written so far. */
  result(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** A constructor id or any other raw 32-bit word; not validated (ids come from generated code). */
  uint32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  /** TL `int`: a signed 32-bit integer; unsigned 32-bit values are accepted and written with the same bits. */
  int32(v: number): void {
    if (typeof v !== 'number' || (v !== (v | 0) && v !== v >>> 0)) throw new TlEncodeError('int', v);
    this.ensure(4);
    this.view.setInt32(this.pos, v | 0, true);
    this.pos += 4;
  }

  /**
   * TL `long`: a bigint in -2^63..2^64-1 (unsigned values keep their bits), or a safe-integer number.
   * A number is split into two 32-bit halves so -4294967296 is written as `00 00 00 00 ff ff ff ff`.
   */
  int64(v: bigint | number): void {
    this.ensure(8);
    if (typeof v === 'bigint') {
      if (v < INT64_MIN || v >= UINT64_END) throw new TlEncodeError('long', v);
      this.view.setBigUint64(this.pos, v < 0n ? v + UINT64_END : v, true);
    } else {
      if (!Number.isSafeInteger(v)) throw new TlEncodeError('long', v);
      this.view.setUint32(this.pos, v >>> 0, true);
      this.view.setInt32(this.pos + 4, Math.floor(v / 4294967296), true);
    }
    this.pos += 8;
  }

  double(v: number): void {
    if (typeof v !== 'number') throw new TlEncodeError('double', v);
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  bool(v: boolean): void {
    if (typeof v !== 'boolean') throw new TlEncodeError('Bool', v);
    this.uint32(v ? BOOL_TRUE_ID : BOOL_FALSE_ID);
  }

  /** `int128`/`int256`: exactly `size` raw bytes, copied as they are (nonces are never byte-swapped). */
  fixed(v: Uint8Array, size: 16 | 32): void {
    if (!(v instanceof Uint8Array) || v.length !== size) throw new TlEncodeError(size === 16 ? 'int128' : 'int256', v);
    this.ensure(size);
    this.buf.set(v, this.pos);
    this.pos += size;
  }

  /** Raw bytes with no length prefix (already-serialized objects). */
  raw(v: Uint8Array): void {
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** TL `bytes`: 1-byte length (≤ 253) or `fe` + 3-byte length, the data, zero padding to 4 bytes. */
  bytes(v: Uint8Array): void {
    if (!(v instanceof Uint8Array)) throw new TlEncodeError('bytes', v);
    const len = v.length;
    if (len > MAX_BYTES_LENGTH) throw new TlEncodeError('bytes of at most 16777215', v);
    this.ensure(len + 7);
    const header = this.lengthHeader(len);
    this.buf.set(v, this.pos);
    this.pos += len;
    this.pad(header);
  }

  /** TL `string`: UTF-8 with the `bytes` framing, encoded straight into the buffer. */
  string(v: string): void {
    if (typeof v !== 'string') throw new TlEncodeError('string', v);
    const n = v.length;
    this.ensure(n * 3 + 7);
    const buf = this.buf;
    const start = this.pos;
    // UTF-8 is never shorter than the UTF-16 length, so a 4-byte header is certain when n > 253.
    const headerGuess = n <= 253 ? 1 : 4;
    let p = start + headerGuess;
    let i = 0;
    if (n < SHORT_STRING) {
      for (; i < n; i++) {
        const c = v.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
    }
    if (i < n) p += utf8.encodeInto(i === 0 ? v : v.slice(i), buf.subarray(p)).written;
    let len = p - start - headerGuess;
    if (len > MAX_BYTES_LENGTH) throw new TlEncodeError('string of at most 16777215 UTF-8 bytes', v);
    if (headerGuess === 1 && len > 253) {
      buf.copyWithin(start + 4, start + 1, p);
      p += 3;
    }
    this.pos = start;
    this.lengthHeader(len);
    this.pos = p;
    this.pad(start);
  }

  /** The header of a boxed `Vector<T>`; validates that `v` is an array. */
  vector(v: readonly unknown[]): void {
    if (!Array.isArray(v)) throw new TlEncodeError('Vector', v);
    this.ensure(8);
    this.view.setUint32(this.pos, VECTOR_ID, true);
    this.view.setInt32(this.pos + 4, v.length, true);
    this.pos += 8;
  }

  /** The header of a bare `vector<T>`: the count only. */
  bareVector(v: readonly unknown[]): void {
    if (!Array.isArray(v)) throw new TlEncodeError('vector', v);
    this.uint32(v.length);
  }

  /** Writes the length header and returns the offset where the value started (for padding). */
  private lengthHeader(len: number): number {
    const start = this.pos;
    if (len <= 253) {
      this.buf[start] = len;
      this.pos = start + 1;
    } else {
      this.view.setUint32(start, (len << 8) | 0xfe, true);
      this.pos = start + 4;
    }
    return start;
  }

  /** Zero padding so that the value that began at `start` ends on a 4-byte boundary. */
  private pad(start: number): void {
    const buf = this.buf;
    while ((this.pos - start) & 3) buf[this.pos++] = 0;
  }
}

let shared: TlWriter | undefined;
let sharedBusy = false;
/** The shared writer is dropped after a message this large, so one huge message does not pin memory. */
const SHARED_KEEP_LIMIT = 1 << 20;

/**
 * Runs `write` on a reused writer and returns a copy of the bytes: one allocation for the result.
 * The writer is reset before each use, so a write that throws halfway leaves nothing behind; a nested
 * call (a writer callback that encodes something else) gets a writer of its own. An object nested
 * deeper than the call stack is a TlEncodeError, not a RangeError.
 */
export function encodeWith<T>(write: (w: TlWriter, value: T) => void, value: T): Uint8Array {
  if (sharedBusy) {
    const w = new TlWriter();
    try {
      write(w, value);
    } catch (error) {
      throw encodeFailure(error, value);
    }
    return w.result();
  }
  const w = (shared ??= new TlWriter(4096));
  sharedBusy = true;
  w.pos = 0;
  try {
    write(w, value);
    return w.result();
  } catch (error) {
    throw encodeFailure(error, value);
  } finally {
    sharedBusy = false;
    if (w.buf.length > SHARED_KEEP_LIMIT) shared = undefined;
  }
}
