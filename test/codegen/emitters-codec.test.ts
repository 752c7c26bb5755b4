import { beforeAll, describe, expect, it } from 'vitest';
import { TlDecodeError, TlEncodeError } from '../../src/tl/runtime.js';
import { compile, hex, le32, le64, unhex, type Loaded } from './emitters-helpers.js';

/** emit-codec through the values emit-api builds on it: exact bytes for each kind of field, and decoding errors. */
const SCHEMA = `
point#5a000001 x:int y:int = Point;
point3#5a000002 x:int y:int z:int = Point;
pair#5a000003 a:int b:int = Pair;
flagged#5a000010 flags:# a:flags.0?int b:flags.1?true c:flags.31?string flags2:# d:flags2.0?long e:flags2.5?true f:flags2.2?Point = Flagged;
longs#5a000011 ids:Vector<long> single:long = Longs;
vecs#5a000012 boxed:Vector<int> bare:vector<int> nested:Vector<Vector<int>> points:Vector<Point> bare_points:vector<point> = Vecs;
nonce#5a000013 n128:int128 n256:int256 = Nonce;
blob#5a000014 data:bytes text:string = Blob;
num#5a000015 d:double b:Bool = Num;
holder#5a000016 inner:%Pair direct:pair any:Object = Holder;
`;

const ID = { point: '0100005a', point3: '0200005a', flagged: '1000005a', longs: '1100005a', vecs: '1200005a' } as const;
const VECTOR = '15c4b51c';
const pointBytes = (x: number, y: number) => ID.point + le32(x) + le32(y);

let m: Loaded;
beforeAll(async () => {
  m = await compile('codec', SCHEMA);
});

const decodeError = (fn: () => unknown): TlDecodeError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TlDecodeError);
    return error as TlDecodeError;
  }
  throw new Error('decoded without an error');
};

describe('flags and flags2', () => {
  it('sets one bit per present field, bit 31 included, and writes only the present fields', () => {
    const Flagged = m.value('Flagged');
    const all = Flagged({ a: 5, b: true, c: 'hi', d: 7n, e: true, f: m.value('Point')({ x: 1, y: 2 }) });
    expect(hex(Flagged.encode(all))).toBe(ID.flagged + '03000080' + le32(5) + '02686900' + '25000000' + le64(7n) + pointBytes(1, 2));
    expect(Flagged.decode(Flagged.encode(all))).toStrictEqual({ ...all, _: 'flagged' });
  });

  it('nothing set: two zero flag words; absent fields decode as undefined and true flags as false', () => {
    const Flagged = m.value('Flagged');
    const bytes = Flagged.encode(Flagged({}));
    expect(hex(bytes)).toBe(ID.flagged + '00000000' + '00000000');
    expect(Flagged.decode(bytes)).toStrictEqual({
      _: 'flagged',
      a: undefined,
      b: false,
      c: undefined,
      d: undefined,
      e: false,
      f: undefined,
    });
  });

  it('a true flag given false or undefined is unset; a falsy value of another type (0, "") is present; null is absent', () => {
    const Flagged = m.value('Flagged');
    expect(hex(Flagged.encode(Flagged({ b: false, e: undefined })))).toBe(ID.flagged + '00000000' + '00000000');
    expect(hex(Flagged.encode(Flagged({ a: 0, c: '' })))).toBe(ID.flagged + '01000080' + le32(0) + '00000000' + '00000000');
    expect(hex(Flagged.encode(Flagged({ a: null, d: null })))).toBe(ID.flagged + '00000000' + '00000000');
  });

  it('each flag word only carries its own fields', () => {
    const Flagged = m.value('Flagged');
    expect(hex(Flagged.encode(Flagged({ e: true })))).toBe(ID.flagged + '00000000' + '20000000');
    expect(hex(Flagged.encode(Flagged({ b: true })))).toBe(ID.flagged + '02000000' + '00000000');
    const decoded = Flagged.decode(unhex(ID.flagged + '02000000' + '20000000'));
    expect([decoded.b, decoded.e]).toEqual([true, true]);
  });
});

