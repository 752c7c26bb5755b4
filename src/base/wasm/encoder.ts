/**
 * A minimal WebAssembly binary writer: just the sections, types and opcodes that our generated modules
 * use (AES-IGE in ../crypto/ige-wasm-gen.ts, SHA-256 in ../crypto/sha256-wasm-gen.ts, UTF-8 decoding in ../tl/utf8-wasm.ts). We emit modules from
 * TypeScript at load time instead of shipping compiled .wasm blobs, so the "source" of the WebAssembly
 * is readable code in this repository and there is no extra build step or toolchain.
 *
 * Reference: WebAssembly Core Specification 2.0, chapter 5 (binary format).
 */

/** Value types, as the binary format writes them. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export type ValueType = typeof I32 | typeof I64;

/** Opcodes used by the generator (names as in the text format). */
export const Op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  return: 0x0f,
  local_get: 0x20,
  local_set: 0x21,
  local_tee: 0x22,
  i32_load: 0x28,
  i32_load8_u: 0x2d,
  i32_store: 0x36,
  i32_store16: 0x3b,
  i32_const: 0x41,
  i32_eqz: 0x45,
  i32_eq: 0x46,
  i32_ne: 0x47,
  i32_lt_u: 0x49,
  i32_ge_u: 0x4f,
  i32_add: 0x6a,
  i32_sub: 0x6b,
  i32_mul: 0x6c,
  i32_and: 0x71,
  i32_or: 0x72,
  select: 0x1b,
  i64_eqz: 0x50,
  i64_eq: 0x51,
  i64_ne: 0x52,
  i64_lt_u: 0x54,
  i64_ge_u: 0x5a,
  i64_add: 0x7c,
  i64_sub: 0x7d,
  i64_mul: 0x7e,
  i64_rem_u: 0x82,
  i64_and: 0x83,
  i64_shl: 0x86,
  i64_shr_u: 0x88,
  i32_wrap_i64: 0xa7,
  i64_extend_i32_u: 0xad,
  i32_xor: 0x73,
  i32_shl: 0x74,
  i32_shr_u: 0x76,
  i32_rotl: 0x77,
  i32_rotr: 0x78,
} as const;

/** Block type "no results" for block/loop/if. */
const VOID = 0x40;

/** A growable byte sink with the LEB128 encodings the binary format uses everywhere. */
export class ByteWriter {
  private buf = new Uint8Array(1024);
  length = 0;

  byte(b: number): this {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = b;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    for (let i = 0; i < bs.length; i++) this.byte(bs[i]!);
    return this;
  }

  /** Unsigned LEB128 (sizes, indices, memory offsets). */
  u32(v: number): this {
    do {
      const b = v & 0x7f;
      v >>>= 7;
      this.byte(v ? b | 0x80 : b);
    } while (v);
    return this;
  }

  /** Signed LEB128 (i32.const immediates). */
  s32(v: number): this {
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  /** A name: its UTF-8 bytes, length-prefixed (the spec's `name`, a vec of UTF-8 bytes). */
  name(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    return this.u32(utf8.length).bytes(utf8);
  }

  /** Appends another writer's bytes prefixed by their length (sections, function bodies). */
  sized(inner: ByteWriter): this {
    this.u32(inner.length);
    return this.bytes(inner.result());
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Instruction helpers on top of ByteWriter, so generator code reads like the text format. */
export class CodeWriter extends ByteWriter {
  op(code: number): this {
    return this.byte(code);
  }
  get(local: number): this {
    return this.byte(Op.local_get).u32(local);
  }
  set(local: number): this {
    return this.byte(Op.local_set).u32(local);
  }
  tee(local: number): this {
    return this.byte(Op.local_tee).u32(local);
  }
  const(v: number): this {
    return this.byte(Op.i32_const).s32(v);
  }
  /** i64.const (signed LEB128 of a 64-bit value). */
  const64(v: bigint): this {
    this.byte(0x42);
    let x = BigInt.asIntN(64, v);
    for (;;) {
      const b = Number(x & 0x7fn);
      x >>= 7n;
      const done = (x === 0n && !(b & 0x40)) || (x === -1n && b & 0x40);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }
  /** i32.load with natural 4-byte alignment and a constant byte offset added to the popped address. */
  load(offset: number): this {
    return this.byte(Op.i32_load).u32(2).u32(offset);
  }
  block(): this {
    return this.byte(Op.block).byte(VOID);
  }
  loop(): this {
    return this.byte(Op.loop).byte(VOID);
  }
  if(): this {
    return this.byte(Op.if).byte(VOID);
  }
  else(): this {
    return this.byte(Op.else);
  }
  end(): this {
    return this.byte(Op.end);
  }
  /** Branch to the enclosing block `depth` levels out (0 = innermost) if the popped value is nonzero. */
  brIf(depth: number): this {
    return this.byte(Op.br_if).u32(depth);
  }
  /** Unconditional branch `depth` levels out (for a loop: the next iteration). */
  br(depth: number): this {
    return this.byte(Op.br).u32(depth);
  }
  /** i32.load8_u (alignment 1). */
  load8(offset: number): this {
    return this.byte(Op.i32_load8_u).u32(0).u32(offset);
  }
  store(offset: number): this {
    return this.byte(Op.i32_store).u32(2).u32(offset);
  }
  /** i32.store16 with 2-byte alignment. */
  store16(offset: number): this {
    return this.byte(Op.i32_store16).u32(1).u32(offset);
  }
}

export interface FuncDef {
  name: string;
  params: readonly ValueType[];
  /** Locals beyond the params, numbered after them. */
  locals: readonly ValueType[];
  /** The function's result (the value left on the stack), if any. */
  result?: ValueType;
  body: CodeWriter;
}

/** `n` values of type `type`, for params and locals. */
export const repeat = (type: ValueType, n: number): ValueType[] => new Array<ValueType>(n).fill(type);

/**
 * A module with one exported memory ("mem", `pages` × 64 KiB, not growable so views stay valid) and
 * exported functions.
 */
export function encodeModule(pages: number, funcs: FuncDef[]): Uint8Array {
  const out = new ByteWriter().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const section = (id: number, w: ByteWriter): void => {
    out.byte(id).sized(w);
  };

  // Type section: one type per function, in function order.
  const types = new ByteWriter().u32(funcs.length);
  for (const f of funcs) {
    types.byte(0x60).u32(f.params.length).bytes(f.params);
    if (f.result === undefined) types.u32(0);
    else types.u32(1).byte(f.result);
  }
  section(1, types);

  const fsec = new ByteWriter().u32(funcs.length);
  funcs.forEach((_, i) => fsec.u32(i));
  section(3, fsec);

  // Memory: limits flag 0x01 (min and max) with min = max.
  section(5, new ByteWriter().u32(1).byte(0x01).u32(pages).u32(pages));

  const exp = new ByteWriter().u32(funcs.length + 1);
  funcs.forEach((f, i) => exp.name(f.name).byte(0x00).u32(i));
  exp.name('mem').byte(0x02).u32(0);
  section(7, exp);

  const code = new ByteWriter().u32(funcs.length);
  for (const f of funcs) {
    // Locals are declared as runs of one type.
    const runs: [number, ValueType][] = [];
    for (const type of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === type) last[0]++;
      else runs.push([1, type]);
    }
    const body = new ByteWriter().u32(runs.length);
    for (const [count, type] of runs) body.u32(count).byte(type);
    body.bytes(f.body.result()).byte(Op.end);
    code.sized(body);
  }
  section(10, code);
  return out.result();
}
