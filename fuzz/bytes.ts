/**
 * Byte-level building blocks of the targets: a reader for selector bytes (like libFuzzer's
 * FuzzedDataProvider), a mutator over valid encodings, and arbitraries that mix the two.
 */
import fc from 'fast-check';

/** Reads small choices off the front of an input; past the end every read is 0. */
export class ByteSource {
  pos = 0;
  constructor(readonly data: Uint8Array) {}

  get remaining(): number {
    return this.data.length - this.pos;
  }

  u8(): number {
    return this.pos < this.data.length ? this.data[this.pos++]! : 0;
  }

  u16(): number {
    return this.u8() | (this.u8() << 8);
  }

  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }

  /** Up to `n` bytes (fewer at the end). */
  take(n: number): Uint8Array {
    const out = this.data.subarray(this.pos, Math.min(this.data.length, this.pos + n));
    this.pos += out.length;
    return out;
  }

  rest(): Uint8Array {
    return this.take(this.remaining);
  }

  /** A u16 length prefix, then that many bytes: lets one input carry several messages. */
  chunk(): Uint8Array {
    return this.take(this.u16());
  }
}

/** Concatenates byte strings. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function u32le(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0, true);
  return out;
}

export function u16le(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, (value >>> 8) & 0xff);
}

/** Length-prefixed (u16) part, as `ByteSource.chunk` reads it back. */
export function lengthPrefixed(part: Uint8Array): Uint8Array {
  const body = part.subarray(0, 0xffff);
  return concat(u16le(body.length), body);
}

