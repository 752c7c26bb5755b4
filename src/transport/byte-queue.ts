/**
 * A FIFO of received chunks that the frame decoders read from. Chunks are kept as-is (never
 * concatenated on arrival), so a stream of N bytes costs O(N) however it is chunked, and a frame that
 * lies inside one chunk is returned as a zero-copy view of it. Only a frame that straddles chunks is
 * copied, once, when it is complete.
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  /** Index of the first live chunk (consumed chunks are dropped lazily to keep `take` O(1)). */
  private head = 0;
  /** Read position inside chunks[head]. */
  private offset = 0;
  private size = 0;

  /** Bytes available to read. */
  get length(): number {
    return this.size;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** The byte at `index` from the read position; callers check `length` first. */
  byteAt(index: number): number {
    let i = index + this.offset;
    for (let c = this.head; c < this.chunks.length; c++) {
      const chunk = this.chunks[c]!;
      if (i < chunk.length) return chunk[i]!;
      i -= chunk.length;
    }
    throw new Error('ByteQueue.byteAt past the end'); // internal bug: callers check length first
  }

  uint32LE(index: number): number {
    return (this.byteAt(index) | (this.byteAt(index + 1) << 8) | (this.byteAt(index + 2) << 16) | (this.byteAt(index + 3) << 24)) >>> 0;
  }

  /** A copy of `n` bytes from `index` on, without consuming them (index + n <= length). */
  peek(index: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.byteAt(index + i);
    return out;
  }

  /** Removes and returns the next `n` bytes (n <= length): a view when they sit in one chunk. */
  take(n: number): Uint8Array {
    const first = this.chunks[this.head];
    if (first !== undefined && first.length - this.offset >= n) {
      const view = first.subarray(this.offset, this.offset + n);
      this.advance(n);
      return view;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[this.head]!;
      const part = Math.min(n - filled, chunk.length - this.offset);
      out.set(chunk.subarray(this.offset, this.offset + part), filled);
      filled += part;
      this.advance(part);
    }
    return out;
  }

  skip(n: number): void {
    while (n > 0) {
      const part = Math.min(n, this.chunks[this.head]!.length - this.offset);
      this.advance(part);
      n -= part;
    }
  }

  /** Moves the read position within or past the first chunk (never past it). */
  private advance(n: number): void {
    this.offset += n;
    this.size -= n;
    if (this.offset === this.chunks[this.head]!.length) {
      this.chunks[this.head] = EMPTY; // release the chunk now, not at the next compaction
      this.head++;
      this.offset = 0;
      if (this.head === this.chunks.length) {
        this.chunks = [];
        this.head = 0;
      } else if (this.head >= 1024 && this.head * 2 >= this.chunks.length) {
        this.chunks = this.chunks.slice(this.head);
        this.head = 0;
      }
    }
  }
}

const EMPTY = new Uint8Array(0);
