import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../src/crypto/node.js';
import { createClientCodec, createServerCodec } from '../../src/transport/codec.js';
import { FramingError } from '../../src/transport/errors.js';
import { FrameCodec, stripPadding } from '../../src/transport/framing.js';
import type { Framing } from '../../src/transport/framing.js';
import { FRAMINGS, MODES, carriedLength, codecPair, concat, digest, modeName, pattern, payloadsOf } from './helpers.js';

const fails = (code: string) => expect.objectContaining({ name: 'FramingError', code });
const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
/**
 * 504/508: last short and first long abridged length. Padded frames under 24 bytes are reserved for
 * quick acks and errors (no MTProto message is that short), so tiny payloads skip that framing, and
 * its payloads take MTProto message lengths (carriedLength).
 */
const sizesFor = (framing: Framing): number[] =>
  [...(framing === 'padded' ? [] : [0, 4]), 24, 124, 504, 508, 1024, 70000].map((size) => carriedLength(framing, size));

describe.each(MODES.map((mode) => [modeName(mode), mode] as const))('%s round trip', (_name, { framing, obfuscated }) => {
  it('client → server, one chunk per frame and all frames in one chunk', () => {
    const { client, server } = codecPair(framing, obfuscated);
    const payloads = sizesFor(framing).map((size) => pattern(size, size));
    for (const payload of payloads) {
      expect(digest(payloadsOf(server.decode(client.encode(payload))))).toEqual(digest([payload]));
    }
    const all = concat(payloads.map((payload) => client.encode(payload)));
    expect(digest(payloadsOf(server.decode(all)))).toEqual(digest(payloads));
  });

  it('server → client', () => {
    const { client, server } = codecPair(framing, obfuscated);
    const payloads = sizesFor(framing).map((size) => pattern(size, size + 1));
    const events = client.decode(concat(payloads.map((payload) => server.encode(payload))));
    expect(digest(payloadsOf(events))).toEqual(digest(payloads));
  });

  it.each([404, 429, 444, 403])('transport error -%i reaches the client as an event', (code) => {
    const { client, server } = codecPair(framing, obfuscated);
    expect(client.decode(server.encodeError(code))).toEqual([{ kind: 'error', code }]);
  });

  if (framing === 'full') {
    it('quick ack is not part of the full transport', () => {
      const { client, server } = codecPair(framing, obfuscated);
      expect(() => client.encode(pattern(8), { quickAck: true })).toThrow(fails('QUICK_ACK_UNSUPPORTED'));
      expect(() => server.encodeQuickAck(0x80000001)).toThrow(fails('QUICK_ACK_UNSUPPORTED'));
    });
  } else {
    it('quick ack: request flag reaches the server, the token reaches the client', () => {
      const { client, server } = codecPair(framing, obfuscated);
      for (const size of [24, 1024].map((length) => carriedLength(framing, length))) {
        const [event] = server.decode(client.encode(pattern(size), { quickAck: true }));
        expect(event?.kind === 'frame' && event.quickAck).toBe(true);
        expect(payloadsOf([event!])).toEqual([pattern(size)]);
      }
      for (const token of [0x80000000, 0x9abcdef0, 0xffffffff]) {
        expect(client.decode(server.encodeQuickAck(token))).toEqual([{ kind: 'quickAck', token }]);
      }
      const mixed = concat([server.encode(pattern(40)), server.encodeQuickAck(0x81020304), server.encode(pattern(40))]);
      expect(client.decode(mixed).map((event) => event.kind)).toEqual(['frame', 'quickAck', 'frame']);
    });
  }
});

describe('wire bytes', () => {
  const frame = (framing: Framing, side: 'client' | 'server', random = () => new Uint8Array(16)) =>
    new FrameCodec({ framing, side, random });

  it('abridged quick-ack request sets bit 7 of the length (0xff for the long form)', () => {
    const codec = frame('abridged', 'client');
    expect(codec.encode(pattern(8), true)[0]).toBe(0x82);
    expect([...codec.encode(pattern(508), true).subarray(0, 4)]).toEqual([0xff, 127, 0, 0]);
  });

  it('intermediate and padded quick-ack requests set bit 31 of the length', () => {
    expect([...frame('intermediate', 'client').encode(pattern(8), true).subarray(0, 4)]).toEqual([8, 0, 0, 0x80]);
    expect([...frame('padded', 'client').encode(pattern(8), true).subarray(0, 4)]).toEqual([8, 0, 0, 0x80]);
  });

  it('quick-ack answers: abridged byte-reversed, intermediate bare, padded a short ff-ff-ff-ff frame', () => {
    expect(frame('abridged', 'server').encodeQuickAck(0x81020304)).toEqual(unhex('81020304'));
    expect(frame('intermediate', 'server').encodeQuickAck(0x81020304)).toEqual(unhex('04030281'));
    const padded = frame('padded', 'server', () => Uint8Array.of(5, 9, 9, 9, 9, 9, 9, 9, 9));
    expect(padded.encodeQuickAck(0x81020304)).toEqual(unhex('0d000000' + 'ffffffff' + '04030281' + '0909090909'));
  });

  it('padded frames carry 0..15 padding bytes from the random source', () => {
    const codec = frame('padded', 'client', () => Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? 31 : 0xaa)));
    expect(codec.encode(unhex('01020304'))).toEqual(unhex('13000000' + '01020304' + 'aa'.repeat(15)));
  });

  it('a padded error frame with padding is still an error', () => {
    const client = frame('padded', 'client');
    expect(client.decode(unhex('0b000000' + '6cfeffff' + '0102030405060708'))).toEqual([{ kind: 'error', code: 404 }]);
  });

  it('a server reads a 4-byte negative payload from a client as a frame, not an error', () => {
    expect(frame('intermediate', 'server').decode(unhex('040000006cfeffff'))).toEqual([
      { kind: 'frame', payload: unhex('6cfeffff'), quickAck: false },
    ]);
  });

  it('a frame inside one chunk is a zero-copy view of it', () => {
    const chunk = concat([frame('intermediate', 'server').encode(pattern(64)), unhex('0800')]);
    const [event] = frame('intermediate', 'client').decode(chunk);
    expect(event?.kind === 'frame' && event.payload.buffer).toBe(chunk.buffer);
  });
});

