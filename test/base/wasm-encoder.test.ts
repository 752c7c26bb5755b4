import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteWriter, CodeWriter, encodeModule, I32, I64, Op, repeat, type FuncDef } from '../../src/base/wasm/encoder.js';
import { instantiate } from '../../src/base/wasm/instantiate.js';
import { wasm } from './wasm-helpers.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const u32 = (v: number): string => hex(new ByteWriter().u32(v).result());
const s32 = (v: number): string => hex(new ByteWriter().s32(v).result());
const code = (build: (c: CodeWriter) => CodeWriter): string => hex(build(new CodeWriter()).result());

/** Reference decoders, written from the spec (5.2.2), to compare the encoder against. */
function readUnsigned(bytes: Uint8Array): { value: bigint; size: number } {
  let value = 0n;
  for (let i = 0; ; i++) {
    const b = bytes[i]!;
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if (!(b & 0x80)) return { value, size: i + 1 };
  }
}
function readSigned(bytes: Uint8Array): { value: bigint; size: number } {
  const { value, size } = readUnsigned(bytes);
  const bits = BigInt(7 * size);
  return { value: bytes[size - 1]! & 0x40 ? value - (1n << bits) : value, size };
}

describe('ByteWriter LEB128', () => {
  it('unsigned: the spec fixes these bytes', () => {
    expect(u32(0)).toBe('00');
    expect(u32(1)).toBe('01');
    expect(u32(127)).toBe('7f');
    expect(u32(128)).toBe('8001');
    expect(u32(255)).toBe('ff01');
    expect(u32(16383)).toBe('ff7f');
    expect(u32(16384)).toBe('808001');
    expect(u32(624485)).toBe('e58e26');
    expect(u32(0x7fffffff)).toBe('ffffffff07');
    expect(u32(0xffffffff)).toBe('ffffffff0f');
  });

  it('signed: the spec fixes these bytes', () => {
    expect(s32(0)).toBe('00');
    expect(s32(1)).toBe('01');
    expect(s32(-1)).toBe('7f');
    expect(s32(63)).toBe('3f');
    expect(s32(64)).toBe('c000'); // bit 6 set: needs a second byte to stay positive
    expect(s32(-64)).toBe('40');
    expect(s32(-65)).toBe('bf7f');
    expect(s32(127)).toBe('ff00');
    expect(s32(128)).toBe('8001');
    expect(s32(-128)).toBe('807f');
    expect(s32(624485)).toBe('e58e26'); // bit 6 of the last group is clear: no sign byte needed
    expect(s32(-123456)).toBe('c0bb78');
    expect(s32(2147483647)).toBe('ffffffff07');
    expect(s32(-2147483648)).toBe('8080808078');
  });

  it('signed takes its argument as an int32: 0xffffffff is -1, 2^31 is i32 min', () => {
    expect(s32(0xffffffff)).toBe(s32(-1));
    expect(s32(0x80000000)).toBe(s32(-2147483648));
  });

  it('unsigned and signed encodings decode back, in the fewest bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => {
        const bytes = new ByteWriter().u32(v).result();
        expect(readUnsigned(bytes)).toEqual({ value: BigInt(v), size: bytes.length });
        expect(bytes.length).toBe(Math.max(1, Math.ceil(v.toString(2).length / 7)));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), (v) => {
        const bytes = new ByteWriter().s32(v).result();
        expect(readSigned(bytes)).toEqual({ value: BigInt(v), size: bytes.length });
        // Minimal: one byte fewer could not hold the value's sign bit.
        const bits = v >= 0 ? v.toString(2).length + 1 : (~v).toString(2).length + 1;
        expect(bytes.length).toBe(Math.max(1, Math.ceil(bits / 7)));
      }),
    );
  });
});

