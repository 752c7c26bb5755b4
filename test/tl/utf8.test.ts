import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { decodeUtf8 } from '../../src/tl/utf8.js';

const reference = new TextDecoder();
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
