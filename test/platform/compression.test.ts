import { deflateRawSync, deflateSync, gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { crc32 } from '../../src/base/crc32.js';
import { MtwireError } from '../../src/base/errors.js';
import { GzipError } from '../../src/mtproto/compression.js';
import { nodeCompression } from '../../src/platform/compression.js';
import { portableCompression } from '../../src/platform/portable-compression.js';

const text = new TextEncoder().encode('gzip_packed carries serialized TL objects; '.repeat(200));
const noise = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);

describe.each([
  ['nodeCompression', nodeCompression],
  ['portableCompression', portableCompression],
])('%s', (_name, compression) => {
  test('round trip: what gzip packs, gunzip gives back byte for byte', () => {
    for (const data of [new Uint8Array(0), Uint8Array.of(7), text, noise]) {
      const packed = compression.gzip(data);
      expect(packed).toBeInstanceOf(Uint8Array);
      // zlib takes no output cap below 1 byte, so the empty input gets a cap of 1.
      expect(compression.gunzip(packed, Math.max(data.length, 1))).toEqual(data);
    }
    expect(compression.gzip(text).length).toBeLessThan(text.length / 10);
  });

  test('output is an RFC 1952 gzip member: magic 1f 8b, method 8 (deflate), readable by any gunzip', () => {
    const packed = compression.gzip(text);
    expect([...packed.subarray(0, 3)]).toEqual([0x1f, 0x8b, 0x08]);
    expect(new Uint8Array(gunzipSync(packed))).toEqual(text);
  });

  test('gunzip reads gzip from another writer (the form a server sends)', () => {
    expect(compression.gunzip(new Uint8Array(gzipSync(text, { level: 9 })), text.length)).toEqual(text);
  });

  test('gunzip also reads RFC 1950 (zlib) framing, which mtcute sends: a stored block by hand, and deflated text', () => {
    // 78 01: deflate, 32 KiB window, no dictionary; one final stored block of 4 bytes; Adler-32 big-endian.
    const stored = Uint8Array.of(0x78, 0x01, 0x01, 4, 0, 0xfb, 0xff, 0x26, 0x30, 0xb3, 0x1f, 0x02, 0xb1, 0x01, 0x29);
    expect([...compression.gunzip(stored, 4)]).toEqual([0x26, 0x30, 0xb3, 0x1f]);
    const deflated = new Uint8Array(deflateSync(text));
    expect([...deflated.subarray(0, 2)]).toEqual([0x78, 0x9c]);
    expect(compression.gunzip(deflated, text.length)).toEqual(text);
    expect(() => compression.gunzip(deflated, text.length - 1)).toThrow(GzipError);
  });

  test('zlib framing is checked like gzip: a wrong Adler-32, a bad header and raw deflate throw GzipError', () => {
    const stored = Uint8Array.of(0x78, 0x01, 0x01, 4, 0, 0xfb, 0xff, 0x26, 0x30, 0xb3, 0x1f, 0x02, 0xb1, 0x01, 0x29);
    const badAdler = stored.slice();
    badAdler[14]! ^= 1;
    const badHeader = stored.slice();
    badHeader[1] = 0x02; // 78 02 fails the header's mod-31 check
    for (const stream of [badAdler, badHeader, stored.subarray(2), new Uint8Array(deflateRawSync(text))]) {
      expect(() => compression.gunzip(stream, 1 << 20)).toThrow(GzipError);
    }
  });

  test('the inflate cap: exactly maxOutput bytes pass, one byte more throws GzipError, a bomb stops early', () => {
    const zeros = new Uint8Array(10_000);
    const packed = compression.gzip(zeros);
    expect(compression.gunzip(packed, 10_000)).toEqual(zeros);
    expect(() => compression.gunzip(packed, 9_999)).toThrow(GzipError);
    const bomb = new Uint8Array(gzipSync(new Uint8Array(64 * 1024 * 1024)));
    const started = performance.now();
    expect(() => compression.gunzip(bomb, 64 * 1024)).toThrow(GzipError);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('a corrupt, truncated or foreign stream throws GzipError (an MtwireError with code GZIP)', () => {
    const packed = compression.gzip(text);
    const flipped = packed.slice();
    flipped[flipped.length - 6]! ^= 0xff; // inside the CRC32 trailer
    const bad = [flipped, packed.subarray(0, packed.length - 10), Uint8Array.of(1, 2, 3, 4), text, new Uint8Array(0)];
    for (const stream of bad) {
      let error: unknown;
      try {
        compression.gunzip(stream, 1 << 20);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(GzipError);
      expect(error).toBeInstanceOf(MtwireError);
      expect((error as GzipError).code).toBe('GZIP');
    }
  });
});

describe('both implementations agree', () => {
  const implementations = [nodeCompression, portableCompression];

  test('inflate reads RFC 1950 (zlib) framing as well as RFC 1952, and rejects raw deflate', () => {
    const zlibFramed = new Uint8Array(deflateSync(text));
    expect([...zlibFramed.subarray(0, 2)]).toEqual([0x78, 0x9c]);
    const raw = zlibFramed.subarray(2, zlibFramed.length - 4);
    for (const compression of implementations) {
      expect(compression.gunzip(zlibFramed, text.length)).toEqual(text);
      expect(() => compression.gunzip(raw, text.length)).toThrow(GzipError);
      const badAdler = zlibFramed.slice();
      badAdler[badAdler.length - 1]! ^= 1;
      expect(() => compression.gunzip(badAdler, text.length)).toThrow(GzipError);
    }
  });

  test('each inflates what the other deflates, over arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.boolean(), (data, repeat) => {
        const input = repeat ? new Uint8Array([...data, ...data, ...data]) : data;
        const cap = Math.max(input.length, 1);
        expect(portableCompression.gunzip(nodeCompression.gzip(input), cap)).toEqual(input);
        expect(nodeCompression.gunzip(portableCompression.gzip(input), cap)).toEqual(input);
      }),
    );
  });

  test('gzip header fields (name, comment, extra, header CRC) are skipped; a reserved flag bit is refused', () => {
    const member = new Uint8Array(gzipSync(text));
    const body = member.subarray(10);
    // FLG = FHCRC | FEXTRA | FNAME | FCOMMENT: 2-byte-length extra field, two zero-terminated strings, 2-byte CRC16.
    const fields = [0x1f, 0x8b, 8, 0x1e, 0, 0, 0, 0, 0, 3, 3, 0, 1, 2, 3, 0x61, 0x2e, 0x74, 0, 0x68, 0x69, 0];
    const headerCrc = crc32(Uint8Array.from(fields)) & 0xffff;
    const withFields = new Uint8Array([...fields, headerCrc & 0xff, headerCrc >> 8, ...body]);
    for (const compression of implementations) {
      expect(compression.gunzip(withFields, text.length)).toEqual(text);
      const badHeaderCrc = withFields.slice();
      badHeaderCrc[fields.length]! ^= 1;
      expect(() => compression.gunzip(badHeaderCrc, text.length)).toThrow(GzipError);
    }
    const reserved = member.slice();
    reserved[3] = 0x20;
    expect(() => portableCompression.gunzip(reserved, text.length)).toThrow(/reserved gzip flag bits set in 0x20 at offset 3/);
  });

  test('portable errors name the fault and its offset', () => {
    const member = portableCompression.gzip(text);
    const badCrc = member.slice();
    badCrc[badCrc.length - 8]! ^= 1;
    expect(() => portableCompression.gunzip(badCrc, text.length)).toThrow(`gzip CRC32 at offset ${member.length - 8} does not match`);
    expect(() => portableCompression.gunzip(Uint8Array.of(0x12, 0x34, 0, 0, 0, 0), 10)).toThrow('stream starts with [12 34] at offset 0');
    const badMethod = member.slice();
    badMethod[2] = 7;
    expect(() => portableCompression.gunzip(badMethod, text.length)).toThrow('gzip compression method 7 at offset 2');
  });
});