describe('ByteWriter', () => {
  it('grows past its initial 1 KiB without losing bytes', () => {
    const w = new ByteWriter();
    const data = Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
    w.bytes(data.slice(0, 1000)).byte(0xab);
    w.bytes(data.slice(1000));
    expect(w.length).toBe(5001);
    expect(Array.from(w.result())).toEqual([...data.slice(0, 1000), 0xab, ...data.slice(1000)]);
  });

  it('name is a length-prefixed UTF-8 byte string', () => {
    expect(hex(new ByteWriter().name('mem').result())).toBe('036d656d');
    expect(hex(new ByteWriter().name('').result())).toBe('00');
    expect(hex(new ByteWriter().name('é').result())).toBe('02c3a9');
    expect(hex(new ByteWriter().name('加').result())).toBe('03e58aa0');
  });

  it('sized prefixes another writer with its length (two LEB bytes from 128 on)', () => {
    expect(
      hex(
        new ByteWriter()
          .byte(9)
          .sized(new ByteWriter().bytes([1, 2, 3]))
          .result(),
      ),
    ).toBe('0903010203');
    expect(hex(new ByteWriter().sized(new ByteWriter()).result())).toBe('00');
    const inner = new ByteWriter().bytes(new Array<number>(200).fill(0xee));
    const out = new ByteWriter().sized(inner).result();
    expect(hex(out.subarray(0, 2))).toBe('c801');
    expect(out.length).toBe(202);
    expect(out.subarray(2).every((b) => b === 0xee)).toBe(true);
  });

  it('methods chain', () => {
    expect(hex(new ByteWriter().byte(1).u32(128).s32(-1).bytes([2]).result())).toBe('0180017f02');
  });
});

describe('CodeWriter instruction bytes', () => {
  it('locals, constants and control', () => {
    expect(code((c) => c.get(1))).toBe('2001');
    expect(code((c) => c.set(300))).toBe('21ac02');
    expect(code((c) => c.tee(0))).toBe('2200');
    expect(code((c) => c.const(-1))).toBe('417f');
    expect(code((c) => c.const(64))).toBe('41c000');
    expect(code((c) => c.block().loop().if().else().end())).toBe('024003400440050b');
    expect(code((c) => c.br(1).brIf(0))).toBe('0c010d00');
    expect(code((c) => c.op(Op.i32_add).op(Op.return))).toBe('6a0f');
  });

  it('memory access: opcode, log2 alignment, offset', () => {
    expect(code((c) => c.load(8))).toBe('280208');
    expect(code((c) => c.load(200))).toBe('2802c801');
    expect(code((c) => c.load8(3))).toBe('2d0003');
    expect(code((c) => c.store(0))).toBe('360200');
    expect(code((c) => c.store16(4))).toBe('3b0104');
  });

  it('i64.const is opcode 0x42 and a signed LEB128 of 64 bits', () => {
    const c64 = (v: bigint) => code((c) => c.const64(v));
    expect(c64(0n)).toBe('4200');
    expect(c64(-1n)).toBe('427f');
    expect(c64(-64n)).toBe('4240');
    expect(c64(-65n)).toBe('42bf7f');
    expect(c64(624485n)).toBe('42e58e26');
    expect(c64(0x7fffffffffffffffn)).toBe('42ffffffffffffffffff00');
    expect(c64(-0x8000000000000000n)).toBe('428080808080808080807f');
    expect(c64(0xffffffffffffffffn)).toBe('427f'); // taken as int64: -1
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (v) => {
        const bytes = new CodeWriter().const64(v).result();
        expect(readSigned(bytes.subarray(1))).toEqual({ value: v, size: bytes.length - 1 });
      }),
    );
  });

  it('repeat gives n copies of a value type', () => {
    expect(repeat(I32, 3)).toEqual([0x7f, 0x7f, 0x7f]);
    expect(repeat(I64, 1)).toEqual([0x7e]);
    expect(repeat(I32, 0)).toEqual([]);
  });
});