describe('vectors', () => {
  it('Vector<long>: boxed header, 8 bytes per element; constructors turn numbers into bigints', () => {
    const Longs = m.value('Longs');
    const value = Longs({ ids: [1, -1n, 2 ** 40], single: 3 });
    expect(value).toEqual({ _: 'longs', ids: [1n, -1n, 2n ** 40n], single: 3n });
    expect(hex(Longs.encode(value))).toBe(ID.longs + VECTOR + le32(3) + le64(1n) + le64(-1n) + le64(2n ** 40n) + le64(3n));
    expect(Longs.decode(Longs.encode(value))).toEqual(value);
  });

  it('a count that cannot fit in what is left is bad-length before any allocation (bounded by 8 bytes per long)', () => {
    const Longs = m.value('Longs');
    // 4 longs claimed, 24 bytes left (two longs and `single`): 4 × 4 would fit, 4 × 8 does not.
    const err = decodeError(() => Longs.decode(unhex(ID.longs + VECTOR + le32(4) + le64(1n) + le64(2n) + le64(3n))));
    expect(err.problem).toBe('bad-length');
    expect(err.offset).toBe(8);
    expect(decodeError(() => Longs.decode(unhex(ID.longs + VECTOR + le32(-1) + le64(3n)))).problem).toBe('bad-length');
  });

  it('boxed vs bare vectors, nested vectors, boxed elements and bare constructor elements', () => {
    const Vecs = m.value('Vecs');
    const value = Vecs({
      boxed: [1, 2],
      bare: [3],
      nested: [[4], []],
      points: [m.value('Point3')({ x: 1, y: 2, z: 3 })],
      barePoints: [{ _: 'point', x: 5, y: 6 }],
    });
    expect(hex(Vecs.encode(value))).toBe(
      ID.vecs +
        (VECTOR + le32(2) + le32(1) + le32(2)) +
        (le32(1) + le32(3)) +
        (VECTOR + le32(2) + VECTOR + le32(1) + le32(4) + VECTOR + le32(0)) +
        (VECTOR + le32(1) + ID.point3 + le32(1) + le32(2) + le32(3)) +
        (le32(1) + le32(5) + le32(6)),
    );
    expect(Vecs.decode(Vecs.encode(value))).toEqual(value);
  });

  it('a boxed vector needs the vector id: another id is an unknown constructor for Vector', () => {
    const bad = unhex(ID.vecs + 'efbeadde' + le32(0));
    const err = decodeError(() => m.value('Vecs').decode(bad));
    expect(err).toMatchObject({ problem: 'unknown-constructor', constructorId: 0xdeadbeef, expected: 'Vector', offset: 4 });
  });

  it('vector fields reject what is not an array, and bare elements reject what is not an object', () => {
    const Vecs = m.value('Vecs');
    const ok = { boxed: [], bare: [], nested: [], points: [], barePoints: [] };
    expect(() => Vecs.encode(Vecs({ ...ok, boxed: 5 }))).toThrow(TlEncodeError);
    expect(() => Vecs.encode(Vecs({ ...ok, bare: 'x' }))).toThrow(TlEncodeError);
    expect(() => Vecs.encode(Vecs({ ...ok, barePoints: [null] }))).toThrow(expect.objectContaining({ expected: 'point' }));
  });
});

describe('fixed-size and length-prefixed fields', () => {
  it('int128 and int256 are raw bytes, no length, no byte swapping', () => {
    const Nonce = m.value('Nonce');
    const n128 = Uint8Array.from({ length: 16 }, (_, i) => i);
    const n256 = Uint8Array.from({ length: 32 }, (_, i) => 0xff - i);
    const bytes = Nonce.encode(Nonce({ n128, n256 }));
    expect(hex(bytes)).toBe('1300005a' + hex(n128) + hex(n256));
    expect(Nonce.decode(bytes)).toEqual({ _: 'nonce', n128, n256 });
    expect(() => Nonce.encode(Nonce({ n128: new Uint8Array(15), n256 }))).toThrow(expect.objectContaining({ expected: 'int128' }));
    expect(() => Nonce.encode(Nonce({ n128, n256: n128 }))).toThrow(expect.objectContaining({ expected: 'int256' }));
    expect(decodeError(() => Nonce.decode(bytes.subarray(0, 40))).problem).toBe('truncated');
  });

  it('bytes and string: 1-byte or fe + 3-byte length, data, zero padding to 4', () => {
    const Blob = m.value('Blob');
    const enc = (data: Uint8Array, text: string) => hex(Blob.encode(Blob({ data, text })));
    expect(enc(new Uint8Array(0), '')).toBe('1400005a' + '00000000' + '00000000');
    expect(enc(Uint8Array.of(0xab), 'é')).toBe('1400005a' + '01ab0000' + '02c3a900');
    expect(enc(Uint8Array.of(1, 2, 3), 'abcd')).toBe('1400005a' + '03010203' + '0461626364000000');
    const long = new Uint8Array(254).fill(0x11);
    expect(enc(long, '')).toBe('1400005a' + 'fefe0000' + '11'.repeat(254) + '0000' + '00000000');
    const value = Blob({ data: long, text: 'π'.repeat(200) });
    expect(Blob.decode(Blob.encode(value))).toEqual(value);
    expect(decodeError(() => Blob.decode(unhex('1400005a' + '01ab0100' + '00000000'))).problem).toBe('bad-padding');
  });

  it('double is IEEE 754 little-endian (-0 and NaN survive); Bool is boolTrue/boolFalse', () => {
    const Num = m.value('Num');
    expect(hex(Num.encode(Num({ d: 1.5, b: true })))).toBe('1500005a' + '000000000000f83f' + 'b5757299');
    expect(hex(Num.encode(Num({ d: -2, b: false })))).toBe('1500005a' + '00000000000000c0' + '379779bc');
    expect(Object.is(Num.decode(Num.encode(Num({ d: -0, b: true }))).d, -0)).toBe(true);
    expect(Num.decode(Num.encode(Num({ d: NaN, b: true }))).d).toBeNaN();
    const err = decodeError(() => Num.decode(unhex('1500005a' + '0000000000000000' + '01020304')));
    expect(err).toMatchObject({ problem: 'unknown-constructor', expected: 'Bool', constructorId: 0x04030201, offset: 12 });
  });
});

