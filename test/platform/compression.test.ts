import { deflateRawSync, deflateSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { MtwireError } from '../../src/base/errors.js';
import { GzipError } from '../../src/mtproto/compression.js';
import { nodeCompression } from '../../src/platform/compression.js';

const text = new TextEncoder().encode('gzip_packed carries serialized TL objects; '.repeat(200));
const noise = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);

describe('nodeCompression', () => {
  test('round trip: what gzip packs, gunzip gives back byte for byte', () => {
    for (const data of [new Uint8Array(0), Uint8Array.of(7), text, noise]) {
      const packed = nodeCompression.gzip(data);
      expect(packed).toBeInstanceOf(Uint8Array);
      // zlib takes no output cap below 1 byte, so the empty input gets a cap of 1.
      expect(nodeCompression.gunzip(packed, Math.max(data.length, 1))).toEqual(data);
    }
    expect(nodeCompression.gzip(text).length).toBeLessThan(text.length / 10);
  });

  test('output is an RFC 1952 gzip member: magic 1f 8b, method 8 (deflate), readable by any gunzip', () => {
    const packed = nodeCompression.gzip(text);
    expect([...packed.subarray(0, 3)]).toEqual([0x1f, 0x8b, 0x08]);
    expect(new Uint8Array(gunzipSync(packed))).toEqual(text);
  });

  test('gunzip reads gzip from another writer (the form a server sends)', () => {
    expect(nodeCompression.gunzip(new Uint8Array(gzipSync(text, { level: 9 })), text.length)).toEqual(text);
  });

  test('gunzip also reads RFC 1950 (zlib) framing, which mtcute sends: a stored block by hand, and deflated text', () => {
    // 78 01: deflate, 32 KiB window, no dictionary; one final stored block of 4 bytes; Adler-32 big-endian.
    const stored = Uint8Array.of(0x78, 0x01, 0x01, 4, 0, 0xfb, 0xff, 0x26, 0x30, 0xb3, 0x1f, 0x02, 0xb1, 0x01, 0x29);
    expect([...nodeCompression.gunzip(stored, 4)]).toEqual([0x26, 0x30, 0xb3, 0x1f]);
    const deflated = new Uint8Array(deflateSync(text));
    expect([...deflated.subarray(0, 2)]).toEqual([0x78, 0x9c]);
    expect(nodeCompression.gunzip(deflated, text.length)).toEqual(text);
    expect(() => nodeCompression.gunzip(deflated, text.length - 1)).toThrow(GzipError);
  });

  test('zlib framing is checked like gzip: a wrong Adler-32, a bad header and raw deflate throw GzipError', () => {
    const stored = Uint8Array.of(0x78, 0x01, 0x01, 4, 0, 0xfb, 0xff, 0x26, 0x30, 0xb3, 0x1f, 0x02, 0xb1, 0x01, 0x29);
    const badAdler = stored.slice();
    badAdler[14]! ^= 1;
    const badHeader = stored.slice();
    badHeader[1] = 0x02; // 78 02 fails the header's mod-31 check
    for (const stream of [badAdler, badHeader, stored.subarray(2), new Uint8Array(deflateRawSync(text))]) {
      expect(() => nodeCompression.gunzip(stream, 1 << 20)).toThrow(GzipError);
    }
  });

  test('the inflate cap: exactly maxOutput bytes pass, one byte more throws GzipError, a bomb stops early', () => {
    const zeros = new Uint8Array(10_000);
    const packed = nodeCompression.gzip(zeros);
    expect(nodeCompression.gunzip(packed, 10_000)).toEqual(zeros);
    expect(() => nodeCompression.gunzip(packed, 9_999)).toThrow(GzipError);
    const bomb = new Uint8Array(gzipSync(new Uint8Array(64 * 1024 * 1024)));
    const started = performance.now();
    expect(() => nodeCompression.gunzip(bomb, 64 * 1024)).toThrow(GzipError);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('a corrupt, truncated or foreign stream throws GzipError (an MtwireError with code GZIP)', () => {
    const packed = nodeCompression.gzip(text);
    const flipped = packed.slice();
    flipped[flipped.length - 6]! ^= 0xff; // inside the CRC32 trailer
    const bad = [flipped, packed.subarray(0, packed.length - 10), Uint8Array.of(1, 2, 3, 4), text, new Uint8Array(0)];
    for (const stream of bad) {
      let error: unknown;
      try {
        nodeCompression.gunzip(stream, 1 << 20);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(GzipError);
      expect(error).toBeInstanceOf(MtwireError);
      expect((error as GzipError).code).toBe('GZIP');
    }
  });
});
