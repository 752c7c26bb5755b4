import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { decodeUtf8 } from '../../src/tl/utf8.js';
import { createUtf8Wasm, generateUtf8Module, UTF8_WASM_MAX_BYTES } from '../../src/tl/utf8-wasm.js';

const reference = new TextDecoder('utf-8', { ignoreBOM: true }); // keeps a leading U+FEFF, as TL must
const decodeAll = (bytes: Uint8Array) => decodeUtf8(bytes, 0, bytes.length);

describe('decodeUtf8 agrees with TextDecoder', () => {
  test('on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const bytes = new TextEncoder().encode(s);
        expect(decodeAll(bytes)).toBe(reference.decode(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  test('on any bytes, including invalid, overlong and truncated sequences', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        expect(decodeAll(bytes)).toBe(reference.decode(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  test('keeps a leading byte order mark on every path (it is content in TL; found by the utf8-decode fuzzer)', () => {
    for (const text of [
      '\ufeffaa',
      '\ufeffПривет',
      '\ufeff\u{1f389}',
      '\ufeff' + 'ж'.repeat(40),
      '\ufeff' + 'ж'.repeat(40) + '\u{1f389}',
    ]) {
      const bytes = new TextEncoder().encode(text);
      expect(decodeAll(bytes)).toBe(text);
    }
  });

  test('on a slice in the middle of a buffer', () => {
    const bytes = new TextEncoder().encode('xxПривет, мир!yy');
    expect(decodeUtf8(bytes, 2, bytes.length - 2)).toBe('Привет, мир!');
  });

  test.each([
    ['overlong 2-byte', [0xc0, 0xaf]],
    ['overlong 3-byte', [0xe0, 0x80, 0xaf]],
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['truncated', [0x61, 0xd0]],
    ['lone continuation', [0x80, 0x61]],
    ['4-byte emoji', [0xf0, 0x9f, 0x8e, 0x89]],
  ])('%s', (_, list) => {
    const bytes = new Uint8Array([0x41, ...list, 0x42, ...new Array(30).fill(0x43)]);
    expect(decodeAll(bytes)).toBe(reference.decode(bytes));
  });
});

describe('the WebAssembly decoder (mixed strings of 48 bytes and more)', () => {
  const ucs2Slice = (Buffer.prototype as unknown as { ucs2Slice: (this: Uint8Array, s: number, e: number) => string }).ucs2Slice;
  const wasm = createUtf8Wasm(ucs2Slice);
  const encode = (s: string) => new TextEncoder().encode(s);
  const mixed = fc.string({
    unit: fc.constantFrom('a', ' ', 'Z', '.', 'ж', 'ё', 'Я', 'é', '€', '中', '\u07ff', '\u0800', '\uffff'),
    minLength: 20,
    maxLength: 700,
  });

  test('is a valid module', () => {
    const api = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(api.validate(generateUtf8Module())).toBe(true);
  });

  test('decodes ASCII, 2- and 3-byte text exactly, at any offset', () => {
    fc.assert(
      fc.property(mixed, fc.nat(7), (s, pad) => {
        const bytes = new Uint8Array(pad + encode(s).length + 3);
        bytes.set(encode(s), pad);
        const end = bytes.length - 3;
        expect(wasm(bytes, pad, end)).toBe(s);
        expect(decodeUtf8(bytes, pad, end)).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  test('leaves 4-byte, invalid, overlong, surrogate and truncated input to the platform decoder', () => {
    const tails = [
      [0xf0, 0x9f, 0x8e, 0x89],
      [0xc0, 0xaf],
      [0xc1, 0x81],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0x80],
      [0xd0],
      [0xe2, 0x82],
      [0xd0, 0x41],
      [0xff],
    ];
    const body = encode('Съешь же ещё этих мягких французских булок');
    for (const tail of tails) {
      for (const at of ['start', 'end']) {
        const bytes = at === 'start' ? new Uint8Array([...tail, ...body]) : new Uint8Array([...body, ...tail]);
        expect(wasm(bytes, 0, bytes.length)).toBeUndefined();
        expect(decodeUtf8(bytes, 0, bytes.length)).toBe(reference.decode(bytes));
      }
    }
  });

  test('mutated text of every length through decodeUtf8 equals TextDecoder', () => {
    fc.assert(
      fc.property(mixed, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), (s, edits) => {
        const bytes = encode(s);
        for (const [at, value] of edits) if (bytes.length) bytes[at % bytes.length] = value;
        expect(decodeUtf8(bytes, 0, bytes.length)).toBe(reference.decode(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  test('takes up to UTF8_WASM_MAX_BYTES; longer strings decode on the JavaScript path with the same result', () => {
    const unit = encode('жa'); // 3 bytes
    for (const length of [UTF8_WASM_MAX_BYTES - 1, UTF8_WASM_MAX_BYTES, UTF8_WASM_MAX_BYTES + 1, 3 * UTF8_WASM_MAX_BYTES]) {
      const bytes = new Uint8Array(length);
      for (let i = 0; i + 3 <= length; i += 3) bytes.set(unit, i);
      bytes.fill(0x62, length - (length % 3));
      expect(decodeUtf8(bytes, 0, length)).toBe(reference.decode(bytes));
    }
  });
});