describe('bad input is a typed FramingError', () => {
  it.each([
    ['abridged', '7fffffff'],
    ['intermediate', 'fcffff7f'],
    ['padded', 'ffffff7f'],
    ['full', 'fcffff7f00000000'],
  ] as const)('%s: a huge declared length fails on the header alone', (framing, header) => {
    const codec = new FrameCodec({ framing, side: 'server', random: () => new Uint8Array(16) });
    expect(() => codec.decode(unhex(header))).toThrow(fails('FRAME_TOO_LARGE'));
  });

  it('the cap is configurable and inclusive', () => {
    const codec = new FrameCodec({ framing: 'intermediate', side: 'server', maxFrame: 1024 });
    expect(codec.decode(concat([unhex('00040000'), pattern(1024)]))).toHaveLength(1);
    expect(() => codec.decode(unhex('04040000'))).toThrow(fails('FRAME_TOO_LARGE'));
    expect(() => codec.encode(pattern(1028))).toThrow(fails('FRAME_TOO_LARGE'));
    expect(() => new FrameCodec({ framing: 'full', side: 'client', maxFrame: -1 })).toThrow(fails('INVALID_ARGUMENT'));
  });

  it.each(FRAMINGS)('%s: a frame above maxAnonymousFrame is refused on its auth_key_id unless the key is known', (framing) => {
    const known = pattern(8);
    const server = () =>
      new FrameCodec({
        framing,
        side: 'server',
        maxAnonymousFrame: 64,
        isKnownAuthKey: (id) => id.every((b, i) => b === known[i]),
        random: () => new Uint8Array(16),
      });
    const client = new FrameCodec({ framing, side: 'client', random: () => new Uint8Array(16) });
    const large = pattern(4096);
    const anonymous = client.encode(concat([new Uint8Array(8), large.subarray(8)]));
    const refusing = server();
    // Header plus 7 bytes: the auth_key_id is incomplete, so nothing is decided yet.
    const headerLength = framing === 'full' ? 8 : anonymous.length - 4096; // full: length and seq; its CRC trails
    expect(refusing.decode(anonymous.subarray(0, headerLength + 7))).toEqual([]);
    expect(() => refusing.decode(anonymous.subarray(headerLength + 7, headerLength + 8))).toThrow(fails('FRAME_TOO_LARGE'));
    const accepting = server();
    const withKnownKey = new FrameCodec({ framing, side: 'client', random: () => new Uint8Array(16) }).encode(large);
    const [event] = accepting.decode(withKnownKey);
    expect(event?.kind === 'frame' && event.payload.subarray(0, 4096)).toEqual(large);
    const small = server().decode(new FrameCodec({ framing, side: 'client', random: () => new Uint8Array(16) }).encode(new Uint8Array(64)));
    expect(small).toHaveLength(1);
    expect(() => new FrameCodec({ framing, side: 'server', maxFrame: 16, maxAnonymousFrame: 32 })).toThrow(fails('INVALID_ARGUMENT'));
  });

  it('lengths that are not a multiple of 4', () => {
    expect(() => new FrameCodec({ framing: 'intermediate', side: 'server' }).decode(unhex('05000000'))).toThrow(fails('FRAME_UNALIGNED'));
    expect(() => new FrameCodec({ framing: 'full', side: 'server' }).decode(unhex('0d000000'))).toThrow(fails('FRAME_UNALIGNED'));
    expect(() => new FrameCodec({ framing: 'full', side: 'server' }).decode(unhex('08000000'))).toThrow(fails('FRAME_BAD_LENGTH'));
    for (const framing of FRAMINGS) {
      const codec = new FrameCodec({ framing, side: 'client', random: () => new Uint8Array(16) });
      expect(() => codec.encode(pattern(6))).toThrow(fails('FRAME_UNALIGNED'));
    }
  });

  it('full transport: bad CRC and out-of-order seq', () => {
    const { client, server } = codecPair('full', false);
    const first = client.encode(pattern(16));
    const second = client.encode(pattern(16));
    expect(() => server.decode(second)).toThrow(fails('FRAME_BAD_SEQ'));
    const corrupt = codecPair('full', false);
    const packet = corrupt.client.encode(pattern(16));
    packet[10]! ^= 1;
    expect(() => corrupt.server.decode(packet)).toThrow(fails('FRAME_BAD_CRC'));
    expect(first.length).toBe(28);
  });

  it('a failed decoder keeps failing (the stream position is lost)', () => {
    const codec = new FrameCodec({ framing: 'intermediate', side: 'server' });
    expect(() => codec.decode(unhex('05000000'))).toThrow(fails('FRAME_UNALIGNED'));
    expect(() => codec.decode(unhex('04000000aabbccdd'))).toThrow(fails('FRAME_UNALIGNED'));
  });

  it.each([
    ['HTTP', 'GET / HTTP/1.1\r\n', 'TRANSPORT_UNSUPPORTED'],
    ['TLS ClientHello', '160301020001fc03', 'TRANSPORT_UNSUPPORTED'],
  ])('garbage init: %s', (_name, start, code) => {
    const bytes = start.startsWith('16') ? unhex(start) : new Uint8Array(Buffer.from(start));
    expect(() => createServerCodec({ crypto: nodeCrypto }).decode(bytes)).toThrow(fails(code));
  });

  it('garbage init: 64 random bytes decrypt to no known tag', () => {
    const header = pattern(64, 7);
    expect(() => createServerCodec({ crypto: nodeCrypto }).decode(header)).toThrow(fails('OBFUSCATION_BAD_TAG'));
  });

  it('plain framing on an obfuscated-only (WebSocket or MTProxy) endpoint', () => {
    expect(() => createServerCodec({ crypto: nodeCrypto, requireObfuscation: true }).decode(unhex('ef'))).toThrow(
      fails('OBFUSCATION_REQUIRED'),
    );
    const proxy = createServerCodec({ crypto: nodeCrypto, secret: '00'.repeat(16) });
    expect(() => proxy.decode(unhex('eeeeeeee'))).toThrow(fails('OBFUSCATION_REQUIRED'));
  });

  it('truncated header or frame at end of stream', () => {
    const server = createServerCodec({ crypto: nodeCrypto });
    server.decode(unhex('eeee'));
    expect(() => server.end()).toThrow(fails('FRAME_TRUNCATED'));
    const { client, server: ready } = codecPair('abridged', true);
    ready.decode(client.encode(pattern(1024)).subarray(0, 3)); // inside the 4-byte long length
    expect(() => ready.end()).toThrow(fails('FRAME_TRUNCATED'));
    const clean = codecPair('intermediate', false).server;
    clean.decode(new Uint8Array(0));
    expect(() => clean.end()).not.toThrow();
  });

  it('misuse of the codecs', () => {
    const client = createClientCodec({ framing: 'abridged', crypto: nodeCrypto });
    expect(() => client.encode(pattern(4))).toThrow(fails('CODEC_STATE'));
    expect(() => client.decode(pattern(4))).toThrow(fails('CODEC_STATE'));
    client.start();
    expect(() => client.start()).toThrow(fails('CODEC_STATE'));
    expect(() => createServerCodec({ crypto: nodeCrypto }).encode(pattern(4))).toThrow(fails('CODEC_STATE'));
    expect(() => createClientCodec({ framing: 'full', obfuscation: {}, crypto: nodeCrypto })).toThrow(fails('TRANSPORT_UNSUPPORTED'));
    const { server } = codecPair('intermediate', false);
    expect(() => server.encodeQuickAck(0x1234)).toThrow(fails('INVALID_ARGUMENT'));
    expect(() => server.encodeError(0)).toThrow(fails('INVALID_ARGUMENT'));
  });
});

describe('stripPadding', () => {
  it('plain message: message_data_length says where it ends', () => {
    const message = concat([new Uint8Array(8), pattern(8), unhex('08000000'), pattern(8)]);
    expect(stripPadding(concat([message, pattern(13)]))).toEqual(message);
    expect(() => stripPadding(concat([message.subarray(0, 16), unhex('ff000000'), pattern(8)]))).toThrow(FramingError);
  });

  it('encrypted message: 24 bytes then whole 16-byte blocks', () => {
    const message = concat([pattern(8, 1), pattern(16), pattern(64)]);
    for (let padding = 0; padding < 16; padding++) {
      expect(stripPadding(concat([message, pattern(padding)]))).toEqual(message);
    }
    expect(() => stripPadding(pattern(20, 1))).toThrow(fails('FRAME_BAD_LENGTH'));
  });
});
