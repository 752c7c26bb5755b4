import { TlDecodeError } from './errors.js';
import { BOOL_FALSE_ID, BOOL_TRUE_ID, VECTOR_ID } from './writer.js';
import { decodeUtf8 } from './utf8.js';

/**
 * A new Uint8Array with a copy of `buf[start..end)`. Not `buf.slice`: on a Node Buffer (what sockets
 * deliver) `slice` returns a view that shares memory, which is what `copyBytes` exists to avoid.
 */
function copyOf(buf: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(buf.subarray(start, end));
  return out;
}

/**
 * Reads TL binary from a slice of a Uint8Array. Strict: reading past `end`, non-zero padding, a
 * non-canonical or impossible length, or an unexpected constructor id throws `TlDecodeError` with the
 * byte offset from the start of the slice; it never returns a short value.
 *
 * `bytes`, `int128` and `int256` values are zero-copy views (`subarray`) into the input, so the input
 * must not be reused while the decoded object is alive; use `copyBytes` on the reader when it will be.
 */
export class TlReader {
  readonly buf: Uint8Array;
  readonly view: DataView;
  readonly start: number;
  readonly end: number;
  pos: number;
  /** Copy `bytes`/`int128`/`int256` values out of the input instead of viewing it. */
  copyBytes = false;
  /** Length of the data found by the last `lengthPrefixed` call. */
  private dataLength = 0;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    if (start < 0 || end > buf.length || start > end) throw new TlDecodeError('bad-length', 0, 'reader range outside the buffer');
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.start = start;
    this.end = end;
    this.pos = start;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws when bytes are left; decoders call it unless the caller allows trailing bytes. */
  assertEnd(): void {
    if (this.pos !== this.end) {
      throw new TlDecodeError('trailing-bytes', this.pos - this.start, `${this.end - this.pos} trailing bytes after a complete object`);
    }
  }

  truncated(need: number): TlDecodeError {
    return new TlDecodeError('truncated', this.pos - this.start, `input ends: need ${need} bytes, ${this.end - this.pos} left`);
  }

  /** An unknown constructor id that was just read (the offset points at the id). */
  unknown(id: number, expected: string): TlDecodeError {
    return TlDecodeError.unknownConstructor(id, expected, this.pos - 4 - this.start);
  }

  int32(): number {
    const p = this.pos;
    if (p + 4 > this.end) throw this.truncated(4);
    this.pos = p + 4;
    return this.view.getInt32(p, true);
  }

  uint32(): number {
    const p = this.pos;
    if (p + 4 > this.end) throw this.truncated(4);
    this.pos = p + 4;
    return this.view.getUint32(p, true);
  }

  int64(): bigint {
    const p = this.pos;
    if (p + 8 > this.end) throw this.truncated(8);
    this.pos = p + 8;
    return this.view.getBigInt64(p, true);
  }

  double(): number {
    const p = this.pos;
    if (p + 8 > this.end) throw this.truncated(8);
    this.pos = p + 8;
    return this.view.getFloat64(p, true);
  }

  bool(): boolean {
    const id = this.uint32();
    if (id === BOOL_TRUE_ID) return true;
    if (id === BOOL_FALSE_ID) return false;
    throw this.unknown(id, 'Bool');
  }

  /** `int128` (16) or `int256` (32) raw bytes. */
  fixed(size: number): Uint8Array {
    const p = this.pos;
    if (p + size > this.end) throw this.truncated(size);
    this.pos = p + size;
    return this.copyBytes ? copyOf(this.buf, p, p + size) : this.buf.subarray(p, p + size);
  }

  /** `count` raw bytes, for callers that know the length from elsewhere. */
  raw(count: number): Uint8Array {
    return this.fixed(count);
  }

  bytes(): Uint8Array {
    const start = this.lengthPrefixed();
    const end = start + this.dataLength;
    return this.copyBytes ? copyOf(this.buf, start, end) : this.buf.subarray(start, end);
  }

  string(): string {
    const start = this.lengthPrefixed();
    const len = this.dataLength;
    return decodeUtf8(this.buf, start, start + len);
  }

  /**
   * Reads a `bytes` header, checks that data and zero padding are all there, moves past them and returns
   * where the data starts (its length in `dataLength`). Only the canonical header is accepted: a
   * 0xfe header for a length ≤ 253 would not re-encode to the same bytes.
   */
  private lengthPrefixed(): number {
    const p = this.pos;
    const buf = this.buf;
    if (p >= this.end) throw this.truncated(1);
    let len = buf[p]!;
    let dataStart = p + 1;
    if (len === 254) {
      if (p + 4 > this.end) throw this.truncated(4);
      len = buf[p + 1]! | (buf[p + 2]! << 8) | (buf[p + 3]! << 16);
      dataStart = p + 4;
      if (len <= 253) throw new TlDecodeError('bad-length', p - this.start, `long length header for ${len} bytes`);
    } else if (len === 255) {
      throw new TlDecodeError('bad-length', p - this.start, 'length header 0xff');
    }
    const dataEnd = dataStart + len;
    const next = p + ((dataEnd - p + 3) & ~3);
    if (next > this.end) throw this.truncated(next - p);
    for (let i = dataEnd; i < next; i++) {
      if (buf[i] !== 0) throw new TlDecodeError('bad-padding', i - this.start, 'non-zero padding');
    }
    this.pos = next;
    this.dataLength = len;
    return dataStart;
  }

  /**
   * The count of a boxed `Vector<T>` after checking its `vector#1cb5c415` id. The count is checked against
   * what is left (`minElementSize` bytes each) so a corrupt count cannot make the caller allocate.
   */
  vector(minElementSize = 4): number {
    const id = this.uint32();
    if (id !== VECTOR_ID) throw this.unknown(id, 'Vector');
    return this.bareVector(minElementSize);
  }

  /** The count of a bare `vector<T>`. */
  bareVector(minElementSize = 4): number {
    const count = this.int32();
    if (count < 0 || count * minElementSize > this.end - this.pos) {
      throw new TlDecodeError(
        'bad-length',
        this.pos - 4 - this.start,
        `vector count ${count} does not fit in ${this.end - this.pos} bytes`,
      );
    }
    return count;
  }
}