describe('encodeModule layout', () => {
  const fn = (name: string, params: FuncDef['params'], result: FuncDef['result'], body: CodeWriter, locals: FuncDef['locals'] = []) => ({
    name,
    params,
    locals,
    result,
    body,
  });

  it('a module with one empty function, byte for byte', () => {
    const bytes = encodeModule(1, [fn('f', [], undefined, new CodeWriter())]);
    expect(hex(bytes)).toBe(
      [
        '0061736d01000000', // magic, version 1
        '01040160' + '0000', // type section: 1 type, func () -> ()
        '03020100', // function section: function 0 has type 0
        '050401010101', // memory section: 1 memory, limits min=max=1
        '070b02' + '01660000' + '036d656d0200', // export section: "f" func 0, "mem" memory 0
        '0a0401' + '02000b', // code section: 1 body of 2 bytes: no locals, end
      ].join(''),
    );
    expect(wasm.validate(bytes)).toBe(true);
  });

  it('types carry params and result; locals are written as runs of one type', () => {
    const body = new CodeWriter().get(0);
    const bytes = encodeModule(2, [fn('g', [I32, I64], I32, body, [I32, I32, I64, I32])]);
    expect(hex(bytes)).toBe(
      [
        '0061736d01000000',
        '0107' + '01' + '60' + '027f7e' + '017f', // 1 type: (i32, i64) -> i32
        '03020100',
        '050401010202', // min = max = 2 pages
        '070b02' + '01670000' + '036d656d0200',
        '0a0c01' + '0a' + '03' + '027f' + '017e' + '017f' + '2000' + '0b', // 3 runs: 2×i32, 1×i64, 1×i32; local.get 0; end
      ].join(''),
    );
    expect(wasm.validate(bytes)).toBe(true);
  });

  it('multi-byte counts and sizes: 130 functions, one with a body over 128 bytes', () => {
    const funcs = Array.from({ length: 130 }, (_, i) => fn(`f${i}`, [], I32, new CodeWriter().const(i * 1000)));
    const long = new CodeWriter().const(0);
    for (let i = 0; i < 100; i++) long.const(i).op(Op.i32_add);
    funcs.push(fn('long', [], I32, long));
    const bytes = encodeModule(1, funcs);
    // Type section: 526 bytes (LEB 8e 04) holding 131 types (LEB 83 01) of 4 bytes each.
    expect(hex(bytes.subarray(8, 17))).toBe('018e04' + '8301' + '6000017f');
    expect(wasm.validate(bytes)).toBe(true);
    const exports = instantiate(bytes) as Record<string, () => number>;
    expect(exports.f0!()).toBe(0);
    expect(exports.f129!()).toBe(129000);
    expect(exports.long!()).toBe(4950);
  });

  it('exports the memory as "mem", with exactly the asked pages and no growth', () => {
    const exports = instantiate(encodeModule(3, [])) as { mem: { buffer: ArrayBuffer; grow(n: number): number } };
    expect(exports.mem.buffer.byteLength).toBe(3 * 65536);
    expect(() => exports.mem.grow(1)).toThrow();
    expect((instantiate(encodeModule(0, [])) as { mem: { buffer: ArrayBuffer } }).mem.buffer.byteLength).toBe(0);
  });

  it('export names may be any UTF-8', () => {
    const bytes = encodeModule(1, [fn('añadir', [], I32, new CodeWriter().const(1)), fn('加', [], I32, new CodeWriter().const(2))]);
    expect(wasm.validate(bytes)).toBe(true);
    const exports = instantiate(bytes) as Record<string, () => number>;
    expect([exports['añadir']!(), exports['加']!()]).toEqual([1, 2]);
  });
});

describe('instantiate', () => {
  it('refuses bytes that are not a valid module', () => {
    expect(() => instantiate(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]))).toThrow();
    const bad = encodeModule(1, [
      { name: 'f', params: [], locals: [], result: I32, body: new CodeWriter().const64(1n) }, // i64 where i32 is declared
    ]);
    expect(wasm.validate(bad)).toBe(false);
    expect(() => instantiate(bad)).toThrow();
  });

  it('throws "no WebAssembly" on a host without it', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly')!;
    Object.defineProperty(globalThis, 'WebAssembly', { value: undefined, configurable: true, writable: true });
    try {
      expect(() => instantiate(encodeModule(1, []))).toThrow('no WebAssembly');
    } finally {
      Object.defineProperty(globalThis, 'WebAssembly', saved);
    }
    expect(wasm.validate(encodeModule(1, []))).toBe(true);
  });
});