/** A deterministic xorshift stream: splits, padding and "random" fills that replay from the input alone. */
export function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** Splits a stream into chunks whose sizes follow `seed`: single bytes, small pieces or large blocks. */
export function chunked(data: Uint8Array, seed: number): Uint8Array[] {
  const next = xorshift(seed * 2654435761 + 1);
  const style = seed % 4;
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < data.length;) {
    const r = next();
    // single bytes for the first 256 (every header split), then larger pieces: long runs stay cheap
    const size = style === 0 ? data.length : style === 1 ? (at < 256 ? 1 : 1 + (r % 509)) : style === 2 ? 1 + (r % 7) : 1 + (r % 97);
    chunks.push(data.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** u32 values that sit on boundaries of lengths, counts, flags and ids. */
const INTERESTING_U32 = [
  0,
  1,
  2,
  3,
  4,
  7,
  8,
  12,
  15,
  16,
  20,
  24,
  0x7f,
  0x80,
  0xfd,
  0xfe,
  0xff,
  0x100,
  0x3ff,
  0x400,
  0x1000,
  0xfffe,
  0xffff,
  0x10000,
  0xfffffe,
  0xffffff,
  0x1000000,
  0x3fffffff,
  0x40000000,
  0x7ffffffe,
  0x7fffffff,
  0x80000000,
  0x80000001,
  0xfffffffe,
  0xffffffff,
  0xfffffe6c /* -404 */,
  0xfe | (0xffffff << 8) /* long bytes header, 16 MiB */,
  0xfe | (0x100 << 8),
  0x1cb5c415 /* vector */,
  0x997275b5 /* boolTrue */,
  0xbc799737 /* boolFalse */,
];

export interface Mutation {
  op: number;
  at: number;
  value: number;
  n: number;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.nat(11),
  at: fc.nat(0xffffff),
  value: fc.nat({ max: 0xffffffff }),
  n: fc.nat(0xffff),
});

/**
 * Applies mutations in order. `dictionary` holds u32 words worth inserting (constructor ids). The
 * "repeat" op can multiply a word up to 16384 times: deep nesting and long runs come from it.
 */
export function mutate(
  seed: Uint8Array,
  mutations: readonly Mutation[],
  dictionary: readonly number[] = [],
  maxRepeat = 16384,
): Uint8Array {
  let b: Uint8Array = seed.slice();
  const word = (m: Mutation): number =>
    dictionary.length && m.value & 1
      ? dictionary[(m.value >>> 1) % dictionary.length]!
      : INTERESTING_U32[(m.value >>> 1) % INTERESTING_U32.length]!;
  const insert = (pos: number, part: Uint8Array): Uint8Array => concat(b.subarray(0, pos), part, b.subarray(pos));
  for (const m of mutations) {
    const len = b.length;
    const pos = m.at % (len + 1);
    const aligned = pos & ~3;
    switch (m.op) {
      case 0: // flip a bit
        if (len) b[m.at % len]! ^= 1 << (m.value & 7);
        break;
      case 1: // set a byte
        if (len) b[m.at % len] = m.value & 0xff;
        break;
      case 2: {
        // insert a few pseudo-random bytes
        const next = xorshift(m.value);
        b = insert(
          pos,
          Uint8Array.from({ length: (m.n % 16) + 1 }, () => next() & 0xff),
        );
        break;
      }
      case 3: // delete a range
        b = concat(b.subarray(0, pos), b.subarray(pos + (m.n % 32) + 1));
        break;
      case 4: // truncate
        b = b.slice(0, pos);
        break;
      case 5: {
        // overwrite a u32 with a boundary value or a dictionary word
        const at = Math.min(m.n & 1 ? aligned : pos, Math.max(0, len - 4));
        if (len >= 4) new DataView(b.buffer).setUint32(at, word(m), true);
        break;
      }
      case 6: // insert a word
        b = insert(aligned, u32le(word(m)));
        break;
      case 7: {
        // repeat a word (the one at `aligned`, or a dictionary/boundary word) 1..16384 times
        const w = m.value & 2 && len >= aligned + 4 ? b.subarray(aligned, aligned + 4).slice() : u32le(word(m));
        const times = Math.min(maxRepeat, (1 << (m.n % 15)) + ((m.n >>> 4) % 7));
        const run = new Uint8Array(4 * times);
        for (let i = 0; i < times; i++) run.set(w, 4 * i);
        b = insert(aligned, run);
        break;
      }
      case 8: {
        // duplicate a range somewhere else
        if (!len) break;
        const from = m.value % len;
        const part = b.slice(from, from + (m.n % 64) + 1);
        b = insert(pos, part);
        break;
      }
      case 9: {
        // a TL length byte on its boundaries (253, 254, 255, 0) or a 4-byte long header
        if (!len) break;
        const choice = m.value % 5;
        if (choice < 4) b[m.at % len] = [253, 254, 255, 0][choice]!;
        else if (len >= 4) new DataView(b.buffer).setUint32(Math.min(pos, len - 4), (0xfe | ((m.n * 257) << 8)) >>> 0, true);
        break;
      }
      case 10: // add a small delta to a u32 (counts and lengths off by a little)
        if (len >= 4) {
          const at = Math.min(aligned, len - 4);
          const v = new DataView(b.buffer);
          v.setUint32(at, (v.getUint32(at, true) + ((m.value % 9) - 4)) >>> 0, true);
        }
        break;
      default: // splice two halves: drop the middle
        if (len) b = concat(b.subarray(0, pos), b.subarray(pos + (m.n % Math.max(1, len - pos + 1))));
    }
  }
  return b;
}

/**
 * Valid encodings from `seeds`, each with 0..`max` mutations (0 sometimes, so the valid path is covered
 * too). `maxRepeat` caps the repeat mutation: TL targets keep 16384 (deep nesting), the others less.
 */
export function mutated(
  seeds: fc.Arbitrary<Uint8Array>,
  dictionary: readonly number[] = [],
  max = 6,
  maxRepeat = 16384,
): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      seeds,
      fc.oneof(
        { weight: 1, arbitrary: fc.constant([] as Mutation[]) },
        { weight: 6, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: max }) },
      ),
    )
    .map(([seed, ms]) => mutate(seed, ms, dictionary, maxRepeat));
}

/**
 * Random bytes, mostly short. `size: 'max'`: fast-check's default size would keep every array under
 * about ten elements whatever `maxLength` says.
 */
export function randomBytes(maxLength = 512): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.uint8Array({ maxLength: 64, size: 'max' }) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength, size: 'max' }) },
  );
}

/** `prefix` (selector bytes) followed by `body`. */
export function withPrefix(prefix: fc.Arbitrary<Uint8Array>, body: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(prefix, body).map(([p, b]) => concat(p, b));
}

/** n selector bytes. */
export function selectors(n: number): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ minLength: n, maxLength: n });
}