describe('bare constructors and Object', () => {
  it('%Pair and pair are the fields alone; Object is any constructor, boxed', () => {
    const Holder = m.value('Holder');
    const value = Holder({ inner: { _: 'pair', a: 1, b: 2 }, direct: { _: 'pair', a: 3, b: 4 }, any: { _: 'point', x: 5, y: 6 } });
    expect(hex(Holder.encode(value))).toBe('1600005a' + le32(1) + le32(2) + le32(3) + le32(4) + pointBytes(5, 6));
    expect(Holder.decode(Holder.encode(value))).toEqual(value);
  });

  it('Object rejects an object of no constructor, and an id of no constructor', () => {
    const Holder = m.value('Holder');
    const pair = { _: 'pair', a: 0, b: 0 };
    expect(() => Holder.encode(Holder({ inner: pair, direct: pair, any: { _: 'nope' } }))).toThrow(TlEncodeError);
    const err = decodeError(() => Holder.decode(unhex('1600005a' + le32(1) + le32(2) + le32(3) + le32(4) + 'efbeadde')));
    expect(err).toMatchObject({ problem: 'unknown-constructor', constructorId: 0xdeadbeef, expected: 'Object', offset: 20 });
  });
});

describe('decoding errors name the id in hex', () => {
  it('a top-level decode of another id: TlDecodeError for that constructor, offset 0', () => {
    const err = decodeError(() => m.value('Point').decode(unhex('efbeadde' + le32(1) + le32(2))));
    expect(err).toMatchObject({ name: 'TlDecodeError', code: 'TL_DECODE', problem: 'unknown-constructor' });
    expect(err).toMatchObject({ constructorId: 0xdeadbeef, expected: 'point', offset: 0 });
    expect(err.message).toContain('#deadbeef');
  });

  it('the id of a sibling constructor is still the wrong one for a constructor value', () => {
    const err = decodeError(() => m.value('Point').decode(unhex(ID.point3 + le32(1) + le32(2) + le32(3))));
    expect(err.constructorId).toBe(0x5a000002);
    expect(err.message).toContain('#5a000002');
  });

  it('a union field (the rt_ reader) accepts every constructor of its type and names the type otherwise', () => {
    const Flagged = m.value('Flagged');
    const withF = (f: string) => unhex(ID.flagged + '00000000' + '04000000' + f);
    expect(Flagged.decode(withF(ID.point3 + le32(7) + le32(8) + le32(9))).f).toEqual({ _: 'point3', x: 7, y: 8, z: 9 });
    const err = decodeError(() => Flagged.decode(withF('78563412' + le32(0) + le32(0))));
    expect(err).toMatchObject({ problem: 'unknown-constructor', constructorId: 0x12345678, expected: 'Point', offset: 12 });
    expect(err.message).toMatch(/unknown constructor #12345678 for type Point/);
  });

  it('truncated input and trailing bytes', () => {
    const Point = m.value('Point');
    expect(decodeError(() => Point.decode(unhex(ID.point + le32(1)))).problem).toBe('truncated');
    const extra = unhex(pointBytes(1, 2) + '00000000');
    expect(decodeError(() => Point.decode(extra)).problem).toBe('trailing-bytes');
    expect(Point.decode(extra, { allowTrailing: true })).toEqual({ _: 'point', x: 1, y: 2 });
  });
});

// The codec's functions are private to the generated module; their bare and boxed forms show through a
// constructor that holds the same constructor both ways.
describe('a constructor written bare and boxed', () => {
  const vecs = (points: unknown[], barePoints: unknown[]) => ({ _: 'vecs', boxed: [], bare: [], nested: [], points, barePoints });

  it('bare without its id, boxed with it, and read back the same way', () => {
    const Vecs = m.value('Vecs');
    const value = vecs([{ _: 'point3', x: 3, y: 4, z: 5 }], [{ _: 'point', x: 1, y: 2 }]);
    const bytes =
      ID.vecs + VECTOR + le32(0) + le32(0) + VECTOR + le32(0) + VECTOR + le32(1) + ID.point3 + le32(3) + le32(4) + le32(5) + le32(1);
    expect(hex(Vecs.encode(value))).toBe(bytes + le32(1) + le32(2));
    expect(Vecs.decode(unhex(bytes + le32(1) + le32(2)))).toEqual(value);
  });

  it('a union writer refuses an object of another type, naming the type', () => {
    const Vecs = m.value('Vecs');
    expect(() => Vecs.encode(vecs([{ _: 'pair', a: 1, b: 2 }], []))).toThrow(expect.objectContaining({ expected: 'Point' }));
    expect(() => Vecs.encode(vecs([undefined], []))).toThrow(TlEncodeError);
  });
});
